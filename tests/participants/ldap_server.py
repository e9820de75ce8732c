"""A private OpenLDAP ``slapd`` for the tests: the Kreis as a directory.

Started on a free loopback port with its own configuration and database in a temporary
directory (mdb backend; core, cosine and inetorgperson schemas; the ppolicy overlay, so
that a locked account cannot bind). The system's slapd service is never touched.
"""

import base64
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

SLAPD = "/usr/sbin/slapd"
SCHEMA_DIR = Path("/etc/ldap/schema")
MODULE_DIR = Path("/usr/lib/ldap")

BASE = "dc=rhein-sieg-kreis,dc=de"
ADMIN_DN = f"cn=admin,{BASE}"
ADMIN_PASSWORD = "slapd-Verwaltung-2004"
SERVICE_DN = f"cn=portal,ou=Dienste,{BASE}"
SERVICE_PASSWORD = "Portal-Dienstkonto-2004"
GROUPS = f"ou=Gruppen,{BASE}"
PASSWORD = "Kreishaus-Siegburg-2004"  # every person's directory password

#: OpenLDAP's counterpart of Active Directory's "account disabled": locked by ppolicy
#: (no bind), and left out by the portal's user filter (the nightly check sees it).
USER_FILTER = "(&(uid=%(user)s)(!(pwdAccountLockedTime=*)))"
ROLE_GROUPS = (
    f"moderator=cn=rt-moderation,{GROUPS};committee=cn=rt-ausschuss,{GROUPS};"
    f"admin=cn=rt-admin,{GROUPS}"
)

# uid: (given name, surname, department OU, departmentNumber)
PEOPLE = {
    "mschneider": ("Mara", "Schneider", "Ordnungsamt", "32"),
    "kbraun": ("Karl", "Braun", "Schulamt", "40"),
    "jweber": ("Jonas", "Weber", "Besondere soziale Aufgaben", "50.3"),
    "lmeyer": ("Lena", "Meyer", "Besondere soziale Aufgaben", "50.3"),
    "abecker": ("Andreas", "Becker", "Besondere soziale Aufgaben", "50.3"),
    "hkraemer": ("Helga", "Krämer", "Kreistagsbüro", "01.1"),
    "tfischer": ("Tobias", "Fischer", "Schulamt", "40"),  # disabled
}
DISABLED = {"tfischer"}
# group: members (people or groups)
GROUP_MEMBERS = {
    "rt-moderation": ["uid=jweber", "cn=rt-moderation-vertretung"],
    "rt-moderation-vertretung": ["uid=lmeyer"],  # nested: a moderator through a group
    "rt-ausschuss": ["uid=hkraemer"],
    "rt-admin": ["uid=abecker"],
}


def person_dn(uid: str, department: str | None = None) -> str:
    department = department or PEOPLE[uid][2]
    return f"uid={uid},ou={department},ou=Aemter,{BASE}"


def _value(name: str, value: str) -> str:
    """One LDIF line; values that are not plain ASCII are base64 (RFC 2849)."""
    if value.isascii() and not value.startswith((" ", ":", "<")):
        return f"{name}: {value}"
    return f"{name}:: {base64.b64encode(value.encode()).decode()}"


def _entry(dn: str, **attrs) -> str:
    lines = [_value("dn", dn)]
    for name, values in attrs.items():
        for value in values if isinstance(values, list) else [values]:
            lines.append(_value(name, value))
    return "\n".join(lines)


def person_entry(uid: str, first: str, last: str, department: str, number: str, **extra) -> str:
    return _entry(
        person_dn(uid, department),
        objectClass="inetOrgPerson",
        uid=uid,
        cn=f"{first} {last}",
        givenName=first,
        sn=last,
        mail=f"{uid}@rhein-sieg-kreis.example",
        departmentNumber=number,
        userPassword=PASSWORD,
        **extra,
    )


def kreis_ldif() -> str:
    """The Kreis: departments as OUs, people with departmentNumber, groups for the roles,
    the portal's service account, one disabled person."""
    entries = [
        _entry(
            BASE,
            objectClass=["dcObject", "organization"],
            o="Rhein-Sieg-Kreis",
            dc="rhein-sieg-kreis",
        ),
        _entry(f"ou=Aemter,{BASE}", objectClass="organizationalUnit", ou="Aemter"),
        _entry(f"ou=Dienste,{BASE}", objectClass="organizationalUnit", ou="Dienste"),
        _entry(GROUPS, objectClass="organizationalUnit", ou="Gruppen"),
        _entry(f"ou=Richtlinien,{BASE}", objectClass="organizationalUnit", ou="Richtlinien"),
        _entry(
            f"cn=standard,ou=Richtlinien,{BASE}",
            objectClass=["organizationalRole", "pwdPolicy"],
            cn="standard",
            pwdAttribute="userPassword",
            pwdLockout="TRUE",
        ),
        _entry(
            SERVICE_DN,
            objectClass=["organizationalRole", "simpleSecurityObject"],
            cn="portal",
            userPassword=SERVICE_PASSWORD,
        ),
    ]
    for department in sorted({p[2] for p in PEOPLE.values()}):
        entries.append(
            _entry(
                f"ou={department},ou=Aemter,{BASE}", objectClass="organizationalUnit", ou=department
            )
        )
    for uid, (first, last, department, number) in PEOPLE.items():
        extra = {"pwdAccountLockedTime": "000001010000Z"} if uid in DISABLED else {}
        entries.append(person_entry(uid, first, last, department, number, **extra))
    for group in ["rt-moderation-vertretung", "rt-moderation", "rt-ausschuss", "rt-admin"]:
        members = [
            person_dn(m[4:]) if m.startswith("uid=") else f"{m},{GROUPS}"
            for m in GROUP_MEMBERS[group]
        ]
        entries.append(
            _entry(f"cn={group},{GROUPS}", objectClass="groupOfNames", cn=group, member=members)
        )
    return "\n\n".join(entries) + "\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def closed_port_uri() -> str:
    """The address of a directory that is away: a loopback port nobody listens on."""
    return f"ldap://127.0.0.1:{_free_port()}/"


@dataclass
class Slapd:
    workdir: Path
    port: int = 0
    process: subprocess.Popen | None = None
    log_path: Path = field(init=False)

    def __post_init__(self):
        self.log_path = self.workdir / "slapd.log"

    @property
    def uri(self) -> str:
        return f"ldap://127.0.0.1:{self.port}/"

    def _config(self) -> str:
        schemas = "\n".join(
            f"include {SCHEMA_DIR / name}.schema" for name in ("core", "cosine", "inetorgperson")
        )
        return f"""{schemas}
pidfile {self.workdir / "slapd.pid"}
argsfile {self.workdir / "slapd.args"}
modulepath {MODULE_DIR}
moduleload back_mdb
moduleload ppolicy
database mdb
maxsize 10485760
suffix "{BASE}"
rootdn "{ADMIN_DN}"
rootpw {ADMIN_PASSWORD}
directory {self.workdir / "data"}
overlay ppolicy
ppolicy_default "cn=standard,ou=Richtlinien,{BASE}"
access to attrs=userPassword by anonymous auth by self write by * none
access to * by users read by * none
"""

    def start(self, timeout: float = 20) -> None:
        (self.workdir / "data").mkdir(parents=True, exist_ok=True)
        config = self.workdir / "slapd.conf"
        config.write_text(self._config())
        self.port = _free_port()
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [SLAPD, "-d", "0", "-h", self.uri, "-f", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd ended at start:\n{self.log_path.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)  # the port opens once slapd has read its database
        else:
            raise RuntimeError(f"slapd did not listen:\n{self.log_path.read_text()}")
        self.add(kreis_ldif())

    def _tool(self, tool: str, ldif: str = "", *args: str) -> str:
        result = subprocess.run(
            [tool, "-x", "-H", self.uri, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD, *args],
            input=ldif,
            capture_output=True,
            text=True,
            timeout=30,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr}")
        return result.stdout

    def add(self, ldif: str) -> None:
        self._tool("ldapadd", ldif)

    def modify(self, ldif: str) -> None:
        self._tool("ldapmodify", ldif)

    def delete(self, dn: str) -> None:
        self._tool("ldapdelete", "", dn)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None


def slapd_missing() -> str | None:
    """Why the directory tests cannot run here, or None."""
    if not Path(SLAPD).exists() or shutil.which("ldapadd") is None:
        return "OpenLDAP is not installed (apt-get install slapd ldap-utils; .ci/run does)"
    try:
        import django_auth_ldap  # noqa: F401
        import ldap  # noqa: F401
    except ImportError:
        return "python-ldap is not installed (pip install -r requirements-ldap.txt)"
    return None
