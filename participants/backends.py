"""Authentication by user name and password (Django's model backend), with the user's
round-table profile loaded in the same query: every page asks for the role. The same
query reads the page cache's generations (``roundtable.operations.pagecache``), so that a
page served from the cache costs the session's query and this one, nothing more.

The same query also tells whether the user has any permission of their own or any group.
The portal's permissions are rules (``rules.py`` of each app); Django's model permissions
are asked only for what the rules do not grant, and then cost two queries per request
(the user's and their groups' permissions). A user without either gets empty sets
straight away (measured on the idea list: -2 queries, docs/benchmarks.md).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL

from roundtable.operations import pagecache


class ProfileModelBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = (
                model._default_manager.select_related("profile")
                .annotate(
                    has_own_permissions=Exists(
                        model.user_permissions.through.objects.filter(user=OuterRef("pk"))
                    ),
                    has_groups=Exists(model.groups.through.objects.filter(user=OuterRef("pk"))),
                    # a constant of the page cache, no input in it
                    pagecache_generation=RawSQL(pagecache.generation_sql(), ()),  # noqa: S611
                    pagecache_groups=RawSQL(pagecache.groups_sql(), ()),  # noqa: S611
                )
                .get(pk=user_id)
            )
        except model.DoesNotExist:
            return None
        if not user.is_superuser:
            # ModelBackend keeps what it found under these names for the request
            if not user.has_own_permissions:
                user._user_perm_cache = set()
            if not user.has_groups:
                user._group_perm_cache = set()
        return user if self.user_can_authenticate(user) else None
