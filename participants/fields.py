"""Form fields every app's forms use."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

_BIGINT = 2**63


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids no primary key can have as an invalid choice, before any query.

    SQLite (the embedded default) raises OverflowError for integers beyond 64 bits,
    which would otherwise end a request with a 500 instead of a form error.
    """

    def _check_values(self, value):
        for pk in value or ():
            try:
                number = int(str(pk).strip())
            except (TypeError, ValueError):
                continue  # the parent reports what is not a number
            if not -_BIGINT <= number < _BIGINT:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


def bounded_formfield(db_field, **kwargs):
    """``formfield_callback`` for ModelForms: many-to-many fields refuse impossible ids."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
    return db_field.formfield(**kwargs)
