from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("abstimmung/", views.coordination, name="coordination"),
    path("abstimmung/<int:pk>/bearbeiten/", views.coordination_edit, name="coordination_edit"),
]
