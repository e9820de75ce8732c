from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

FILTER_CHOICES = "ideas:filter-choices"
LIST_FRAME = "ideas:list-frame"


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideenwerkstatt")

    def ready(self):
        from django.db.backends.signals import connection_created

        from .search import register_sqlite

        # SQLite: the full-text table's triggers stem with Python's Snowball stemmer
        connection_created.connect(register_sqlite, dispatch_uid="ideas-german-stems")
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from participants.models import Department, Municipality, Organisation, Profile
        from roundtable.operations import pagecache
        from roundtable.timeline.models import Phase

        from .models import Idea, TargetGroup, Topic
        from .pagination import IDEA_COUNT

        # the filter form shows only these: it is cached until one of them changes
        pagecache.generation_group(
            FILTER_CHOICES, Topic, Department, Organisation, Municipality, TargetGroup, Phase
        )
        # the list's frame (ideas.views.idea_list): who the user is, what they may do (role,
        # permissions, the open phase) and the filter form; not the ideas
        user = get_user_model()
        pagecache.generation_group(
            LIST_FRAME,
            user,
            user.groups.through,
            user.user_permissions.through,
            Group.permissions.through,
            Profile,
            Topic,
            Department,
            Organisation,
            Municipality,
            TargetGroup,
            Phase,
        )
        # the lists' counts: what ideas there are and what they are filtered by
        pagecache.generation_group(
            IDEA_COUNT, Idea, Idea.target_groups.through, Idea.municipalities.through
        )

        from roundtable.notifications import registry

        registry.register_followable(Idea, view_permission="ideas.view_idea")
