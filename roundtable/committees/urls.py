from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("", views.committee_list, name="committee_list"),
    path("neu/", views.committee_create, name="committee_create"),
    path("<int:pk>/", views.committee_detail, name="committee_detail"),
    path("<int:pk>/bearbeiten/", views.committee_edit, name="committee_edit"),
    path("<int:pk>/mitglieder/", views.committee_members, name="committee_members"),
    path(
        "mitgliedschaften/<int:pk>/entfernen/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("sitzungen/neu/", views.meeting_create, name="meeting_create"),
    path("sitzungen/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("sitzungen/<int:pk>/kalender.ics", views.meeting_ics, name="meeting_ics"),
    path("sitzungen/<int:pk>/einladen/", views.meeting_invite, name="meeting_invite"),
    path("sitzungen/<int:pk>/bearbeiten/", views.meeting_edit, name="meeting_edit"),
    path(
        "sitzungen/<int:meeting_pk>/top/neu/",
        views.agenda_item_create,
        name="agenda_item_create",
    ),
    path("top/<int:pk>/bearbeiten/", views.agenda_item_edit, name="agenda_item_edit"),
    path("top/<int:agenda_item_pk>/vorlage/", views.paper_create, name="paper_create"),
    path("top/<int:agenda_item_pk>/beschluss/", views.decision_create, name="decision_create"),
    path("vorlagen/<int:pk>/", views.paper_detail, name="paper_detail"),
    path("vorlagen/<int:pk>/bearbeiten/", views.paper_edit, name="paper_edit"),
    path("vorlagen/<int:pk>/einreichen/", views.paper_submit, name="paper_submit"),
    path("vorlagen/<int:pk>/korrektur/", views.paper_correct, name="paper_correct"),
    path("vorlagen/<int:pk>/pdf/", views.report_request, name="report_request"),
    path("berichte/<uuid:pk>/status/", views.report_status, name="report_status"),
    path("berichte/<uuid:pk>/download/", views.report_download, name="report_download"),
]
