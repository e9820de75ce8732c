from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("glocke/", views.bell, name="bell"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/gelesen/", views.notification_mark_read, name="mark_read"),
    path("alle-gelesen/", views.notification_mark_all_read, name="mark_all_read"),
    path("einstellungen/", views.notification_settings, name="settings"),
    path("folgen/<str:label>/<str:object_id>/", views.follow_toggle, name="follow"),
    path("kalender/neu/", views.calendar_feed_renew, name="calendar_feed_renew"),
    path("kalender/beenden/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("kalender/<int:user_id>/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
