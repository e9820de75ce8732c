"""Invitations of people outside the administration: writes and the CSV import.

Moderators and administrators invite members of organisations, contacts in the
municipalities and Kreistag members by e-mail. The e-mail (sent by the worker through
the outbox) carries a signed link that works once and for ``INVITATION_VALID_DAYS``;
with it the person sets their own password, confirms the privacy notice and is logged
in. Resending or revoking changes the invitation's nonce, so only the newest link works.
"""

import csv
import io
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roundtable.operations import outbox

from .models import Invitation, Municipality, Organisation, Profile, Role
from .rules import is_administrator, is_moderator

LINK_SALT = "participants.invitation"  # separates these signatures from others
CSV_MAX_ROWS = 500
CSV_COLUMNS = 4  # name; e-mail; organisation or municipality; role

#: roles moderation may give (administrators may give every role)
MODERATOR_INVITES = (Role.EXTERNAL, Role.COMMITTEE)


def invitable_roles(user) -> list[Role]:
    if is_administrator(user):
        return [Role.EXTERNAL, Role.COMMITTEE, Role.STAFF, Role.MODERATOR, Role.ADMIN]
    if is_moderator(user):
        return list(MODERATOR_INVITES)
    return []


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _valid_until(now):
    return now + timedelta(days=settings.INVITATION_VALID_DAYS)


def _new_nonce() -> str:
    return secrets.token_urlsafe(12)


# --- the link --------------------------------------------------------------------------


class InvitationLinkError(Exception):
    """The link cannot be used; ``reason`` says why, ``message`` says it in German."""

    MESSAGES = {
        "invalid": gettext_lazy(
            "Dieser Einladungslink ist ungültig. Bitte prüfen Sie, ob Sie ihn vollständig aus "
            "der E-Mail übernommen haben."
        ),
        "expired": gettext_lazy(
            "Dieser Einladungslink ist abgelaufen. Bitte bitten Sie die Moderation des Runden "
            "Tisches, Ihnen die Einladung erneut zu senden."
        ),
        "used": gettext_lazy(
            "Diese Einladung wurde bereits angenommen. Bitte melden Sie sich mit Ihrer "
            "E-Mail-Adresse und Ihrem Passwort an; wenn Sie es vergessen haben, können Sie es "
            "zurücksetzen."
        ),
        "revoked": gettext_lazy(
            "Diese Einladung wurde zurückgezogen. Bei Fragen wenden Sie sich bitte an die "
            "Moderation des Runden Tisches."
        ),
        "replaced": gettext_lazy(
            "Für diese Einladung wurde inzwischen ein neuer Link verschickt. Bitte verwenden "
            "Sie den Link aus der neuesten E-Mail."
        ),
    }

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.reason])


def invitation_token(*, invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=LINK_SALT).sign(f"{invitation.pk}.{invitation.nonce}")


def invitation_url(*, invitation: Invitation) -> str:
    path = reverse(
        "participants:invitation_accept", kwargs={"token": invitation_token(invitation=invitation)}
    )
    return settings.PORTAL_BASE_URL + path


def invitation_from_token(*, token: str, for_update: bool = False) -> Invitation:
    """The invitation the link names, if it can still be accepted; else
    :class:`InvitationLinkError` with the reason."""
    signer = signing.TimestampSigner(salt=LINK_SALT)
    try:
        value = signer.unsign(token)
    except signing.BadSignature:
        raise InvitationLinkError("invalid") from None
    pk, _sep, nonce = value.partition(".")
    if not pk.isdigit() or len(pk) > 18:
        raise InvitationLinkError("invalid")
    invitations = Invitation.objects.select_related("organisation", "municipality")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=int(pk)).first()
    if invitation is None:
        raise InvitationLinkError("invalid")
    if invitation.accepted_at is not None:
        raise InvitationLinkError("used")
    if invitation.revoked_at is not None:
        raise InvitationLinkError("revoked")
    if not secrets.compare_digest(nonce, invitation.nonce):
        raise InvitationLinkError("replaced")
    try:
        signer.unsign(token, max_age=timedelta(days=settings.INVITATION_VALID_DAYS))
    except signing.SignatureExpired:
        raise InvitationLinkError("expired") from None
    if invitation.expires_at <= timezone.now():
        raise InvitationLinkError("expired")
    return invitation


# --- checking what is to be invited ------------------------------------------------------


@dataclass
class InvitationData:
    name: str
    email: str
    role: str
    organisation: Organisation | None = None
    municipality: Municipality | None = None


def _open_invitation_for(email: str) -> Invitation | None:
    return (
        Invitation.objects.open()
        .annotate(email_lower=Lower("email"))
        .filter(email_lower=email.lower())
        .first()
    )


def invitation_check(*, data: InvitationData, by) -> list[str]:
    """Why ``data`` cannot be invited by ``by`` (German messages), or nothing."""
    errors: list[str] = []
    if not data.name.strip():
        errors.append(_("Bitte geben Sie einen Namen an."))
    elif len(data.name.strip()) > 150:
        errors.append(_("Der Name ist länger als 150 Zeichen."))
    email = data.email.strip()
    email_ok = False
    if not email:
        errors.append(_("Bitte geben Sie eine E-Mail-Adresse an."))
    elif len(email) > 150:
        errors.append(_("Die E-Mail-Adresse ist länger als 150 Zeichen."))
    else:
        try:
            validate_email(email)
            email_ok = True
        except ValidationError:
            errors.append(_("„%(email)s“ ist keine gültige E-Mail-Adresse.") % {"email": email})
    allowed = invitable_roles(by)
    if data.role not in allowed:
        errors.append(
            _("Sie können nur in diese Rollen einladen: %(roles)s.")
            % {"roles": ", ".join(str(r.label) for r in allowed)}
        )
    if data.organisation is not None and data.municipality is not None:
        errors.append(
            _("Bitte wählen Sie eine Organisation oder eine Stadt/Gemeinde, nicht beides.")
        )
    if data.role == Role.EXTERNAL and data.organisation is None and data.municipality is None:
        errors.append(
            _("Externe Mitwirkende gehören zu einer Organisation oder einer Stadt/Gemeinde.")
        )
    if email_ok:
        User = get_user_model()
        if (
            User.objects.filter(email__iexact=email).exists()
            or User.objects.filter(username__iexact=email).exists()
        ):
            errors.append(_("Für diese E-Mail-Adresse gibt es schon ein Konto im Portal."))
        else:
            existing = _open_invitation_for(email)
            if existing is not None:
                errors.append(
                    _(
                        "An diese Adresse ging schon am %(date)s eine Einladung, die noch "
                        "offen ist. Sie können sie in der Liste der Einladungen erneut senden."
                    )
                    % {"date": date_format(timezone.localtime(existing.last_invited_at))}
                )
    return errors


# --- writes -------------------------------------------------------------------------------


def _queue_send(invitation: Invitation) -> None:
    from .tasks import invitation_send_task

    outbox.enqueue(
        invitation_send_task,
        kwargs={"invitation_id": invitation.pk, "nonce": invitation.nonce},
        key=f"invitation:{invitation.pk}:{invitation.nonce}",
    )


def _create(*, data: InvitationData, by) -> Invitation:
    now = timezone.now()
    invitation = Invitation.objects.create(
        name=data.name.strip(),
        email=data.email.strip(),
        role=data.role,
        organisation=data.organisation,
        municipality=data.municipality,
        invited_by=by,
        created=now,
        last_invited_at=now,
        expires_at=_valid_until(now),
        nonce=_new_nonce(),
    )
    _queue_send(invitation)
    return invitation


@transaction.atomic
def invitation_create(*, by, data: InvitationData) -> Invitation:
    _require(by, "participants.add_invitation")
    errors = invitation_check(data=data, by=by)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return _create(data=data, by=by)
    except IntegrityError:  # a parallel request invited the same address first
        raise ValidationError(_("An diese Adresse ist gerade eine Einladung gegangen.")) from None


@transaction.atomic
def invitation_bulk_create(*, by, rows: list["CsvRow"]) -> list[Invitation]:
    """All rows or none: every row is checked again (the preview may be old), and one
    that fails leaves nothing invited and nothing sent."""
    _require(by, "participants.add_invitation")
    if not rows:
        raise ValidationError(_("Die Datei enthält keine Einladungen."))
    rows_checked(rows=rows, by=by)
    bad = [row for row in rows if row.errors]
    if bad:
        raise ValidationError(
            [
                _("Zeile %(line)s: %(errors)s") % {"line": row.line, "errors": " ".join(row.errors)}
                for row in bad
            ]
        )
    try:
        with transaction.atomic():
            return [_create(data=row.data, by=by) for row in rows]
    except IntegrityError:
        raise ValidationError(
            _("Eine der Adressen wurde gerade eingeladen. Bitte prüfen Sie die Liste erneut.")
        ) from None


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by) -> Invitation:
    """A new e-mail with a new link, valid for the full period again; older links stop
    working."""
    _require(by, "participants.change_invitation", invitation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status not in (Invitation.Status.PENDING, Invitation.Status.EXPIRED):
        raise ValidationError(
            _("Eine Einladung, die %(status)s ist, kann nicht erneut gesendet werden.")
            % {"status": invitation.get_status_display()}
        )
    now = timezone.now()
    invitation.nonce = _new_nonce()
    invitation.last_invited_at = now
    invitation.expires_at = _valid_until(now)
    invitation.send_count += 1
    invitation.save(update_fields=["nonce", "last_invited_at", "expires_at", "send_count"])
    _queue_send(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    _require(by, "participants.change_invitation", invitation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status not in (Invitation.Status.PENDING, Invitation.Status.EXPIRED):
        raise ValidationError(
            _("Eine Einladung, die %(status)s ist, kann nicht zurückgezogen werden.")
            % {"status": invitation.get_status_display()}
        )
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = by
    invitation.nonce = _new_nonce()  # the link in the e-mail stops working at once
    invitation.save(update_fields=["revoked_at", "revoked_by", "nonce"])
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, first_name: str, last_name: str, password: str):
    """Creates the person's account from the invitation and uses the link up. The
    password has been checked by the form (Django's validators)."""
    invitation = invitation_from_token(token=token, for_update=True)
    User = get_user_model()
    email = invitation.email.strip()
    if (
        User.objects.filter(username__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    ):
        raise ValidationError(
            _(
                "Für diese E-Mail-Adresse gibt es schon ein Konto. Bitte melden Sie sich an "
                "oder setzen Sie Ihr Passwort zurück."
            )
        )
    now = timezone.now()
    user = User(
        username=email.lower(),
        email=email,
        first_name=first_name.strip()[:150],
        last_name=last_name.strip()[:150],
        is_staff=invitation.role == Role.ADMIN,
        is_superuser=invitation.role == Role.ADMIN,
    )
    user.set_password(password)
    user.save()
    Profile.objects.create(
        user=user,
        role=invitation.role,
        organisation=invitation.organisation,
        municipality=invitation.municipality,
    )
    invitation.accepted_at = now
    invitation.accepted_user = user
    invitation.privacy_accepted_at = now
    invitation.save(update_fields=["accepted_at", "accepted_user", "privacy_accepted_at"])
    return user


@transaction.atomic
def invitation_send(*, invitation_id: int, nonce: str) -> bool:
    """Sends the invitation e-mail for ``nonce``, once; an invitation that was resent,
    revoked or accepted in the meantime sends nothing. Returns whether a mail went out."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "municipality", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if (
        invitation is None
        or invitation.nonce != nonce
        or invitation.mailed_nonce == nonce
        or invitation.status != Invitation.Status.PENDING
    ):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "url": invitation_url(invitation=invitation),
            "login_url": settings.PORTAL_BASE_URL + reverse("login"),
            "privacy_url": settings.PORTAL_BASE_URL + reverse("privacy:privacy_statement"),
            "expires": timezone.localtime(invitation.expires_at),
            "role": invitation.get_role_display(),
        }
        subject = _("Einladung zum Portal des Runden Tisches Integration")
        body = render_to_string("participants/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    invitation.mailed_nonce = nonce
    invitation.mailed_at = timezone.now()
    invitation.save(update_fields=["mailed_nonce", "mailed_at"])
    return True


def invitation_purge(*, days: int = 90) -> int:
    """Invitations that ended without an account (expired or revoked) hold a name and
    an address of someone who never joined: removed after ``days``."""
    cutoff = timezone.now() - timedelta(days=days)
    expired = Invitation.objects.expired(now=cutoff)
    revoked = Invitation.objects.filter(accepted_at__isnull=True, revoked_at__lt=cutoff)
    deleted = expired.delete()[0] + revoked.delete()[0]
    return deleted


# --- the CSV import (name; e-mail; organisation or municipality; role) ----------------------


@dataclass
class CsvRow:
    line: int
    values: list[str]
    data: InvitationData | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values[0] if self.values else ""

    @property
    def email(self) -> str:
        return self.values[1] if len(self.values) > 1 else ""

    @property
    def affiliation(self) -> str:
        return self.values[2] if len(self.values) > 2 else ""

    @property
    def role_label(self) -> str:
        if self.data is not None:
            return str(Role(self.data.role).label)
        return self.values[3] if len(self.values) > 3 else ""


def csv_decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), or Windows-1252 as Excel writes it in Germany."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _role_lookup() -> dict[str, str]:
    names: dict[str, str] = {}
    for role in Role:
        names[role.value] = role.value
        for language in ("de", "en"):  # the label in either language of the portal
            with translation.override(language):
                names[str(role.label).lower()] = role.value
    names.update({"extern": Role.EXTERNAL, "externe": Role.EXTERNAL, "ausschuss": Role.COMMITTEE})
    return names


def _is_header(values: list[str]) -> bool:
    first = values[0].strip().lower() if values else ""
    second = values[1].strip().lower() if len(values) > 1 else ""
    return first in {"name", "namen"} or "mail" in second


def _affiliation_of(value: str):
    organisation = Organisation.objects.filter(is_active=True, name__iexact=value).first()
    if organisation is not None:
        return organisation, None
    municipality = Municipality.objects.filter(name__iexact=value).first()
    if municipality is not None:
        return None, municipality
    return None, None


def csv_rows_parse(*, text: str) -> list[CsvRow]:
    """The rows of the text (``;``, ``,`` or tab separated; a header row is skipped),
    each with its data or the German reason why not. Checks against the portal's data
    follow in :func:`rows_checked`."""
    lines = text.strip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(lines[:4096], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    reader = csv.reader(io.StringIO(lines), delimiter=delimiter)
    roles = _role_lookup()
    rows: list[CsvRow] = []
    try:
        for values in reader:
            values = [v.strip() for v in values]
            if not any(values):
                continue
            if not rows and _is_header(values) and reader.line_num == 1:
                continue
            row = CsvRow(line=reader.line_num, values=values)
            rows.append(row)
            if len(rows) > CSV_MAX_ROWS:
                break
    except csv.Error as exc:
        raise ValidationError(
            _("Die Datei ist keine lesbare CSV-Datei (Zeile %(line)s): %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from None
    if len(rows) > CSV_MAX_ROWS:
        raise ValidationError(
            _("Höchstens %(max)s Einladungen auf einmal, bitte teilen Sie die Datei.")
            % {"max": CSV_MAX_ROWS}
        )
    for row in rows:
        filled = [v for v in row.values]
        while len(filled) > CSV_COLUMNS and not filled[-1]:
            filled.pop()  # trailing empty cells, as spreadsheets write them
        if len(filled) not in (CSV_COLUMNS - 1, CSV_COLUMNS):
            row.errors.append(
                _(
                    "Die Zeile hat %(n)s Spalten, erwartet werden 4: Name; E-Mail; "
                    "Organisation oder Stadt/Gemeinde; Rolle."
                )
                % {"n": len(filled)}
            )
            continue
        name, email, affiliation = filled[0], filled[1], filled[2]
        role_text = filled[3] if len(filled) == CSV_COLUMNS else ""
        role = roles.get(role_text.lower()) if role_text else Role.EXTERNAL
        if role is None:
            row.errors.append(
                _("Unbekannte Rolle „%(role)s“ (möglich: %(roles)s).")
                % {
                    "role": role_text,
                    "roles": ", ".join(f"{r.value} / {r.label}" for r in Role),
                }
            )
            continue
        organisation = municipality = None
        if affiliation:
            organisation, municipality = _affiliation_of(affiliation)
            if organisation is None and municipality is None:
                row.errors.append(
                    _(
                        "„%(name)s“ ist weder eine Organisation noch eine Stadt oder Gemeinde "
                        "des Portals (Schreibweise wie unter „Beteiligte“)."
                    )
                    % {"name": affiliation}
                )
                continue
        row.data = InvitationData(
            name=name,
            email=email,
            role=role,
            organisation=organisation,
            municipality=municipality,
        )
    return rows


def rows_checked(*, rows: list[CsvRow], by) -> list[CsvRow]:
    """Adds to each parsed row what keeps it from being invited (also: the same
    address twice in the file)."""
    seen: dict[str, int] = {}
    for row in rows:
        if row.data is None:
            continue
        row.errors.extend(invitation_check(data=row.data, by=by))
        email = row.data.email.strip().lower()
        if email in seen:
            row.errors.append(
                _("Die Adresse steht schon in Zeile %(line)s.") % {"line": seen[email]}
            )
        elif email:
            seen[email] = row.line
    return rows
