"""Authentication by user name and password (Django's model backend), with the user's
round-table profile loaded in the same query: every page asks for the role. The same
query reads the page cache's generation (``roundtable.operations.pagecache``), so that a
page served from the cache costs the session's query and this one, nothing more."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models.expressions import RawSQL

from roundtable.operations import pagecache


class ProfileModelBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = (
                model._default_manager.select_related("profile")
                # a constant of the page cache, no input in it
                .annotate(pagecache_generation=RawSQL(pagecache.generation_sql(), ()))  # noqa: S611
                .get(pk=user_id)
            )
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
