from django.urls import path

from . import views

app_name = "implementation"

urlpatterns = [
    path("", views.measure_list, name="measure_list"),
    path("massnahmen/neu/", views.measure_create, name="measure_create"),
    path("massnahmen/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("massnahmen/<int:pk>/bearbeiten/", views.measure_edit, name="measure_edit"),
    path("massnahmen/<int:pk>/stand/", views.measure_status, name="measure_status"),
    path("massnahmen/<int:pk>/meilensteine/", views.milestone_add, name="milestone_add"),
    path("meilensteine/<int:pk>/erreicht/", views.milestone_done, name="milestone_done"),
    path("orte/", views.municipality_list, name="municipality_list"),
    path("orte/<slug:slug>/", views.municipality_detail, name="municipality_detail"),
    path("verantwortliche/", views.responsible_list, name="responsible_list"),
    path("organisationen/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("aemter/<int:pk>/", views.department_detail, name="department_detail"),
    path("ideen/<int:pk>/weg/", views.idea_path, name="idea_path"),
    path("verlauf/<slug:kind>/<int:pk>/", views.history, name="history"),
    path("export/", views.export, name="export"),
]
