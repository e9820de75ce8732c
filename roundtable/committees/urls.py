from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("", views.committee_list, name="committee_list"),
    path("sitzungen/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("sitzungen/<int:pk>/kalender.ics", views.meeting_ics, name="meeting_ics"),
    path("sitzungen/<int:pk>/einladen/", views.meeting_invite, name="meeting_invite"),
    path("top/<int:agenda_item_pk>/vorlage/", views.paper_create, name="paper_create"),
    path("top/<int:agenda_item_pk>/beschluss/", views.decision_create, name="decision_create"),
    path("vorlagen/<int:pk>/", views.paper_detail, name="paper_detail"),
    path("vorlagen/<int:pk>/bearbeiten/", views.paper_edit, name="paper_edit"),
    path("vorlagen/<int:pk>/pdf/", views.report_request, name="report_request"),
    path("berichte/<uuid:pk>/status/", views.report_status, name="report_status"),
    path("berichte/<uuid:pk>/download/", views.report_download, name="report_download"),
]
