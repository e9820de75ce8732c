import json

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from participants.decorators import permission_required

from . import selectors, services
from .forms import (
    AccessibilityFeedbackForm,
    AdminErasureConfirmForm,
    ErasureConfirmForm,
    UserSearchForm,
)
from .models import ErasureRecord, LegalPage

User = get_user_model()


def _legal_page(request, kind: str, extra: dict | None = None):
    page = selectors.legal_page_get(kind=kind)
    return render(request, "privacy/legal_page_detail.html", {"page": page, **(extra or {})})


@login_not_required
@require_http_methods(["GET", "HEAD"])
def privacy_statement(request):
    return _legal_page(request, LegalPage.Kind.PRIVACY)


@login_not_required
@require_http_methods(["GET", "HEAD"])
def imprint(request):
    return _legal_page(request, LegalPage.Kind.IMPRINT)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def accessibility_statement(request):
    """The statement with its feedback form (open to everyone, as BITV requires)."""
    if request.method == "POST":
        form = AccessibilityFeedbackForm(request.POST)
        if form.is_valid():
            services.accessibility_feedback_submit(**form.cleaned_data)
            messages.success(
                request,
                _("Vielen Dank! Ihre Rückmeldung ist eingegangen und wurde weitergeleitet."),
            )
            return redirect("privacy:accessibility_statement")
    else:
        form = AccessibilityFeedbackForm()
    return _legal_page(request, LegalPage.Kind.ACCESSIBILITY, {"feedback_form": form})


def _export_response(user) -> HttpResponse:
    data = selectors.personal_data_export(user=user)
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meine-daten-{user.pk}-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@permission_required("privacy.view_own_data")
def my_data(request):
    return render(request, "privacy/my_data.html", {"form": ErasureConfirmForm()})


@permission_required("privacy.view_own_data")
def my_data_export(request):
    return _export_response(request.user)


@permission_required("privacy.erase_own_account")
@require_http_methods(["GET", "POST"])
def my_account_erase(request):
    form = ErasureConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_erase(
                user=request.user, reason=ErasureRecord.Reason.OWN_REQUEST, erased_by=None
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            logout(request)
            messages.success(
                request,
                _("Ihre personenbezogenen Daten wurden gelöscht und Ihr Konto wurde geschlossen."),
            )
            return redirect("privacy:privacy_statement")
    return render(request, "privacy/my_data.html", {"form": form}, status=200)


@permission_required("privacy.manage_personal_data")
def user_list(request):
    form = UserSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.user_list_for_privacy(search=search), 50).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "privacy/user_list.html",
        {
            "form": form,
            "page_obj": page,
            "search": search,
            "erasures": ErasureRecord.objects.select_related("erased_by")[:20],
        },
    )


@permission_required("privacy.manage_personal_data")
def user_export(request, pk: int):
    return _export_response(get_object_or_404(User, pk=pk))


@permission_required("privacy.manage_personal_data")
@require_http_methods(["GET", "POST"])
def user_erase(request, pk: int):
    person = get_object_or_404(User.objects.select_related("profile"), pk=pk)
    form = AdminErasureConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if person.pk == request.user.pk:
            form.add_error(None, _("Ihr eigenes Konto löschen Sie unter „Meine Daten“."))
        else:
            try:
                record = services.user_erase(
                    user=person, reason=ErasureRecord.Reason.ADMINISTRATOR, erased_by=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Die personenbezogenen Daten wurden gelöscht (Pseudonym %(p)s).")
                    % {"p": record.pseudonym},
                )
                return redirect("privacy:user_list")
    return render(request, "privacy/user_erase_confirm.html", {"person": person, "form": form})
