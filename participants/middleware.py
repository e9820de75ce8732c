"""The idle timeout of a session: ``SESSION_COOKIE_AGE`` counts from the last request."""

import time

TOUCH_KEY = "_idle_touched"
TOUCH_SECONDS = 60


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
        if session is None or session.session_key is None:  # no session, or just ended
            return response
        now = int(time.time())
        if now - session.get(TOUCH_KEY, 0) >= TOUCH_SECONDS:
            session[TOUCH_KEY] = now  # marks the session modified: saved, expiry renewed
        return response
