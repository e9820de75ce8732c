"""The notification centre (bell, list, mark as read), delivery settings, follow buttons
and the personal calendar feed: parse input, call one service or selector, render."""

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from participants.decorators import permission_required

from . import registry, selectors, services
from .calendar import calendar_bytes
from .forms import DeliverySettingsForm
from .links import portal_host
from .models import Notification
from .templatetags.notifications import follow_dom_id

PAGE_SIZE = 25
FEED_NAME = "Runder Tisch Integration"


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.boosted


def _safe_next(request, fallback: str) -> str:
    """Where a form asked to go back to, if that is a page of this portal."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- the notification centre -----------------------------------------------------------


@permission_required("notifications.view_notification")
@require_GET
@never_cache
def bell(request):
    """The bell with the unread count, loaded into every page by htmx: so a page from the
    page cache (roundtable.operations.pagecache) never shows a stale count."""
    return render(
        request, "notifications/_bell.html", {"unread": selectors.unread_count(user=request.user)}
    )


@permission_required("notifications.view_notification")
@require_GET
def notification_list(request):
    unread_only = request.GET.get("ungelesen") == "1"
    notifications = selectors.notification_list(user=request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.unread_count(user=request.user),
        },
    )


@permission_required("notifications.view_notification")
@require_GET
def notification_open(request, pk: int):
    """Marks the notification read and goes where it points."""
    try:
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    allowed = {request.get_host(), portal_host()}
    if notification.link and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts=allowed
    ):
        return HttpResponseRedirect(notification.link)
    return redirect("notifications:list")


@permission_required("notifications.change_notification")
@require_POST
def notification_mark_read(request, pk: int):
    try:
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    if _htmx(request):
        return render(
            request,
            "notifications/_notification_read.html",
            {"notification": notification, "unread": selectors.unread_count(user=request.user)},
        )
    messages.success(request, _("Die Benachrichtigung ist als gelesen markiert."))
    return HttpResponseRedirect(_safe_next(request, reverse("notifications:list")))


@permission_required("notifications.change_notification")
@require_POST
def notification_mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("Alle Benachrichtigungen sind als gelesen markiert."))
    return HttpResponseRedirect(_safe_next(request, reverse("notifications:list")))


# --- settings -----------------------------------------------------------------------------


@permission_required("notifications.change_deliverysetting")
@never_cache
def notification_settings(request):
    form = DeliverySettingsForm(
        request.POST or None, choices=selectors.delivery_choices(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.delivery_settings_save(user=request.user, deliveries=form.deliveries())
        messages.success(request, _("Ihre Einstellungen wurden gespeichert."))
        return redirect("notifications:settings")
    feed = getattr(request.user, "calendar_feed", None)
    return render(
        request,
        "notifications/notification_settings.html",
        {
            "form": form,
            "follows": selectors.follows_of(user=request.user),
            "feed": feed,
            "feed_url": selectors.calendar_feed_url(feed) if feed else "",
        },
    )


@permission_required("notifications.change_calendarfeed")
@require_POST
def calendar_feed_renew(request):
    had_one = hasattr(request.user, "calendar_feed")
    services.calendar_feed_renew(user=request.user)
    messages.success(
        request,
        _("Ihr Kalender-Abo hat eine neue Adresse; die bisherige gilt nicht mehr.")
        if had_one
        else _("Ihr Kalender-Abo ist eingerichtet."),
    )
    return redirect(reverse("notifications:settings") + "#kalender")


@permission_required("notifications.change_calendarfeed")
@require_POST
def calendar_feed_revoke(request):
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, _("Ihr Kalender-Abo ist beendet; die Adresse gilt nicht mehr."))
    return redirect(reverse("notifications:settings") + "#kalender")


@login_not_required
@require_safe
def calendar_feed(request, user_id: int, token: str):
    """A person's calendar subscription: no login (calendar programs have none), the
    secret address is the key. Unknown, revoked or wrong: 404, the same for all."""
    feed = selectors.calendar_feed_check(user_id=user_id, token=token)
    if feed is None:
        raise Http404
    with translation.override(settings.LANGUAGE_CODE):
        content = calendar_bytes(selectors.calendar_entries_for(user=feed.user), name=FEED_NAME)
    services.calendar_feed_fetched(feed=feed)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="runder-tisch.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- following ------------------------------------------------------------------------------


@permission_required("notifications.add_follow")
@require_POST
def follow_toggle(request, label: str, object_id: str):
    followable = registry.followable(label)
    if followable is None:
        raise Http404
    model = apps.get_model(label)
    target = model._default_manager.filter(pk=object_id).first() if object_id.isdigit() else None
    if target is None or not request.user.has_perm(followable.view_permission, target):
        raise Http404
    try:
        following = services.follow_toggle(user=request.user, target=target)
    except PermissionDenied as exc:
        raise Http404 from exc
    context = {
        "target": target,
        "label": label,
        "following": following,
        "dom_id": follow_dom_id(label, target.pk),
    }
    if _htmx(request):
        return render(request, "notifications/_follow_toggled.html", context)
    messages.success(
        request,
        _("Sie folgen jetzt und werden über Neues benachrichtigt.")
        if following
        else _("Sie folgen nicht mehr."),
    )
    fallback = target.get_absolute_url() if hasattr(target, "get_absolute_url") else "/"
    return HttpResponseRedirect(_safe_next(request, fallback))
