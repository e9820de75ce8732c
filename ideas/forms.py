from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from participants.fields import BoundedModelMultipleChoiceField, bounded_formfield
from participants.models import Department, Municipality, Organisation
from roundtable.operations.text import PlainTextFormMixin

from .attachments import validate_attachment
from .feedback import FEEDBACK_TEMPLATES
from .models import Comment, Idea, TargetGroup, Topic

DEPARTMENT_PREFIX = "d"
ORGANISATION_PREFIX = "o"


def submitted_for_choices():
    departments = [
        (f"{DEPARTMENT_PREFIX}{d.pk}", str(d)) for d in Department.objects.filter(is_active=True)
    ]
    organisations = [
        (f"{ORGANISATION_PREFIX}{o.pk}", str(o))
        for o in Organisation.objects.filter(is_active=True)
    ]
    return [
        ("", _("– bitte wählen –")),
        (_("Ämter/Dienststellen"), departments),
        (_("Organisationen"), organisations),
    ]


def submitted_for_value(department, organisation) -> str:
    if department is not None:
        return f"{DEPARTMENT_PREFIX}{department.pk}"
    if organisation is not None:
        return f"{ORGANISATION_PREFIX}{organisation.pk}"
    return ""


class IdeaForm(PlainTextFormMixin, forms.Form):
    """Submit or edit an idea. Plain text only: nothing typed here is ever rendered as HTML."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Einfacher Text; Absätze durch eine Leerzeile trennen."),
    )
    topic = forms.ModelChoiceField(
        label=_("Handlungsfeld"),
        queryset=Topic.objects.order_by("position", "name"),
        empty_label=_("– bitte wählen –"),
    )
    target_groups = BoundedModelMultipleChoiceField(
        label=_("Zielgruppen"),
        queryset=TargetGroup.objects.order_by("position", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    submitted_for = forms.ChoiceField(
        label=_("Eingereicht für (Amt oder Organisation)"), required=False
    )
    municipalities = BoundedModelMultipleChoiceField(
        label=_("Betroffene Städte und Gemeinden"),
        queryset=Municipality.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Keine Auswahl bedeutet: kreisweit."),
    )
    attachment = forms.FileField(
        label=_("Anhang (optional)"),
        required=False,
        help_text=_("PDF, PNG, JPEG, ODT oder DOCX."),
    )

    def __init__(self, *args, with_attachment: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submitted_for"].choices = submitted_for_choices()
        if not with_attachment:
            del self.fields["attachment"]

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if len(title) < 3:
            raise ValidationError(_("Der Titel ist zu kurz."))
        return title

    def clean_submitted_for(self):
        value = self.cleaned_data.get("submitted_for") or ""
        self.cleaned_data["department"] = None
        self.cleaned_data["organisation"] = None
        if not value:
            return value
        prefix, pk = value[:1], value[1:]
        model = {DEPARTMENT_PREFIX: Department, ORGANISATION_PREFIX: Organisation}.get(prefix)
        if model is None or not pk.isdigit():
            raise ValidationError(_("Bitte wählen Sie ein Amt oder eine Organisation."))
        obj = model.objects.filter(pk=int(pk)).first()
        if obj is None:
            raise ValidationError(_("Bitte wählen Sie ein Amt oder eine Organisation."))
        key = "department" if model is Department else "organisation"
        self.cleaned_data[key] = obj
        return value

    def clean_attachment(self):
        uploaded = self.cleaned_data.get("attachment")
        if uploaded:
            validate_attachment(uploaded)
        return uploaded

    def idea_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "topic": data["topic"],
            "target_groups": data["target_groups"],
            "department": data.get("department"),
            "organisation": data.get("organisation"),
            "municipalities": data["municipalities"],
        }

    @classmethod
    def initial_for(cls, idea: Idea) -> dict:
        return {
            "title": idea.title,
            "description": idea.description,
            "topic": idea.topic_id,
            "target_groups": [t.pk for t in idea.target_groups.all()],
            "submitted_for": submitted_for_value(idea.department, idea.organisation),
            "municipalities": [m.pk for m in idea.municipalities.all()],
        }


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Datei"), help_text=_("PDF, PNG, JPEG, ODT oder DOCX."))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        validate_attachment(uploaded)
        return uploaded


class CommentForm(PlainTextFormMixin, forms.ModelForm):
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        formfield_callback = bounded_formfield
        model = Comment
        fields = ["text"]
        labels = {"text": _("Ihr Kommentar")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class CommentHideForm(PlainTextFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Grund für das Ausblenden"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Die Verfasserin oder der Verfasser sieht diesen Grund."),
    )


class StatusChangeForm(PlainTextFormMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("Neuer Status"), choices=Idea.Status.choices)
    feedback_template = forms.ChoiceField(
        label=_("Textvorlage für die Rückmeldung"),
        required=False,
        choices=[("", _("– keine Vorlage –")), *[(k, v[0]) for k, v in FEEDBACK_TEMPLATES.items()]],
        help_text=_("Füllt die Rückmeldung, wenn sie leer ist."),
    )
    public_feedback = forms.CharField(
        label=_("Rückmeldung an die Verfasserin / den Verfasser (öffentlich)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    private_remark = forms.CharField(
        label=_("Interne Bemerkung (nur für die Moderation)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, current_status: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_status = current_status
        if current_status is not None:
            # the idea's own status is shown first and chosen; the others are its next steps
            from .models import IDEA_TRANSITIONS

            allowed = set(IDEA_TRANSITIONS.targets(current_status))
            # only the list shown is shorter: a form sent from an older page is answered
            # by the service, which says which step is not possible
            self.fields["to_status"].widget.choices = [
                (value, label)
                for value, label in Idea.Status.choices
                if value == current_status or value in allowed
            ]
            self.fields["to_status"].initial = current_status

    def clean_to_status(self):
        value = self.cleaned_data["to_status"]
        if value == self.current_status:
            raise ValidationError(
                _("Die Idee ist bereits „%(status)s“. Bitte wählen Sie den neuen Status.")
                % {"status": Idea.Status(value).label}
            )
        return value

    def clean(self):
        data = super().clean()
        template = data.get("feedback_template")
        if template and not (data.get("public_feedback") or "").strip():
            data["public_feedback"] = str(FEEDBACK_TEMPLATES[template][1])
        return data


class BulkStatusChangeForm(StatusChangeForm):
    ideas = BoundedModelMultipleChoiceField(
        label=_("Ausgewählte Ideen"),
        queryset=Idea.objects.only("id", "status", "title"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte wählen Sie mindestens eine Idee.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the selected ideas may have different statuses: nothing is chosen in advance
        self.fields["to_status"].choices = [("", _("– bitte wählen –")), *Idea.Status.choices]
        self.fields["to_status"].error_messages["required"] = _(
            "Bitte wählen Sie den neuen Status."
        )
