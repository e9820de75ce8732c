from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participants.fields import BoundedModelMultipleChoiceField, bounded_formfield
from participants.models import Department
from roundtable.operations.text import PlainTextFormMixin
from workshops.models import Concept

from .models import Decision, Paper, Report
from .services import PRESENTABLE_CONCEPT_STATUSES


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


class ReportRequestForm(PlainTextFormMixin, forms.Form):
    variant = forms.ChoiceField(
        label=_("Variante"),
        choices=Report.Variant.choices,
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
