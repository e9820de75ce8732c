import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.fields import BoundedModelMultipleChoiceField, bounded_formfield
from participants.models import Department
from roundtable.operations.text import PlainTextFormMixin
from workshops.models import Concept

from .models import (
    AgendaItem,
    Committee,
    CommitteeMembership,
    Decision,
    Meeting,
    Paper,
    PaperVersion,
    Report,
)
from .services import PRESENTABLE_CONCEPT_STATUSES, agenda_subtitle_clean


class CommitteeForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = Committee
        fields = ["name", "short_name", "kind", "name_genitive", "name_dative", "body"]


class MembershipForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = CommitteeMembership
        fields = ["user", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, profile__isnull=False)
            .order_by("last_name", "first_name", "username")
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class MeetingForm(forms.ModelForm):
    """Date and time as a person types them, in the portal's time zone."""

    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Beginn (Uhrzeit)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Ende (Uhrzeit)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )

    class Meta:
        formfield_callback = bounded_formfield
        model = Meeting
        fields = ["committee", "place", "is_public"]

    field_order = ["committee", "date", "time", "end_time", "place", "is_public"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]
        self.fields["date"].widget.format = "%Y-%m-%d"
        if self.instance.pk:
            starts = timezone.localtime(self.instance.starts_at)
            self.initial.setdefault("date", starts.date())
            self.initial.setdefault("time", starts.time().replace(second=0, microsecond=0))
            if self.instance.ends_at:
                self.initial.setdefault(
                    "end_time", timezone.localtime(self.instance.ends_at).time()
                )

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            data["starts_at"] = timezone.make_aware(
                datetime.datetime.combine(data["date"], data["time"])
            )
            data["ends_at"] = None
            if data.get("end_time"):
                data["ends_at"] = timezone.make_aware(
                    datetime.datetime.combine(data["date"], data["end_time"])
                )
                if data["ends_at"] < data["starts_at"]:
                    self.add_error("end_time", _("Das Ende darf nicht vor dem Beginn liegen."))
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = AgendaItem
        fields = ["number", "title", "subtitle", "is_public"]
        labels = {"number": _("TO-Pkt. (Nummer)"), "subtitle": _("„hier:“-Zeile")}
        help_texts = {
            "subtitle": _(
                "Ohne das Wort „hier:“, z. B. „Weiteres Vorgehen“; die Vorlage setzt es davor."
            ),
        }

    def clean_subtitle(self):
        return agenda_subtitle_clean(self.cleaned_data["subtitle"])


class PaperForm(PlainTextFormMixin, forms.ModelForm):
    concepts = BoundedModelMultipleChoiceField(
        label=_("Vorgestellte Konzepte"),
        queryset=Concept.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Abgestimmte Konzepte; sie werden mit der Vorlage „dem Ausschuss vorgelegt“."),
    )

    class Meta:
        formfield_callback = bounded_formfield
        model = Paper
        fields = [
            "department",
            "date",
            "resolution_proposal",
            "preliminary_remarks",
            "participating_departments",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "participating_departments": forms.CheckboxSelectMultiple,
            "resolution_proposal": forms.Textarea(attrs={"rows": 3}),
            "preliminary_remarks": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = Department.objects.filter(is_active=True)
        self.fields["department"].queryset = active
        self.fields["participating_departments"].queryset = active
        linked = Q(paper_links__paper=self.instance) if self.instance.pk else Q(pk__in=[])
        self.fields["concepts"].queryset = (
            Concept.objects.filter(Q(status__in=PRESENTABLE_CONCEPT_STATUSES) | linked)
            .distinct()
            .order_by("position", "id")
        )
        if self.instance.pk:
            self.initial["concepts"] = list(
                self.instance.concept_links.values_list("concept_id", flat=True)
            )


class PaperCorrectionForm(PaperForm):
    """A correction of a submitted paper: what it is, and what changed."""

    kind = forms.ChoiceField(
        label=_("Art der Korrektur"),
        choices=[
            (PaperVersion.Kind.SUPPLEMENT, _("Ergänzung: etwas kommt hinzu")),
            (PaperVersion.Kind.AMENDMENT, _("Änderung: etwas wird geändert")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Was wurde ergänzt oder geändert, und warum?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Steht bei der neuen Fassung; die Ausschussmitglieder sehen außerdem, was sich im Text geändert hat."
        ),
    )

    field_order = ["kind", "note"]


#: What a draft's preview may be made as.
PREVIEW_VARIANTS = [
    (Report.Variant.PDF_UA_1, Report.Variant.PDF_UA_1.label),
    (Report.Variant.PDF_A_3A, Report.Variant.PDF_A_3A.label),
]


class ReportRequestForm(PlainTextFormMixin, forms.Form):
    variant = forms.ChoiceField(
        label=_("Variante"),
        choices=PREVIEW_VARIANTS,
        initial=Report.Variant.PDF_UA_1,
        widget=forms.RadioSelect,
    )


class DecisionForm(PlainTextFormMixin, forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = Decision
        fields = ["result", "text"]
        widgets = {
            "result": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # no "---------" radio, and none chosen in advance: the result is the committee's
        result = self.fields["result"]
        result.choices = Decision.Result.choices
        result.error_messages["required"] = _("Bitte wählen Sie das Ergebnis des Beschlusses.")
