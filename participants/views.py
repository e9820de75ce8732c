from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from participants.decorators import permission_required
from roundtable.operations.text import clean_text

from . import invitations, selectors, services
from .directory.services import directory_configured
from .forms import (
    InvitationAcceptForm,
    InvitationForm,
    InvitationImportForm,
    LoginForm,
    ParticipationAnswerForm,
    ParticipationForm,
    QueuedPasswordResetForm,
)
from .models import DepartmentParticipation, Invitation

LOCAL_BACKEND = "participants.backends.ProfileModelBackend"


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- logging in and the password (the other account views are Django's) -------------------


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(directory_login=directory_configured(), **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(directory_login=directory_configured(), **kwargs)


# --- the internal coordination (verwaltungsinterne Abstimmung) --------------------------------


@permission_required("participants.view_coordination")
def coordination(request):
    return render(
        request,
        "participants/coordination_list.html",
        {
            "participations": selectors.coordination_list(),
            "summary": selectors.coordination_summary(),
            "contact_for": set(request.user.contact_for.values_list("pk", flat=True)),
            "Status": DepartmentParticipation.Status,
        },
    )


@permission_required("participants.change_departmentparticipation")
def coordination_edit(request, pk: int):
    participation = get_object_or_404(
        DepartmentParticipation.objects.select_related("department"), pk=pk
    )
    form = ParticipationForm(request.POST or None, instance=participation)
    if request.method == "POST" and form.is_valid():
        services.participation_set(
            participation=participation,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            contacts=form.cleaned_data["contacts"],
            by=request.user,
        )
        messages.success(
            request,
            _("Die Beteiligung von „%(department)s“ wurde gespeichert.")
            % {"department": participation.department},
        )
        return redirect("participants:coordination")
    return render(
        request,
        "participants/coordination_edit.html",
        {
            "form": form,
            "participation": participation,
            "requests": selectors.participation_requests(participation=participation),
        },
    )


def coordination_answer(request, pk: int):
    """A contact person confirms or declines for their department."""
    participation = get_object_or_404(
        DepartmentParticipation.objects.select_related("department", "set_by"), pk=pk
    )
    if not request.user.has_perm("participants.answer_departmentparticipation", participation):
        raise PermissionDenied
    initial = {}
    if participation.status != DepartmentParticipation.Status.INVITED:
        initial = {"status": participation.status, "note": participation.note}
    form = ParticipationAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_answer(
                participation=participation,
                by=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            if form.cleaned_data["status"] == DepartmentParticipation.Status.CONFIRMED:
                text = _("Vielen Dank: „%(department)s“ beteiligt sich.")
            else:
                text = _("Die Absage von „%(department)s“ wurde gespeichert.")
            messages.success(request, text % {"department": participation.department})
            return redirect("participants:coordination")
    return render(
        request,
        "participants/coordination_answer.html",
        {"form": form, "participation": participation},
    )


@permission_required("participants.request_departmentparticipation")
@require_POST
def coordination_request(request, pk: int):
    participation = get_object_or_404(
        DepartmentParticipation.objects.select_related("department"), pk=pk
    )
    try:
        sent = services.participation_request(participation=participation, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        if sent.kind == sent.Kind.REMINDER:
            text = _("Die Erinnerung an „%(department)s“ wird per E-Mail verschickt.")
        else:
            text = _("Die Anfrage an „%(department)s“ wird per E-Mail verschickt.")
        messages.success(request, text % {"department": participation.department})
    return redirect("participants:coordination")


@permission_required("participants.request_departmentparticipation")
@require_POST
def coordination_request_open(request):
    requests, skipped = services.participation_request_open(by=request.user)
    if requests:
        messages.success(
            request,
            ngettext(
                "%(n)s Amt wird per E-Mail angefragt bzw. erinnert.",
                "%(n)s Ämter werden per E-Mail angefragt bzw. erinnert.",
                len(requests),
            )
            % {"n": len(requests)},
        )
    if skipped:
        messages.warning(
            request,
            _("Ohne benannte Ansprechperson nicht angefragt: %(departments)s.")
            % {"departments": ", ".join(str(d) for d in skipped)},
        )
    if not requests and not skipped:
        messages.info(request, _("Alle Ämter haben bereits geantwortet."))
    return redirect("participants:coordination")


# --- invitations -------------------------------------------------------------------------------


@permission_required("participants.view_invitation")
def invitation_list(request):
    status = request.GET.get("status") or ""
    if status not in Invitation.Status.values:
        status = ""
    search = " ".join(clean_text(request.GET.get("q") or "", multiline=False).split())[:100]
    page = Paginator(selectors.invitation_list(status=status or None, search=search), 50).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "participants/invitation_list.html",
        {
            "page": page,
            "invitations": page.object_list,
            "summary": selectors.invitation_summary(),
            "status": status,
            "search": search,
            "Status": Invitation.Status,
        },
    )


@permission_required("participants.add_invitation")
def invitation_create(request):
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invitation_create(by=request.user, data=form.invitation_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Die Einladung an %(name)s (%(email)s) wird per E-Mail verschickt.")
                % {"name": invitation.name, "email": invitation.email},
            )
            return redirect("participants:invitation_list")
    return render(request, "participants/invitation_form.html", {"form": form})


@permission_required("participants.add_invitation")
def invitation_import(request):
    """CSV: upload → preview with a message per bad row → confirm → all invited, or none."""
    rows = None
    form = InvitationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            rows = invitations.csv_rows_parse(text=text)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.POST.get("action") == "send":
                try:
                    created = invitations.invitation_bulk_create(by=request.user, rows=rows)
                except ValidationError:
                    # the rows now carry their reasons; nothing was invited or sent
                    form.add_error(
                        None,
                        _(
                            "Es wurde niemand eingeladen: inzwischen lässt sich nicht mehr "
                            "jede Zeile einladen. Bitte prüfen Sie die markierten Zeilen."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(n)s Einladung wird per E-Mail verschickt.",
                            "%(n)s Einladungen werden per E-Mail verschickt.",
                            len(created),
                        )
                        % {"n": len(created)},
                    )
                    return redirect("participants:invitation_list")
            else:
                invitations.rows_checked(rows=rows, by=request.user)
    bad = [row for row in rows or [] if row.errors]
    return render(
        request,
        "participants/invitation_import.html",
        {"form": form, "rows": rows, "bad_count": len(bad), "ready": bool(rows) and not bad},
    )


def _invitation_for(pk: int) -> Invitation:
    return get_object_or_404(Invitation, pk=pk)


@permission_required("participants.change_invitation")
@require_POST
def invitation_resend(request, pk: int):
    invitation = _invitation_for(pk)
    try:
        invitations.invitation_resend(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("Die Einladung an %(email)s wird erneut verschickt; der alte Link gilt nicht mehr.")
            % {"email": invitation.email},
        )
    return redirect("participants:invitation_list")


@permission_required("participants.change_invitation")
@require_POST
def invitation_revoke(request, pk: int):
    invitation = _invitation_for(pk)
    try:
        invitations.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("Die Einladung an %(email)s wurde zurückgezogen.") % {"email": invitation.email},
        )
    return redirect("participants:invitation_list")


@login_not_required
@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request, token: str):
    """The link of the invitation e-mail: set a password, confirm the privacy notice,
    and be logged in."""
    try:
        invitation = invitations.invitation_from_token(token=token)
    except invitations.InvitationLinkError as error:
        return render(
            request,
            "participants/invitation_invalid.html",
            {"message": error.message, "reason": error.reason},
            status=404 if error.reason == "invalid" else 410,
        )
    if request.user.is_authenticated:
        return render(request, "participants/invitation_logged_in.html", {"invitation": invitation})
    first, _sep, last = invitation.name.strip().rpartition(" ")
    form = InvitationAcceptForm(
        request.POST or None,
        invitation=invitation,
        initial={"first_name": first, "last_name": last or invitation.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except invitations.InvitationLinkError as error:
            return render(
                request,
                "participants/invitation_invalid.html",
                {"message": error.message, "reason": error.reason},
                status=410,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend=LOCAL_BACKEND)
            messages.success(
                request,
                _(
                    "Willkommen beim Runden Tisch Integration! Sie melden sich künftig mit "
                    "Ihrer E-Mail-Adresse %(email)s und Ihrem Passwort an."
                )
                % {"email": user.get_username()},
            )
            return redirect("home")
    return render(
        request,
        "participants/invitation_accept.html",
        {"form": form, "invitation": invitation},
    )
