"""The filters of the idea list, the moderation queue and the exports (django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import Department, Municipality, Organisation
from roundtable.timeline.models import Phase

from . import selectors
from .models import Idea, TargetGroup, Topic

ALL = _("alle")
SORT_CHOICES = [
    ("newest", _("Neueste zuerst")),
    ("oldest", _("Älteste zuerst")),
    ("supported", _("Meiste Unterstützung")),
    ("discussed", _("Meist diskutiert")),
    ("relevance", _("Relevanz (bei Suche)")),
]
# The moderation queue's own order (selectors.idea_moderation_queue), its default there.
QUEUE_SORT = ("queue", _("Unbearbeitete zuerst (älteste oben)"))


class IdeaFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Suche"), method="filter_search", max_length=200, strip=True
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Handlungsfeld"),
        queryset=Topic.objects.order_by("position", "name"),
        empty_label=ALL,
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Amt/Dienststelle"), queryset=Department.objects.all(), empty_label=ALL
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.all(), empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Idea.Status.choices, empty_label=ALL
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Stadt/Gemeinde"),
        field_name="municipalities",
        queryset=Municipality.objects.all(),
        empty_label=ALL,
    )
    target_group = django_filters.ModelChoiceFilter(
        label=_("Zielgruppe"),
        field_name="target_groups",
        queryset=TargetGroup.objects.order_by("position", "name"),
        empty_label=ALL,
    )
    phase = django_filters.ModelChoiceFilter(
        label=_("Phase"), queryset=Phase.objects.all(), empty_label=ALL
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sortierung"), choices=SORT_CHOICES, method="filter_nothing", empty_label=None
    )

    class Meta:
        model = Idea
        fields: list[str] = []

    sort_choices = SORT_CHOICES

    def __init__(self, data=None, *args, user=None, **kwargs):
        self.user = user
        kwargs.setdefault("queryset", selectors.idea_base())
        if data is not None and not data.get("sort"):
            # the sort box shows the order the list really has (a search without a
            # chosen order is ranked by relevance)
            data = data.copy()
            data["sort"] = self.default_sort(search=bool((data.get("q") or "").strip()))
        super().__init__(data, *args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "autocomplete": "off"}
        )
        self.form.fields["sort"].required = False
        self.form.fields["sort"].choices = self.sort_choices

    @staticmethod
    def default_sort(*, search: bool) -> str:
        """The order of a list whose sort box was left empty; unbound, the box shows
        its first choice, which is the order of the unfiltered list."""
        return "relevance" if search else "newest"

    def filter_search(self, queryset, name, value):
        # ranking and ordering happen in ``qs`` (selectors.idea_list)
        return queryset

    def filter_nothing(self, queryset, name, value):
        return queryset

    def effective_sort(self) -> str:
        data = getattr(self.form, "cleaned_data", None) if self.form.is_bound else None
        if data is None:
            return self.sort_choices[0][0]
        return data.get("sort") or self.default_sort(search=bool(data.get("q")))

    @property
    def qs(self):
        # invalid values (a deleted topic in an old bookmark) are ignored, not fatal
        base = super().qs
        data = getattr(self.form, "cleaned_data", {})
        return selectors.idea_list(
            user=self.user,
            search=data.get("q") or "",
            sort=self.effective_sort(),
            queryset=base,
        )


class ModerationIdeaFilter(IdeaFilter):
    """The moderation queue: unanswered ideas first, unless another order is chosen."""

    sort_choices = [QUEUE_SORT, *SORT_CHOICES]

    @staticmethod
    def default_sort(*, search: bool) -> str:
        return QUEUE_SORT[0]
