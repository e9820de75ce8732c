"""django-auth-ldap's settings from the portal's environment variables.

Imported by ``roundtable/settings.py`` only when ``LDAP_SERVER_URI`` is set, and by the
tests with the address of their own ``slapd``: both configure the directory the same way.
"""

from django.core.exceptions import ImproperlyConfigured

#: the roles a directory group can give; everyone else in the directory is staff
DIRECTORY_ROLES = ("admin", "moderator", "committee")


def parse_role_groups(value: str) -> dict[str, str]:
    """``moderator=cn=rt-moderation,ou=Gruppen,dc=…;committee=…;admin=…`` → role: group DN."""
    groups: dict[str, str] = {}
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        role, sep, dn = part.partition("=")
        role, dn = role.strip(), dn.strip()
        if not sep or not dn:
            raise ImproperlyConfigured(f"LDAP_ROLE_GROUPS: '{part}' is not role=group DN")
        if role not in DIRECTORY_ROLES:
            raise ImproperlyConfigured(
                f"LDAP_ROLE_GROUPS: unknown role '{role}' (one of {', '.join(DIRECTORY_ROLES)})"
            )
        groups[role] = dn
    return groups


def directory_settings(
    *,
    server_uri: str,
    user_search_base: str,
    user_filter: str = "(sAMAccountName=%(user)s)",
    start_tls: bool = False,
    bind_dn: str = "",
    bind_password: str = "",
    group_search_base: str = "",
    role_groups: str = "",
    department_attribute: str = "departmentNumber",
    timeout: float = 3.0,
) -> dict:
    """The ``AUTH_LDAP_*`` settings and the portal's own ``DIRECTORY_*`` settings."""
    try:
        import ldap
        from django_auth_ldap.config import LDAPSearch, NestedMemberDNGroupType
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise ImproperlyConfigured(
            "LDAP_SERVER_URI is set, but python-ldap/django-auth-ldap are not installed: "
            "pip install -r requirements-ldap.txt (needs libldap2-dev, libsasl2-dev, gcc)"
        ) from exc
    if "%(user)s" not in user_filter:
        raise ImproperlyConfigured("LDAP_USER_FILTER must contain %(user)s")
    groups = parse_role_groups(role_groups)
    return {
        "AUTH_LDAP_SERVER_URI": server_uri,
        "AUTH_LDAP_START_TLS": start_tls,
        "AUTH_LDAP_BIND_DN": bind_dn,
        "AUTH_LDAP_BIND_PASSWORD": bind_password,
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(user_search_base, ldap.SCOPE_SUBTREE, user_filter),
        # groups that contain the person, directly or through other groups ("member" is
        # the attribute of Active Directory's groups and of groupOfNames alike)
        "AUTH_LDAP_GROUP_SEARCH": LDAPSearch(
            group_search_base or user_search_base,
            ldap.SCOPE_SUBTREE,
            "(|(objectClass=group)(objectClass=groupOfNames))",
        ),
        "AUTH_LDAP_GROUP_TYPE": NestedMemberDNGroupType(member_attr="member"),
        "AUTH_LDAP_USER_ATTR_MAP": {"first_name": "givenName", "last_name": "sn", "email": "mail"},
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        # never cache: a person disabled in the directory must not log in a minute later
        "AUTH_LDAP_CACHE_TIMEOUT": 0,
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: timeout,
            ldap.OPT_TIMEOUT: timeout * 2,
            ldap.OPT_REFERRALS: 0,  # Active Directory: do not chase referrals
        },
        "DIRECTORY_ROLE_GROUPS": groups,
        "DIRECTORY_DEPARTMENT_ATTRIBUTE": department_attribute,
    }
