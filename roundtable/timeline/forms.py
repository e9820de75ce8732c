from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Phase


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = [
            "name",
            "description",
            "start",
            "end",
            "allows_idea_submission",
            "allows_workshop_work",
            "allows_committee_work",
            "allows_implementation",
        ]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "allows_idea_submission": _("Mitarbeitende reichen Ideen ein."),
            "allows_workshop_work": _(
                "Gruppierungstafel, Konzepte anlegen und bearbeiten, Vorschläge, Mitzeichnung."
            ),
            "allows_committee_work": _(
                "Beschlussvorlagen anlegen, einreichen und korrigieren; Beschlüsse erfassen."
            ),
            "allows_implementation": _("Umsetzungsmaßnahmen planen und fortschreiben."),
        }

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", forms.ValidationError(Phase.END_BEFORE_START))
        return data
