from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("abstimmung/", views.coordination, name="coordination"),
    path("abstimmung/anfragen/", views.coordination_request_open, name="coordination_request_open"),
    path("abstimmung/<int:pk>/bearbeiten/", views.coordination_edit, name="coordination_edit"),
    path("abstimmung/<int:pk>/antworten/", views.coordination_answer, name="coordination_answer"),
    path("abstimmung/<int:pk>/anfragen/", views.coordination_request, name="coordination_request"),
    path("einladungen/", views.invitation_list, name="invitation_list"),
    path("einladungen/neu/", views.invitation_create, name="invitation_create"),
    path("einladungen/csv/", views.invitation_import, name="invitation_import"),
    path("einladungen/<int:pk>/erneut/", views.invitation_resend, name="invitation_resend"),
    path("einladungen/<int:pk>/zurueckziehen/", views.invitation_revoke, name="invitation_revoke"),
    path("einladung/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
