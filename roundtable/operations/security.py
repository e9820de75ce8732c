"""Hooks for django-axes."""

from django.conf import settings

#: AccessAttempt.username is varchar(255); Django's login form does not enforce the
#: username's max_length, so a huge username would reach the database (a 500 on
#: PostgreSQL). Usernames of the portal are at most 150 characters.
USERNAME_MAX = 150


def axes_username(request, credentials=None) -> str | None:
    """The username axes counts failures for, cut to what can be a username."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if username is None:
        return None
    return str(username).replace("\x00", "")[:USERNAME_MAX]
