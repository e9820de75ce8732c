"""Text templates for the moderators' feedback (answer many ideas at once)."""

from django.utils.translation import gettext_lazy as _

FEEDBACK_TEMPLATES = {
    "received": (
        _("Eingang bestätigt"),
        _(
            "Vielen Dank für Ihren Vorschlag. Die Moderation prüft ihn und meldet sich, "
            "sobald er im Workshop behandelt wird."
        ),
    ),
    "accepted": (
        _("Angenommen für den Workshop"),
        _(
            "Vielen Dank! Ihr Vorschlag wird in den Workshop des Runden Tisches "
            "aufgenommen und dort mit den Beteiligten zu einem Konzept weiterentwickelt."
        ),
    ),
    "duplicate": (
        _("Ähnlicher Vorschlag vorhanden"),
        _(
            "Vielen Dank! Ein sehr ähnlicher Vorschlag liegt bereits vor. Wir führen beide "
            "zusammen; bitte unterstützen Sie den bestehenden Vorschlag."
        ),
    ),
    "deferred": (
        _("Zurückgestellt"),
        _(
            "Vielen Dank! Ihr Vorschlag wird zurückgestellt und in einer späteren Runde "
            "des Runden Tisches erneut aufgegriffen."
        ),
    ),
    "out_of_scope": (
        _("Nicht im Aufgabenbereich"),
        _(
            "Vielen Dank! Ihr Vorschlag liegt außerhalb der Aufgaben des Runden Tisches. "
            "Wir haben ihn an die zuständige Stelle weitergegeben."
        ),
    ),
}
