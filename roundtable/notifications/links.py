"""Absolute links for what leaves the portal (e-mails, calendars): PORTAL_BASE_URL."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(link: str) -> str:
    """``link`` as an absolute address: a path gets PORTAL_BASE_URL in front of it."""
    if not link or urlsplit(link).scheme:
        return link
    return settings.PORTAL_BASE_URL.rstrip("/") + "/" + link.lstrip("/")


def portal_host() -> str:
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
