from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("datenschutz/", views.privacy_statement, name="privacy_statement"),
    path("impressum/", views.imprint, name="imprint"),
    path("barrierefreiheit/", views.accessibility_statement, name="accessibility_statement"),
    path("meine-daten/", views.my_data, name="my_data"),
    path("meine-daten/export.json", views.my_data_export, name="my_data_export"),
    path("meine-daten/loeschen/", views.my_account_erase, name="my_account_erase"),
    path("datenschutz/personen/", views.user_list, name="user_list"),
    path("datenschutz/personen/<int:pk>/export.json", views.user_export, name="user_export"),
    path("datenschutz/personen/<int:pk>/loeschen/", views.user_erase, name="user_erase"),
]
