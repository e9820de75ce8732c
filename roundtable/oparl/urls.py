from django.urls import path

from . import views

app_name = "oparl"

urlpatterns = [
    path("", views.system, name="system"),
    path("bodies/", views.body_list, name="body_list"),
    path("body/<int:pk>/", views.body, name="body"),
    path("body/<int:pk>/organizations/", views.body_organizations, name="body_organizations"),
    path("body/<int:pk>/people/", views.body_people, name="body_people"),
    path("body/<int:pk>/meetings/", views.body_meetings, name="body_meetings"),
    path("body/<int:pk>/papers/", views.body_papers, name="body_papers"),
    path("body/<int:pk>/agenda-items/", views.body_agenda_items, name="body_agenda_items"),
    path("body/<int:pk>/consultations/", views.body_consultations, name="body_consultations"),
    path("body/<int:pk>/files/", views.body_files, name="body_files"),
    path(
        "organization/committee/<int:pk>/",
        views.committee_organization,
        name="committee_organization",
    ),
    path(
        "organization/committee/<int:pk>/meetings/",
        views.committee_meetings,
        name="committee_meetings",
    ),
    path(
        "organization/department/<int:pk>/",
        views.department_organization,
        name="department_organization",
    ),
    path("meeting/<int:pk>/", views.meeting, name="meeting"),
    path("agenda-item/<int:pk>/", views.agenda_item, name="agenda_item"),
    path("paper/<int:pk>/", views.paper, name="paper"),
    path("consultation/<int:pk>/", views.consultation, name="consultation"),
    path("file/<uuid:pk>/", views.file, name="file"),
    path("file/<uuid:pk>/access/", views.file_access, name="file_access"),
    path("file/<uuid:pk>/download/", views.file_download, name="file_download"),
    path("person/<int:pk>/", views.person, name="person"),
]
