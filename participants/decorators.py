"""The one permission decorator the portal's views use.

Anonymous users never reach a view (``LoginRequiredMiddleware`` sends them to the
login page); a logged-in user without the permission gets 403, not a login loop.
Views that look up an object filter by what the user may see first, so objects
outside a user's reach answer 404.
"""

from functools import partial

from rules.contrib.views import PermissionRequiredMixin as _RulesPermissionRequiredMixin
from rules.contrib.views import permission_required as _rules_permission_required

permission_required = partial(_rules_permission_required, raise_exception=True)


class PermissionRequiredMixin(_RulesPermissionRequiredMixin):
    raise_exception = True
