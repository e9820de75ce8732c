"""A status workflow written as data: which status may follow which.

Ideas, concepts and measures each keep one table of this kind next to their model; the
services check a change against it, the pages offer its targets as buttons.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy


class StateMachine:
    """``transitions`` maps each status to the statuses that may follow it; ``choices``
    are the model's status choices (for labels and the order of ``targets``);
    ``message`` is the German refusal, with ``%(from)s`` and ``%(to)s`` for the labels."""

    unknown_message = gettext_lazy("Unbekannter Status.")

    def __init__(
        self,
        transitions: Mapping[str, Iterable[str]],
        *,
        choices: type[TextChoices],
        message: str,
    ):
        unknown = (set(transitions) | {t for ts in transitions.values() for t in ts}) - set(
            choices.values
        )
        if unknown:
            raise ValueError(f"statuses not among {choices.__name__}: {sorted(unknown)}")
        self.choices = choices
        self.message = message
        self._transitions = {
            str(source): frozenset(str(t) for t in targets)
            for source, targets in transitions.items()
        }

    def allowed(self, source: str, target: str) -> bool:
        return target in self._transitions.get(source, frozenset())

    def targets(self, source: str) -> list[TextChoices]:
        """The statuses that may follow ``source``, in the order of the choices."""
        following = self._transitions.get(source, frozenset())
        return [status for status in self.choices if status in following]

    def check(self, source: str, target: str) -> None:
        """Raises ``ValidationError`` (German) unless ``target`` may follow ``source``."""
        if target not in self.choices.values:
            raise ValidationError(str(self.unknown_message))
        if not self.allowed(source, target):
            raise ValidationError(
                str(self.message)
                % {"from": self.choices(source).label, "to": self.choices(target).label}
            )
