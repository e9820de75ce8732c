"""The idle timeout of a session: ``SESSION_COOKIE_AGE`` counts from the last request."""

import time

TOUCH_KEY = "_idle_touched"
TOUCH_SECONDS = 60


def session_touch(session) -> None:
    session[TOUCH_KEY] = int(time.time())  # marks the session modified: saved, expiry renewed


def session_touched_at_login(sender, request, user, **kwargs) -> None:
    """A login saves the session anyway: the first page after it need not save it again."""
    session_touch(request.session)


class SessionIdleMiddleware:
    """Keeps a session alive while it is used, and lets it end after 30 idle minutes.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` would write the session row on every page
    (three statements per request, measured in ``python -m bench list-page``); this saves
    it at most once a minute per session, so a session ends after 29 to 30 idle minutes.
    Listed after ``SessionMiddleware``, so the save happens in its response phase.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # no session, one that just ended, or a cookie of none (as SESSION_SAVE_EVERY_REQUEST)
        if session is None or session.is_empty():
            return response
        if time.time() - session.get(TOUCH_KEY, 0) >= TOUCH_SECONDS:
            session_touch(session)
        return response
