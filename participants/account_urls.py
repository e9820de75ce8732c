"""Django's account views (``/accounts/``) with the portal's login (it tells directory
users when the directory is away) and a password reset sent through the outbox. The URL
names stay Django's (``login``, ``password_reset``, ...)."""

from django.contrib.auth import urls as auth_urls
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views

_REPLACED = {"login", "password_reset"}

urlpatterns = [
    path("login/", login_not_required(views.LoginView.as_view()), name="login"),
    path(
        "password_reset/",
        login_not_required(views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    *(p for p in auth_urls.urlpatterns if p.name not in _REPLACED),
]
