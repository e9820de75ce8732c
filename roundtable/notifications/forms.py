from django import forms

from .models import Delivery, Kind


class DeliverySettingsForm(forms.Form):
    """One choice of delivery per kind of notification."""

    def __init__(self, *args, choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=choices[kind.value],
                widget=forms.RadioSelect,
            )

    def deliveries(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in Kind.values}
