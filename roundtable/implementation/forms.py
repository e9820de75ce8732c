from django import forms
from django.utils.translation import gettext_lazy as _

from participants.fields import bounded_formfield
from participants.models import Department, Municipality, Organisation
from roundtable.operations.text import PlainTextFormMixin

from .models import Measure, Milestone
from .selectors import concepts_for_measures

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeasureForm(PlainTextFormMixin, forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = Measure
        fields = [
            "concept",
            "title",
            "description",
            "responsible_department",
            "responsible_organisation",
            "municipalities",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "municipalities": forms.CheckboxSelectMultiple,
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["concept"]
        else:
            self.fields["concept"].queryset = concepts_for_measures()
        self.fields["responsible_department"].queryset = Department.objects.filter(is_active=True)
        self.fields["responsible_organisation"].queryset = Organisation.objects.filter(
            is_active=True
        )
        self.fields["municipalities"].queryset = Municipality.objects.order_by("name")
        self.fields["responsible_department"].help_text = _(
            "Entweder ein Amt oder eine Organisation ist verantwortlich."
        )

    def clean(self):
        data = super().clean()
        if bool(data.get("responsible_department")) == bool(data.get("responsible_organisation")):
            raise forms.ValidationError(
                _("Bitte nennen Sie entweder ein verantwortliches Amt oder eine Organisation.")
            )
        return data

    def _post_clean(self):
        # the service validates the model (it sets created_by and checks the concept)
        pass


class MeasureStatusForm(PlainTextFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices)
    progress = forms.IntegerField(
        label=_("Fortschritt in Prozent"), min_value=0, max_value=100, required=False
    )
    note = forms.CharField(
        label=_("Fortschrittsnotiz"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MilestoneForm(PlainTextFormMixin, forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = Milestone
        fields = ["title", "due_on"]
        widgets = {"due_on": DATE}
