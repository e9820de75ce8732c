import pytest
from django.core.exceptions import ValidationError

from participants.fields import BoundedModelMultipleChoiceField
from participants.forms import ParticipationForm
from participants.models import Municipality
from roundtable.committees.forms import PaperForm
from roundtable.implementation.forms import MeasureForm
from workshops.forms import ConceptForm, WorkshopForm


@pytest.mark.django_db
@pytest.mark.parametrize("value", [str(2**63), str(-(2**63) - 1), "9" * 40])
def test_ids_no_primary_key_can_have_are_an_invalid_choice(value):
    field = BoundedModelMultipleChoiceField(queryset=Municipality.objects.all())
    with pytest.raises(ValidationError) as error:
        field.clean([value])
    assert error.value.code == "invalid_choice"


@pytest.mark.parametrize(
    ("form", "name"),
    [
        (ParticipationForm, "contacts"),
        (WorkshopForm, "departments"),
        (ConceptForm, "municipalities"),
        (PaperForm, "participating_departments"),
        (MeasureForm, "municipalities"),
    ],
)
def test_model_forms_use_the_bounded_field_for_many_to_many(form, name):
    assert isinstance(form.base_fields[name], BoundedModelMultipleChoiceField)
