from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ideas.models import Idea
from participants.fields import BoundedModelMultipleChoiceField, bounded_formfield
from participants.models import Department, Municipality, Organisation
from roundtable.operations.text import PlainTextFormMixin

from .models import Concept, ConceptSignoff, Workshop

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _people():
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__isnull=False)
        .select_related("profile")
        .order_by("last_name", "first_name")
    )


def _person_label(user) -> str:
    return user.get_full_name() or user.get_username()


def _idea_choices():
    return Idea.objects.exclude(status=Idea.Status.REJECTED).order_by("title")


class WorkshopForm(PlainTextFormMixin, forms.ModelForm):
    include_ungrouped_ideas = forms.BooleanField(
        label=_("Alle noch nicht gruppierten Ideen im Workshop behandeln"), required=False
    )

    class Meta:
        formfield_callback = bounded_formfield
        model = Workshop
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "place",
            "moderators",
            "departments",
            "organisations",
            "participants",
            "attendees",
            "agenda",
            "minutes",
            "ideas",
        ]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "departments": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "moderators": forms.SelectMultiple(attrs={"size": 6}),
            "participants": forms.SelectMultiple(attrs={"size": 8}),
            "attendees": forms.SelectMultiple(attrs={"size": 8}),
            "ideas": forms.SelectMultiple(attrs={"size": 10}),
        }
        help_texts = {
            "ideas": _("Mehrfachauswahl mit Strg oder Umschalt."),
            "attendees": _("Nach dem Workshop: wer tatsächlich da war."),
            "participants": _(
                "Sie erhalten eine Einladung mit Kalendereintrag und antworten im Portal; "
                "ändern sich Titel, Zeit oder Ort, erhalten sie eine Aktualisierung."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
        for name in ("moderators", "participants", "attendees"):
            self.fields[name].queryset = _people()
            self.fields[name].label_from_instance = _person_label
        self.fields["departments"].queryset = Department.objects.filter(is_active=True)
        self.fields["organisations"].queryset = Organisation.objects.filter(is_active=True)
        self.fields["ideas"].queryset = _idea_choices()

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("Das Ende darf nicht vor dem Beginn liegen."))
        return data


class ConceptForm(PlainTextFormMixin, forms.ModelForm):
    measures = forms.CharField(
        label=_("Maßnahmen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Eine Maßnahme je Zeile, in der gewünschten Reihenfolge."),
        max_length=20000,
    )
    ideas = BoundedModelMultipleChoiceField(
        label=_("Aufgegriffene Ideen"),
        queryset=Idea.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Mehrfachauswahl mit Strg oder Umschalt."),
    )

    class Meta:
        formfield_callback = bounded_formfield
        model = Concept
        fields = [
            "title",
            "summary",
            "goals",
            "workshop",
            "responsible_departments",
            "responsible_organisations",
            "municipalities",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "responsible_departments": forms.CheckboxSelectMultiple,
            "responsible_organisations": forms.CheckboxSelectMultiple,
            "municipalities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_departments"].queryset = Department.objects.filter(is_active=True)
        self.fields["responsible_organisations"].queryset = Organisation.objects.filter(
            is_active=True
        )
        self.fields["municipalities"].queryset = Municipality.objects.all()
        self.fields["ideas"].queryset = _idea_choices()
        if self.instance.pk:
            self.fields["measures"].initial = "\n".join(
                m.text for m in self.instance.measures.all()
            )
            self.fields["ideas"].initial = [link.idea_id for link in self.instance.idea_links.all()]
            if not self.instance.is_open_for_grouping:
                self.fields["ideas"].disabled = True

    def clean_measures(self):
        return [line.strip() for line in self.cleaned_data["measures"].splitlines() if line.strip()]

    def clean_ideas(self):
        ideas = self.cleaned_data["ideas"]
        if self.fields["ideas"].disabled:
            return ideas
        taken = [
            idea
            for idea in ideas.select_related("concept_link__concept")
            if hasattr(idea, "concept_link") and idea.concept_link.concept_id != self.instance.pk
        ]
        if taken:
            raise forms.ValidationError(
                _("Bereits in einem anderen Konzept: %(ideas)s")
                % {"ideas": "; ".join(f"„{i.title}“ ({i.concept_link.concept})" for i in taken)}
            )
        return ideas


class SignoffForm(PlainTextFormMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("Für das Amt"), queryset=Department.objects.none())
    decision = forms.ChoiceField(
        label=_("Votum"), choices=ConceptSignoff.Decision.choices, widget=forms.RadioSelect
    )
    remarks = forms.CharField(
        label=_("Anmerkungen / Begründung"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bei Anmerkungen oder Einwänden erforderlich."),
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        departments = list(departments)
        self.fields["department"].queryset = Department.objects.filter(
            pk__in=[d.pk for d in departments]
        )
        self.fields["department"].error_messages["required"] = _(
            "Bitte wählen Sie das Amt, für das Sie mitzeichnen."
        )
        self.fields["decision"].error_messages["required"] = _("Bitte wählen Sie Ihr Votum.")
        # one department: nothing to choose, the page names it (concept_signoff.html)
        self.single_department = departments[0] if len(departments) == 1 else None
        if self.single_department is not None:
            self.fields["department"].initial = self.single_department.pk
            self.fields["department"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if (
            decision
            in (ConceptSignoff.Decision.OBJECTS, ConceptSignoff.Decision.AGREES_WITH_REMARKS)
            and not (data.get("remarks") or "").strip()
        ):
            self.add_error(
                "remarks",
                _("Bitte begründen Sie Ihre Einwände.")
                if decision == ConceptSignoff.Decision.OBJECTS
                else _("Bitte tragen Sie Ihre Anmerkungen ein."),
            )
        return data


class BoardFilterForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Handlungsfeld"), queryset=None, required=False)
    department = forms.ModelChoiceField(label=_("Amt/Dienststelle"), queryset=None, required=False)
    municipality = forms.ModelChoiceField(label=_("Stadt/Gemeinde"), queryset=None, required=False)
    q = forms.CharField(label=_("Suche"), required=False, max_length=100)
    view = forms.ChoiceField(
        label=_("Ansicht"),
        choices=[("compact", _("kompakt")), ("expanded", _("ausführlich"))],
        required=False,
    )
    # how many cards each column shows ("mehr laden"); not shown as a field
    shown = forms.IntegerField(required=False, min_value=1, max_value=5000)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = choices["topics"]
        self.fields["department"].queryset = choices["departments"]
        self.fields["municipality"].queryset = choices["municipalities"]
        for field in self.fields.values():
            field.empty_label = _("alle") if hasattr(field, "empty_label") else None


class QuickConceptForm(PlainTextFormMixin, forms.Form):
    title = forms.CharField(label=_("Titel des neuen Konzepts"), max_length=200)


class WorkshopCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Absage (geht an alle Eingeladenen)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
