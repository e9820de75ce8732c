"""The status workflow helper the ideas, concepts and measures share."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import TextChoices

from roundtable.operations.statemachine import StateMachine


class Colour(TextChoices):
    RED = "red", "rot"
    AMBER = "amber", "gelb"
    GREEN = "green", "grün"


LIGHTS = StateMachine(
    {Colour.RED: {Colour.GREEN}, Colour.GREEN: {Colour.AMBER, Colour.RED}, Colour.AMBER: set()},
    choices=Colour,
    message="Die Ampel kann nicht von „%(from)s“ zu „%(to)s“ wechseln.",
)


def test_allowed_and_targets_in_the_order_of_the_choices():
    assert LIGHTS.allowed("red", "green")
    assert not LIGHTS.allowed("red", "amber")
    assert not LIGHTS.allowed("red", "red")
    assert LIGHTS.targets("green") == [Colour.RED, Colour.AMBER]
    assert LIGHTS.targets("amber") == []


def test_check_refuses_with_the_labels():
    LIGHTS.check("red", "green")
    with pytest.raises(ValidationError) as error:
        LIGHTS.check("red", "amber")
    assert error.value.messages == ["Die Ampel kann nicht von „rot“ zu „gelb“ wechseln."]


def test_check_refuses_an_unknown_status():
    with pytest.raises(ValidationError) as error:
        LIGHTS.check("red", "blue")
    assert error.value.messages == ["Unbekannter Status."]


def test_a_table_with_a_status_outside_the_choices_is_a_programming_error():
    with pytest.raises(ValueError, match="blue"):
        StateMachine({Colour.RED: {"blue"}}, choices=Colour, message="")
