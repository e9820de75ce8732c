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

    def __init__(self, data=None, *args, user=None, **kwargs):
        self.user = user
        kwargs.setdefault("queryset", selectors.idea_base())
        super().__init__(data, *args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "autocomplete": "off"}
        )
        self.form.fields["sort"].required = False

    def filter_search(self, queryset, name, value):
        # ranking and ordering happen in ``qs`` (selectors.idea_list)
        return queryset

    def filter_nothing(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        # invalid values (a deleted topic in an old bookmark) are ignored, not fatal
        base = super().qs
        data = getattr(self.form, "cleaned_data", {})
        return selectors.idea_list(
            user=self.user,
            search=data.get("q") or "",
            sort=data.get("sort") or "",
            queryset=base,
        )
