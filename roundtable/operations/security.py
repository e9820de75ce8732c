"""Who is asking: the client's address behind proxies, and the hooks for django-axes
and django-ratelimit that use it."""

import ipaddress

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


def client_address(request) -> str:
    """The client's IP address as far as it can be known.

    Without a proxy (``TRUSTED_PROXY_COUNT = 0``) it is the connection's address. Behind
    ``n`` trusted proxies it is the ``n``-th address from the right of X-Forwarded-For:
    each trusted proxy appends the address it was connected from, so the rightmost
    ``n`` entries are theirs to vouch for; anything further left was sent by the client
    itself and is never believed. Login lockout (axes) and rate limits key on this.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < count:
        return remote  # not through the proxies (health checks from inside, say)
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


def ratelimit_key(group, request) -> str:
    """django-ratelimit's key: the client's address (see ``client_address``)."""
    return client_address(request)
