from django.urls import path

from . import views

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list, name="list"),
    path("neu/", views.idea_create, name="create"),
    path("aehnliche/", views.idea_similar, name="similar"),
    path("moderation/", views.idea_moderation, name="moderation"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/", views.idea_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.idea_edit, name="edit"),
    path("<int:pk>/unterstuetzen/", views.idea_support, name="support"),
    path("<int:pk>/kommentare/", views.comment_create, name="comment_create"),
    path("<int:pk>/status/", views.idea_status, name="status"),
    path("<int:pk>/anhaenge/", views.attachment_upload, name="attachment_upload"),
    path("anhaenge/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("kommentare/<int:pk>/bearbeiten/", views.comment_edit, name="comment_edit"),
    path("kommentare/<int:pk>/ausblenden/", views.comment_hide, name="comment_hide"),
]
