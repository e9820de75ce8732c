from django.urls import path

from . import views

app_name = "timeline"

urlpatterns = [
    path("neu/", views.phase_create, name="phase_create"),
    path("<int:pk>/bearbeiten/", views.phase_edit, name="phase_edit"),
]
