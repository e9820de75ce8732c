from django import forms
from django.utils.translation import gettext_lazy as _

from roundtable.operations.text import PlainTextFormMixin

from .models import AccessibilityFeedback


class AccessibilityFeedbackForm(PlainTextFormMixin, forms.ModelForm):
    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "page", "name", "email"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "page": _("Zum Beispiel die Adresse oder der Titel der Seite."),
            "email": _("Nur wenn Sie eine Antwort wünschen."),
        }


class ErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Ja, meine personenbezogenen Daten sollen gelöscht und mein Konto geschlossen werden."
        ),
        required=True,
    )


class AdminErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, die personenbezogenen Daten dieser Person sollen gelöscht werden."),
        required=True,
    )


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Suche"), required=False, max_length=200)
