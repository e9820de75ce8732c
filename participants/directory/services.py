"""Keeping accounts in step with the directory (LDAP / Active Directory).

Directory accounts are Profiles with ``from_directory``. At each login the directory
gives name and e-mail (django-auth-ldap), role (``LDAP_ROLE_GROUPS``) and department
(``LDAP_DEPARTMENT_ATTRIBUTE``); every night the accounts the directory no longer finds
(removed, or disabled and so excluded by ``LDAP_USER_FILTER``) are deactivated. Their
ideas and comments stay.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Department, Profile, Role

logger = logging.getLogger(__name__)

#: A directory that suddenly finds more than this share of the accounts it is asked
#: about no more is more likely misconfigured (a wrong search base) than emptied.
DEACTIVATE_AT_MOST_SHARE = 0.5
DEACTIVATE_ALWAYS_UP_TO = 5

_ROLE_ORDER = (Role.ADMIN, Role.MODERATOR, Role.COMMITTEE)

#: set on the request when the directory could not be asked during a login attempt
UNREACHABLE_FLAG = "directory_unreachable"


def directory_unreachable(request) -> bool:
    """Whether a login attempt of this request found the directory unreachable."""
    return bool(getattr(request, UNREACHABLE_FLAG, False))


def directory_configured() -> bool:
    return bool(getattr(settings, "AUTH_LDAP_SERVER_URI", ""))


def _normalized_dn(dn: str) -> str:
    import ldap.dn

    try:
        return ldap.dn.dn2str(ldap.dn.str2dn(dn.strip().lower()))
    except ldap.DECODING_ERROR:
        return dn.strip().lower()


def directory_role(*, group_dns) -> str:
    """The role the person's directory groups give (everyone else is staff)."""
    configured = getattr(settings, "DIRECTORY_ROLE_GROUPS", {}) or {}
    member_of = {_normalized_dn(dn) for dn in group_dns}
    for role in _ROLE_ORDER:
        dn = configured.get(role.value)
        if dn and _normalized_dn(dn) in member_of:
            return role
    return Role.STAFF


def directory_department(*, attrs) -> Department | None:
    """The department named by the directory attribute: its number (``32``), or else
    its name (Active Directory's ``department`` holds names)."""
    attribute = getattr(settings, "DIRECTORY_DEPARTMENT_ATTRIBUTE", "departmentNumber")
    values = (attrs or {}).get(attribute) or []
    for value in values:
        value = str(value).strip()
        if not value:
            continue
        department = (
            Department.objects.filter(is_active=True)
            .filter(Q(number=value) | Q(name__iexact=value))
            .order_by("-number")  # a number match before a name match of another
            .first()
        )
        if department is not None:
            return department
    return None


@transaction.atomic
def directory_profile_sync(*, user, ldap_user):
    """Role and department from the directory, after django-auth-ldap has taken over
    name and e-mail. Returns the user with its profile."""
    group_dns = ldap_user.group_dns if getattr(settings, "DIRECTORY_ROLE_GROUPS", None) else ()
    role = directory_role(group_dns=group_dns)
    department = directory_department(attrs=ldap_user.attrs)
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    profile.role = role
    profile.department = department
    profile.from_directory = True
    fields = ["is_staff", "is_superuser"]
    if profile.directory_deactivated_at is not None:  # the directory knows the person again
        profile.directory_deactivated_at = None
        user.is_active = True
        fields.append("is_active")
    if user.has_usable_password():  # a former local account: the directory's password only
        user.set_unusable_password()
        fields.append("password")
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save(update_fields=fields)
    profile.save()
    user.profile = profile
    return user


def directory_connection():
    """A connection bound with the service account, as django-auth-ldap makes it."""
    import ldap

    connection = ldap.initialize(settings.AUTH_LDAP_SERVER_URI, bytes_mode=False)
    for option, value in getattr(settings, "AUTH_LDAP_CONNECTION_OPTIONS", {}).items():
        connection.set_option(option, value)
    if getattr(settings, "AUTH_LDAP_START_TLS", False):
        connection.start_tls_s()
    connection.simple_bind_s(
        getattr(settings, "AUTH_LDAP_BIND_DN", ""), getattr(settings, "AUTH_LDAP_BIND_PASSWORD", "")
    )
    return connection


def directory_accounts_check() -> dict:
    """Deactivates the directory accounts the directory no longer finds with
    ``LDAP_USER_FILTER`` (removed, or disabled). A directory that cannot be asked
    deactivates no one: the error is raised and the next night tries again."""
    if not directory_configured():
        return {"configured": False, "checked": 0, "deactivated": 0}
    search = settings.AUTH_LDAP_USER_SEARCH
    accounts = list(
        get_user_model()
        .objects.filter(is_active=True, profile__from_directory=True)
        .only("pk", "username")
    )
    connection = directory_connection()
    try:
        missing = [
            user.pk
            for user in accounts
            if len(search.execute(connection, {"user": user.username}) or []) != 1
        ]
    finally:
        connection.unbind_s()
    limit = max(DEACTIVATE_ALWAYS_UP_TO, int(len(accounts) * DEACTIVATE_AT_MOST_SHARE))
    if len(missing) > limit:
        logger.error(
            "directory: %s of %s accounts not found; none deactivated (check "
            "LDAP_USER_SEARCH_BASE and LDAP_USER_FILTER)",
            len(missing),
            len(accounts),
        )
        return {"configured": True, "checked": len(accounts), "deactivated": 0, "refused": True}
    now = timezone.now()
    with transaction.atomic():
        deactivated = (
            get_user_model().objects.filter(pk__in=missing, is_active=True).update(is_active=False)
        )
        Profile.objects.filter(user_id__in=missing).update(directory_deactivated_at=now)
    if deactivated:
        logger.info("directory: %s account(s) deactivated", deactivated)
    return {"configured": True, "checked": len(accounts), "deactivated": deactivated}


def directory_health() -> dict | None:
    """``/healthz``: can the service account bind? ``None`` while no directory is set."""
    if not directory_configured():
        return None
    try:
        directory_connection().unbind_s()
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}
