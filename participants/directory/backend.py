"""The authentication backend of the directory login (django-auth-ldap).

Listed after the local accounts' backend: invited people and local administrators log
in without the directory being asked. A directory login takes name, e-mail, role and
department from the directory (``services.directory_profile_sync``).
"""

import logging

import ldap
from django_auth_ldap.backend import LDAPBackend, ldap_error

from participants.backends import ProfileModelBackend

from .services import UNREACHABLE_FLAG, directory_profile_sync

logger = logging.getLogger(__name__)


class DirectoryBackend(LDAPBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            return None
        try:
            return directory_profile_sync(user=user, ldap_user=user.ldap_user)
        except ldap.LDAPError as exc:  # the group lookup after the bind failed
            logger.warning("directory: profile of %s not synchronised: %r", username, exc)
            if request is not None:
                setattr(request, UNREACHABLE_FLAG, True)
            return None

    def get_or_build_user(self, username, ldap_user):
        """The account of the directory login. A local account of the same name is taken
        over only when it is the same person (the same e-mail address as in the
        directory): an invited member or a local administrator whose name happens to be
        someone's Windows name keeps their account, and that login is refused."""
        user, built = super().get_or_build_user(username, ldap_user)
        if not built and not _from_directory(user) and not _same_person(user, ldap_user):
            logger.warning(
                "directory: login %s refused: a local account of that name belongs to "
                "someone else (other e-mail address)",
                username,
            )
            raise ldap_user.AuthenticationFailed("local account of another person")
        return user, built

    def get_user(self, user_id):
        """Every request after the login: the account and its profile (and the page
        cache's generations, in the same query), no directory."""
        return ProfileModelBackend().get_user(user_id)

    # The portal's permissions are its roles (rules.py), not directory groups.
    def get_all_permissions(self, user, obj=None):
        return set()

    def get_group_permissions(self, user, obj=None):
        return set()

    def has_perm(self, user, perm, obj=None):
        return False

    def has_module_perms(self, user, app_label):
        return False


def _note_unreachable(sender, context, user, request, exception, **kwargs):
    """django-auth-ldap reports every directory error here (a wrong password is no
    error): the login form tells the person that the directory could not be asked."""
    if request is not None:
        setattr(request, UNREACHABLE_FLAG, True)


ldap_error.connect(_note_unreachable, sender=DirectoryBackend, dispatch_uid="directory-unreachable")


def _from_directory(user) -> bool:
    profile = getattr(user, "profile", None)
    return bool(profile and profile.from_directory)


def _same_person(user, ldap_user) -> bool:
    mails = [m.strip().lower() for m in ldap_user.attrs.get("mail", []) if m and m.strip()]
    return bool(user.email) and user.email.strip().lower() in mails
