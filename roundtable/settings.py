"""Settings of the portal, read from the environment (django-environ).

Without any environment the portal runs on the *embedded default*: SQLite and
Celery's filesystem transport below ``var/``, so that ``make run`` works on a
fresh machine. ``DATABASE_URL=postgres://...`` and ``REDIS_URL=redis://...``
select the production configuration.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()


def _development_secret_key() -> str:
    """A per-checkout random key, so that a fresh clone needs no configuration.

    Production sets ``SECRET_KEY``; ``check --deploy`` (and ``PRODUCTION=true``)
    refuses to run without it.
    """
    from django.core.management.utils import get_random_secret_key

    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


PRODUCTION = env.bool("PRODUCTION", default=False)
DEBUG = env.bool("DEBUG", default=False)
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="") or _development_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "django_filters",
    "csp",
    "axes",
    "django_ratelimit",
    "simple_history",
    # the round table, lowest layer first (the order import-linter checks: pyproject.toml)
    "roundtable.operations",
    "participants",
    "roundtable.notifications",
    "roundtable.timeline",
    "ideas",
    "workshops",
    "roundtable.committees",
    "roundtable.implementation",
    "roundtable.oparl",
    "roundtable.privacy",
    "roundtable.overview",
    "roundtable.demo",
]

MIDDLEWARE = [
    # before anything could read a body: refuses one larger than MAX_REQUEST_BODY_BYTES
    "roundtable.operations.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "participants.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "roundtable.operations.middleware.AnonymousPostRateLimitMiddleware",
    "roundtable.timeline.gates.PhaseCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # reads the form in process_view, after CsrfViewMiddleware's check (listed above)
    "roundtable.operations.middleware.IdempotencyMiddleware",
]

ROOT_URLCONF = "roundtable.urls"
WSGI_APPLICATION = "roundtable.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "participants.context_processors.role",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server and worker write at the same time: WAL and a busy timeout.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory: worker processes started by the tests share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
USES_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- authentication ---------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "participants.backends.ProfileModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- the directory (LDAP / Active Directory): off unless LDAP_SERVER_URI is set -----------
# participants/directory/config.py builds django-auth-ldap's settings from these variables;
# python-ldap comes from requirements-ldap.txt (Makefile: installed when LDAP is configured).
LDAP_SERVER_URI = env.str("LDAP_SERVER_URI", default="")
if LDAP_SERVER_URI:
    from participants.directory.config import directory_settings

    globals().update(
        directory_settings(
            server_uri=LDAP_SERVER_URI,
            start_tls=env.bool("LDAP_START_TLS", default=False),
            bind_dn=env.str("LDAP_BIND_DN", default=""),
            bind_password=env.str("LDAP_BIND_PASSWORD", default=""),
            user_search_base=env.str("LDAP_USER_SEARCH_BASE"),
            user_filter=env.str("LDAP_USER_FILTER", default="(sAMAccountName=%(user)s)"),
            group_search_base=env.str("LDAP_GROUP_SEARCH_BASE", default=""),
            role_groups=env.str("LDAP_ROLE_GROUPS", default=""),
            department_attribute=env.str("LDAP_DEPARTMENT_ATTRIBUTE", default="departmentNumber"),
            timeout=env.float("LDAP_TIMEOUT", default=3.0),
        )
    )
    # after the local accounts: an invited person's login never waits for the directory
    AUTHENTICATION_BACKENDS.append("participants.directory.backend.DirectoryBackend")
# Invitations of people outside the administration: how long the link in the e-mail works.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False  # participants.middleware.SessionIdleMiddleware renews it
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# "More than 10 failed logins within 5 minutes lock further attempts": axes locks when
# the count reaches the limit, so 10 failures are still answered normally and the 11th
# locks. Failures older than the cool-off do not count, and a lock ends 5 minutes after
# the last attempt (every attempt while locked counts as a failure and extends it).
AXES_FAILURE_LIMIT = 11
AXES_COOLOFF_TIME = timedelta(minutes=5)
# Failures count per username *and* client address together: nobody can lock out an
# account from another address, nor everyone behind one proxy or NAT by trying names.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address
# the outermost trusted proxy saw (roundtable/operations/security.py). 0 without a proxy
# (make run); 1 in the compose deployment (Caddy).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "roundtable.operations.security.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "roundtable.operations.security.axes_username"

# --- internationalisation ----------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files ---------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "files")))
# No MEDIA_URL is served: every stored file goes through a view that checks
# permission.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not env.bool("TESTING", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# The largest request body the application accepts at all (413 above it), with or without
# a proxy in front: an attachment and its form. The compose deployment's Caddy has the same.
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=12 * 1024 * 1024)

# --- anonymous traffic ---------------------------------------------------------------
# POSTs without a login (the login itself, an idea typed while the session expired, the
# accessibility feedback) per client address; more are answered 429 (django-ratelimit,
# counting in the default cache; a cache that is away lets them through).
ANONYMOUS_POST_RATE = env.str("ANONYMOUS_POST_RATE", default="30/m")
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True

# --- forms and templates -------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery ---------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Portals (or test workers of `pytest -n`) that share one Redis database keep their
# broker queues and cache keys apart with a prefix of their own.
REDIS_KEY_PREFIX = env.str("REDIS_KEY_PREFIX", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # longer than the longest task, so a running task is not handed out twice
        "visibility_timeout": 3600,
        # restore what a killed worker held within a minute
        "unacked_restore_interval": 5,
        "unacked_restore_throttle": 1,
    }
    if REDIS_KEY_PREFIX:
        CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = REDIS_KEY_PREFIX
else:
    _broker_dir = VAR_DIR / "broker"
    (_broker_dir / "queue").mkdir(parents=True, exist_ok=True)
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    (_broker_dir / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_SOFT_TIME_LIMIT = 600
CELERY_TASK_TIME_LIMIT = 660
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 400_000  # KiB
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Queues by kind, so that a burst of PDF reports never holds up an e-mail: "mail" (e-mails,
# notifications, suggestion runs, the periodic sweeps: everything short) and "reports" (PDF
# rendering). `make run` and the compose deployment run one worker per queue; a worker
# started without -Q consumes both (tests, benchmarks).
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_DEFAULT_QUEUE", default="mail")
COMMITTEES_REPORT_QUEUE = env.str("COMMITTEES_REPORT_QUEUE", default="reports")
CELERY_TASK_QUEUES = [
    Queue(name) for name in dict.fromkeys([CELERY_TASK_DEFAULT_QUEUE, COMMITTEES_REPORT_QUEUE])
]
# The outbox (roundtable/operations/outbox.py): side effects written with the change.
OUTBOX_DEFAULT_QUEUE = env.str("OUTBOX_DEFAULT_QUEUE", default=CELERY_TASK_DEFAULT_QUEUE)
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=15)
OUTBOX_REPUBLISH_SECONDS = env.int("OUTBOX_REPUBLISH_SECONDS", default=60)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", default=15)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
WORKER_HEARTBEAT_SECONDS = 5
WORKER_STALE_SECONDS = env.int("WORKER_STALE_SECONDS", default=20)

# --- cache: shared by the web processes and the worker (roundtable/operations/pagecache.py) ------
if REDIS_URL:
    CACHES = {
        "default": {
            # a Redis that is away costs a page its cache, not its answer
            "BACKEND": "roundtable.operations.cache.FailOpenRedisCache",
            "LOCATION": env.str("CACHE_REDIS_URL", default=REDIS_URL),
            "KEY_PREFIX": REDIS_KEY_PREFIX + "rt",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# django-ratelimit knows Django's RedisCache only under another name (W001); the embedded
# default's file cache counts without atomic increments (E003): on one machine a limit
# may let a request or two more through, which is fine there.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# --- e-mail -------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)  # TLS from the start, usually 465
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)  # a mail server that hangs frees the worker
# for EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (tests across processes)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Runder Tisch Integration <noreply@localhost>"
)

# --- security -------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "roundtable.operations.jsonlog.PlainFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- ideas (Ideenwerkstatt) ---------------------------------------------------
# The most a POST of the idea form from an expired session keeps in the new session (the
# description is cut to fit; the author is told): anonymous requests store little.
IDEAS_DRAFT_MAX_BYTES = env.int("IDEAS_DRAFT_MAX_BYTES", default=32 * 1024)
# How long the author of a comment may still edit it.
IDEAS_COMMENT_EDIT_MINUTES = env.int("IDEAS_COMMENT_EDIT_MINUTES", default=15)
# Absolute address of the portal, for links in e-mails (PORTAL_URL: its former name, still read).
PORTAL_BASE_URL = env.str(
    "PORTAL_BASE_URL", default=env.str("PORTAL_URL", default="http://127.0.0.1:8000")
).rstrip("/")
PORTAL_URL = PORTAL_BASE_URL  # the former setting name, for code not yet renamed

# --- committees: report generation -------------------------------------------------
COMMITTEES_REPORT_TEMPLATE = env.str(
    "COMMITTEES_REPORT_TEMPLATE", default="committees/report_pdf.html"
)
COMMITTEES_REPORT_MAX_ATTEMPTS = 3
COMMITTEES_REPORT_RETRY_DELAY = env.float("COMMITTEES_REPORT_RETRY_DELAY", default=20)
# The sweep re-queues reports queued longer than this (the broker lost the message) ...
COMMITTEES_REPORT_QUEUED_STALE_SECONDS = env.int(
    "COMMITTEES_REPORT_QUEUED_STALE_SECONDS", default=120
)
# ... or running longer than the hard time limit allows (a worker died without its
# heartbeat row saying so; a worker whose heartbeat has gone is noticed within a minute).
COMMITTEES_REPORT_RUNNING_STALE_SECONDS = env.int(
    "COMMITTEES_REPORT_RUNNING_STALE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60
)
COMMITTEES_REPORT_SWEEP_SECONDS = env.int("COMMITTEES_REPORT_SWEEP_SECONDS", default=15)
# Renders a person may start within the window (a request for a PDF already being made
# joins it and does not count).
COMMITTEES_REPORT_RATE_LIMIT = env.int("COMMITTEES_REPORT_RATE_LIMIT", default=10)
COMMITTEES_REPORT_RATE_WINDOW_SECONDS = env.int(
    "COMMITTEES_REPORT_RATE_WINDOW_SECONDS", default=10 * 60
)

# --- periodic tasks (celery beat): every entry of the portal, in one place ----------------
CELERY_BEAT_SCHEDULE = {
    # re-queue reports the broker lost or a killed worker left running
    "committees-report-sweep": {
        "task": "roundtable.committees.tasks.report_sweep",
        "schedule": float(COMMITTEES_REPORT_SWEEP_SECONDS),
    },
    "operations-idempotency-cleanup": {
        "task": "roundtable.operations.tasks.idempotency_keys_purge",
        "schedule": 3600.0,
    },
    # publish what the broker lost, retries that are due, claims of dead workers
    "operations-outbox-sweep": {
        "task": "roundtable.operations.tasks.outbox_sweep",
        "schedule": float(OUTBOX_SWEEP_SECONDS),
    },
    "operations-outbox-purge": {
        "task": "roundtable.operations.tasks.outbox_purge",
        "schedule": crontab(hour=3, minute=41),
    },
    # deactivate accounts the directory no longer knows or has disabled (LDAP only)
    "participants-directory-accounts": {
        "task": "participants.tasks.directory_accounts_check_task",
        "schedule": crontab(hour=2, minute=23),
    },
    # invitations that ended without an account: name and address removed after 90 days
    "participants-invitations-purge": {
        "task": "participants.tasks.invitations_purge_task",
        "schedule": crontab(hour=2, minute=37),
    },
    # the daily digest of notifications, for everyone who chose it (7:00, CELERY_TIMEZONE)
    "notifications-daily-digest": {
        "task": "roundtable.notifications.tasks.digests_queue",
        "schedule": crontab(hour=7, minute=0),
    },
    "operations-sessions-clear": {
        "task": "roundtable.operations.tasks.sessions_clear",
        "schedule": crontab(hour=3, minute=29),
    },
    "privacy-retention": {
        "task": "roundtable.privacy.tasks.privacy_retention_sweep",
        "schedule": crontab(hour=3, minute=17),
    },
}

# --- implementation / oparl: the read-only OParl 1.1 API at /oparl/v1/ ---------------
# true: open to anyone (council information systems harvest it); false (default):
# only logged-in participants of the round table.
OPARL_PUBLIC = env.bool("OPARL_PUBLIC", default=False)

# --- bench: benchmarks (bench/, docs/benchmarks.md) --------------------------------
# Mounts the benchmark's trivial ceiling view at /bench/baseline/; never set in production.
BENCH_BASELINE = env.bool("BENCH_BASELINE", default=False)

# --- privacy (DSGVO) and legal pages --------------------------------------------------
# Personal data of accounts not used for this many days is erased (0 = never).
PRIVACY_RETENTION_DAYS = env.int("PRIVACY_RETENTION_DAYS", default=730)
# Where feedback from the accessibility statement is sent.
PRIVACY_ACCESSIBILITY_FEEDBACK_EMAIL = env.str(
    "PRIVACY_ACCESSIBILITY_FEEDBACK_EMAIL", default="barrierefreiheit@localhost"
)

# --- operations: logs as one JSON object per line (LOG_FORMAT=json) ------------------
LOGGING["formatters"]["json"] = {"()": "roundtable.operations.jsonlog.JsonFormatter"}
if env.str("LOG_FORMAT", default="plain") == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"
