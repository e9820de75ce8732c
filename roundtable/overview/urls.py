from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("zeitraster/", views.timeline, name="timeline"),
    path("beteiligte/", views.directory, name="directory"),
    path("umsetzung/dashboard/", views.dashboard, name="dashboard"),
]
