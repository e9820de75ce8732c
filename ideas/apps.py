from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

FILTER_CHOICES = "ideas:filter-choices"


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideenwerkstatt")

    def ready(self):
        from participants.models import Department, Municipality, Organisation
        from roundtable.operations import pagecache
        from roundtable.timeline.models import Phase

        from .models import TargetGroup, Topic

        # the filter form shows only these: it is cached until one of them changes
        pagecache.generation_group(
            FILTER_CHOICES, Topic, Department, Organisation, Municipality, TargetGroup, Phase
        )
