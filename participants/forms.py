from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from roundtable.operations.text import PlainTextFormMixin

from .accounts import password_reset_request
from .directory.services import directory_unreachable
from .fields import bounded_formfield
from .invitations import InvitationData, invitable_roles
from .models import DepartmentParticipation, Municipality, Organisation, Role

ORGANISATION_PREFIX = "o"
MUNICIPALITY_PREFIX = "m"


class ParticipationForm(PlainTextFormMixin, forms.ModelForm):
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
            .exclude(profile__role=Role.EXTERNAL)  # contact persons are the department's own
            .select_related("profile")
            .order_by("last_name", "first_name")
        )
        self.fields["contacts"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.get_username()}"
        )


class ParticipationAnswerForm(forms.Form):
    """A contact person's answer for their department."""

    status = forms.ChoiceField(
        label=_("Ihre Antwort für das Amt"),
        choices=[
            (DepartmentParticipation.Status.CONFIRMED, _("Wir beteiligen uns (zusagen)")),
            (DepartmentParticipation.Status.DECLINED, _("Wir beteiligen uns nicht (absagen)")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Notiz"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Zum Beispiel: wer sich im Amt kümmert, oder warum das Amt absagt "
            "(bei einer Absage bitte ausfüllen)."
        ),
    )


# --- logging in and the password ------------------------------------------------------------


class LoginForm(AuthenticationForm):
    """Django's login form; when the directory could not be asked, it says so instead
    of "wrong password" (local accounts log in as usual)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "directory_unreachable": _(
            "Die Anmeldung mit Ihrem Windows-Konto ist gerade nicht möglich: das Verzeichnis "
            "der Kreisverwaltung ist nicht erreichbar. Bitte versuchen Sie es in einigen "
            "Minuten erneut. Eingeladene Personen melden sich weiter mit ihrer E-Mail-Adresse "
            "und ihrem Passwort an."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError as exc:
            if exc.code == "invalid_login" and directory_unreachable(self.request):
                raise ValidationError(
                    self.error_messages["directory_unreachable"], code="directory_unreachable"
                ) from None
            raise


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form; the e-mail goes through the outbox (``accounts.py``)."""

    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, *args, **kwargs):
        password_reset_request(users=list(self.get_users(self.cleaned_data["email"])))


# --- invitations -----------------------------------------------------------------------------


def affiliation_choices():
    organisations = [
        (f"{ORGANISATION_PREFIX}{o.pk}", o.name)
        for o in Organisation.objects.filter(is_active=True)
    ]
    municipalities = [(f"{MUNICIPALITY_PREFIX}{m.pk}", m.name) for m in Municipality.objects.all()]
    return [
        ("", _("– keine (z. B. Kreistagsmitglied) –")),
        (_("Organisationen"), organisations),
        (_("Städte und Gemeinden"), municipalities),
    ]


def _affiliation(value: str):
    """``o12`` → (organisation 12, None), ``m3`` → (None, municipality 3)."""
    if not value:
        return None, None
    prefix, number = value[:1], value[1:]
    if not number.isdigit() or len(number) > 18:
        raise ValidationError(_("Bitte wählen Sie aus der Liste."), code="invalid_choice")
    if prefix == ORGANISATION_PREFIX:
        found = Organisation.objects.filter(is_active=True, pk=int(number)).first()
        if found:
            return found, None
    elif prefix == MUNICIPALITY_PREFIX:
        found = Municipality.objects.filter(pk=int(number)).first()
        if found:
            return None, found
    raise ValidationError(_("Bitte wählen Sie aus der Liste."), code="invalid_choice")


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=150)
    affiliation = forms.ChoiceField(
        label=_("Organisation oder Stadt/Gemeinde"),
        required=False,
        help_text=_("Externe Mitwirkende gehören zu einer Organisation oder Stadt/Gemeinde."),
    )
    role = forms.ChoiceField(label=_("Rolle"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliation"].choices = affiliation_choices()
        self.fields["role"].choices = [(r.value, r.label) for r in invitable_roles(user)]

    def clean_affiliation(self):
        return _affiliation(self.cleaned_data.get("affiliation") or "")

    def invitation_data(self) -> InvitationData:
        organisation, municipality = self.cleaned_data["affiliation"]
        return InvitationData(
            name=self.cleaned_data["name"],
            email=self.cleaned_data["email"],
            role=self.cleaned_data["role"],
            organisation=organisation,
            municipality=municipality,
        )


class InvitationImportForm(forms.Form):
    """A CSV file, or its lines pasted (the preview puts the file's lines here, so they
    can be corrected without losing anything)."""

    file = forms.FileField(
        label=_("CSV-Datei"),
        required=False,
        help_text=_("Spalten: Name; E-Mail; Organisation oder Stadt/Gemeinde; Rolle."),
    )
    text = forms.CharField(
        label=_("Oder die Zeilen hier einfügen bzw. korrigieren"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )

    MAX_BYTES = 1024 * 1024

    def clean(self):
        from .invitations import csv_decode

        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > self.MAX_BYTES:
                raise ValidationError(_("Die Datei ist größer als 1 MB."))
            cleaned["text"] = csv_decode(upload.read())
            self.data = self.data.copy()
            self.data["text"] = cleaned["text"]  # shown again in the preview
        if not (cleaned.get("text") or "").strip():
            raise ValidationError(_("Bitte wählen Sie eine CSV-Datei oder fügen Sie Zeilen ein."))
        return cleaned


class InvitationAcceptForm(forms.Form):
    """The invited person sets their own password (Django's validators) and confirms
    the privacy notice."""

    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    password1 = forms.CharField(
        label=_("Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    privacy = forms.BooleanField(
        label=_("Ich habe die Datenschutzerklärung gelesen."),
        error_messages={
            "required": _("Bitte bestätigen Sie, dass Sie die Datenschutzerklärung gelesen haben.")
        },
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif password1:
            candidate = get_user_model()(
                username=self.invitation.email.lower(),
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
