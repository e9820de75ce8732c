"""The 500 handler: a database that is briefly away (restart, failover) is not a bug
in the portal. The user gets a 503 with a clear request to send again; nothing of the
failed request was stored (the view's transaction was rolled back)."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def _database_unavailable(exc: BaseException | None) -> bool:
    """The error, or one it was raised while handling, is a lost database connection."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _retry_response(request, exc) -> HttpResponse:
    logger.warning("database unavailable: %s %s: %r", request.method, request.path, exc)
    # no request context: the context processors would ask the database again
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request, template_name="500.html"):
    exc = sys.exc_info()[1]
    if _database_unavailable(exc):
        return _retry_response(request, exc)
    return HttpResponseServerError(loader.render_to_string(template_name))


def bad_request(request, exception, template_name="400.html"):
    """Saving the session after the view (SESSION_SAVE_EVERY_REQUEST) turns a lost
    database into ``SessionInterrupted`` (400): that too is "try again", not a bad request."""
    if _database_unavailable(exception):
        return _retry_response(request, exception)
    return defaults.bad_request(request, exception, template_name)
