"""The one permission decorator the portal's views use.

Anonymous users never reach a view (``LoginRequiredMiddleware`` sends them to the
login page); a logged-in user without the permission gets 403, not a login loop.
Views that look up an object filter by what the user may see first, so objects
outside a user's reach answer 404.

Object permissions name the object with ``fn``: rules' ``objectgetter`` for objects
every user may reach (missing: 404), ``visible_object`` for a queryset that depends
on the user (a selector taking ``user=``; outside it: 404). Stack a model-level
``permission_required`` above it where that check must answer first::

    @permission_required("ideas.view_idea")
    @permission_required("ideas.change_idea", fn=objectgetter(Idea, "pk"))
    def idea_edit(request, pk): ...
"""

from collections.abc import Callable
from functools import partial

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from rules.contrib.views import objectgetter
from rules.contrib.views import permission_required as _rules_permission_required

permission_required = partial(_rules_permission_required, raise_exception=True)

__all__ = ["objectgetter", "permission_required", "visible_object"]


def visible_object(
    queryset_for: Callable[..., QuerySet], attr_name: str = "pk", field_name: str = "pk"
) -> Callable[..., Model]:
    """As rules' ``objectgetter``, from the queryset ``queryset_for(user=...)`` (a
    selector) of what the requesting user may reach: anything outside it answers 404
    before the permission is checked."""

    def getter(request, *args, **kwargs):
        return get_object_or_404(queryset_for(user=request.user), **{field_name: kwargs[attr_name]})

    return getter
