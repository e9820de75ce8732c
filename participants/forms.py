from django import forms
from django.contrib.auth import get_user_model

from .fields import bounded_formfield
from .models import DepartmentParticipation


class ParticipationForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = DepartmentParticipation
        fields = ["status", "contacts", "note"]
        widgets = {
            "status": forms.RadioSelect,
            "contacts": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, profile__isnull=False)
            .select_related("profile")
            .order_by("last_name", "first_name")
        )
        self.fields["contacts"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.get_username()}"
        )
