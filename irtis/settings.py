"""Django settings for irtis, read from IRTIS_* environment variables (see README)."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("IRTIS_DATA_DIR", BASE_DIR.parent / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key from IRTIS_SECRET_KEY, else one generated once and kept in the data directory."""
    if key := os.environ.get("IRTIS_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _flag("IRTIS_DEBUG")
ALLOWED_HOSTS = os.environ.get("IRTIS_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("IRTIS_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "irtis.core",
    "irtis.identity",
    "irtis.audit",
    "irtis.notifications",
    "irtis.inventory",
    "irtis.network",
    "irtis.virtualization",
    "irtis.databases",
    "irtis.systems",
    "irtis.mail",
    "irtis.architecture",
    "irtis.directory",
    "irtis.discovery",
    "irtis.backups",
    "irtis.changes",
    "irtis.monitoring",
    "irtis.security",
    "irtis.risks",
    "irtis.access",
    "irtis.flows",
    "irtis.governance",
    "irtis.procurement",
    "irtis.projects",
    "irtis.servicedesk",
    "irtis.regulations",
    "irtis.reports",
    "irtis.tasks",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_filters",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
]

MIDDLEWARE = [
    "irtis.identity.proxy.ClientAddressMiddleware",  # first: every later step sees the client
    "django.middleware.security.SecurityMiddleware",
    "irtis.core.middleware.ContentSecurityPolicyMiddleware",  # before WhiteNoise: static files too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "irtis.core.middleware.LanguageMiddleware",  # the user's choice, else Lithuanian
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "irtis.core.middleware.ChangeContextMiddleware",
    "irtis.changes.middleware.CurrentChangeMiddleware",  # links writes to the change being implemented
    "irtis.core.middleware.PrivatePagesMiddleware",
    "irtis.core.middleware.OutOfRangeMiddleware",
]
# What an API request with a token and no session cookie does without (irtis.core.handlers).
IRTIS_BROWSER_MIDDLEWARE = [
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "irtis.urls"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"  # widgets may use project templates
WSGI_APPLICATION = "irtis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "irtis.core.context_processors.navigation",
            ],
            "builtins": ["django.templatetags.i18n", "irtis.core.templatetags.irtis"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("IRTIS_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'irtis.sqlite3'}",
        conn_max_age=600,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction, so two writers queue instead of failing half way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory: the task tests' worker processes open the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    # Parameters bound by the server, and a statement run five times on a connection prepared
    # (Django turns psycopg's preparing off by default, for poolers), so the API's repeated
    # queries skip parsing and planning. Not for a transaction-pooling pgbouncer in front
    # (irtis connects directly).
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 default, adopted now
AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Passwords of local accounts; has_perm() answered from ObjectPermission (irtis.identity).
AUTHENTICATION_BACKENDS = [
    "irtis.identity.backends.PasswordBackend",
    "irtis.identity.backends.ObjectPermissionBackend",
]
# Sign-in throttling (irtis.identity.lockout): failures within the window lock for SECONDS.
# What the platform (irtis.core) asks identity for, so that core imports no app above it:
# who an API request's bearer token names, and which object permissions a user has.
IRTIS_API_AUTHENTICATION = ["irtis.identity.api.TokenAuth"]
IRTIS_PERMISSION_GRANTS = "irtis.identity.grants.granted"

IRTIS_LOCKOUT_ATTEMPTS = int(os.environ.get("IRTIS_LOCKOUT_ATTEMPTS", "5"))
IRTIS_LOCKOUT_ADDRESS_ATTEMPTS = int(os.environ.get("IRTIS_LOCKOUT_ADDRESS_ATTEMPTS", "20"))
IRTIS_LOCKOUT_WINDOW = int(os.environ.get("IRTIS_LOCKOUT_WINDOW", "900"))
IRTIS_LOCKOUT_SECONDS = int(os.environ.get("IRTIS_LOCKOUT_SECONDS", "900"))
# Past the address's limit, failures from it are answered late, up to this many seconds.
IRTIS_LOCKOUT_ADDRESS_DELAY = float(os.environ.get("IRTIS_LOCKOUT_ADDRESS_DELAY", "3"))
# Reverse proxies (CIDRs) whose X-Forwarded-For names the client (irtis.identity.proxy).
IRTIS_TRUSTED_PROXIES = [
    n.strip() for n in os.environ.get("IRTIS_TRUSTED_PROXIES", "").replace(",", " ").split()
]
# Refused API tokens: one audit entry per source, reason and interval; past the limit, 429.
IRTIS_TOKEN_REFUSAL_INTERVAL = int(os.environ.get("IRTIS_TOKEN_REFUSAL_INTERVAL", "60"))
IRTIS_TOKEN_REFUSAL_LIMIT = int(os.environ.get("IRTIS_TOKEN_REFUSAL_LIMIT", "30"))
IRTIS_THREADS = int(os.environ.get("IRTIS_THREADS", "16"))  # threads of each `irtis serve` worker
# Roles that must sign in with a second factor (superusers always do); empty: none.
# Off only for a local demo (`./run demo`): superusers and these roles must use TOTP.
IRTIS_MFA_ENFORCED = _flag("IRTIS_MFA_ENFORCED", True)
_MFA_ROLES = os.environ.get("IRTIS_MFA_ROLES", "irtis_admin,security_officer")
IRTIS_MFA_ROLES = [r.strip() for r in _MFA_ROLES.split(",") if r.strip()]

PASSWORD_HASHERS = [
    "irtis.identity.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "irtis.identity.passwords.CommonPasswordValidator"},  # Lithuanian ones too
    {"NAME": "irtis.identity.passwords.PredictablePasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_AGE = int(os.environ.get("IRTIS_SESSION_SECONDS", 8 * 3600))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _flag("IRTIS_SECURE_COOKIES")
# Behind HTTPS (IRTIS_SECURE_COOKIES=1): redirect plain HTTP, and tell browsers to use HTTPS only.
SECURE_SSL_REDIRECT = _flag("IRTIS_SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = int(os.environ.get("IRTIS_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("IRTIS_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("IRTIS_HSTS_PRELOAD")
if _flag("IRTIS_BEHIND_PROXY"):  # a TLS-terminating reverse proxy that sets X-Forwarded-Proto
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "irtis.core.pages.csrf_failure"  # says what to do, in the reader's language
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "lt"
LANGUAGES = [("lt", _("Lithuanian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("IRTIS_TIME_ZONE", "Europe/Vilnius")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"  # filled by `irtis collectstatic` in production
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "irtis.core.staticfiles.StaticStorage"},  # hashed, gzip, once collected
}
MEDIA_ROOT = DATA_DIR / "media"

MAX_UPLOAD_BYTES = int(os.environ.get("IRTIS_MAX_UPLOAD_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
# Imports (irtis.core.imports): the most rows a file may hold, the most an XLSX may expand to,
# how long reading a file may take, the rows above which checking and writing run as a
# background task (IRTIS_IMPORT_JOB, in irtis.tasks: core imports no app above it), and how long
# a read file waits on the server for its confirmation.
IRTIS_IMPORT_MAX_ROWS = int(os.environ.get("IRTIS_IMPORT_MAX_ROWS", "200000"))
IRTIS_IMPORT_MAX_XLSX_MB = int(os.environ.get("IRTIS_IMPORT_MAX_XLSX_MB", "60"))
IRTIS_IMPORT_READ_SECONDS = int(os.environ.get("IRTIS_IMPORT_READ_SECONDS", "20"))
IRTIS_IMPORT_BACKGROUND_ROWS = int(os.environ.get("IRTIS_IMPORT_BACKGROUND_ROWS", "2000"))
IRTIS_IMPORT_HOURS = int(os.environ.get("IRTIS_IMPORT_HOURS", "4"))
IRTIS_IMPORT_JOB = "irtis.tasks.jobs.import_file"

# --- Background work (irtis.tasks, docs/tasks.md) ---
# IRTIS_TASKS picks the engine: `database` (the embedded queue that `irtis serve` works off) or
# `rq` (RQ on Redis at IRTIS_REDIS_URL, worked off by `irtis worker` processes). Queues are
# `default` plus one per network zone named in IRTIS_TASK_QUEUES (`irtis worker --queue ZONE`).
# Resolvers the mail domains' SPF/DKIM/DMARC records are read from (irtis.mail.records): "host" or
# "host:port", comma-separated; empty: the system's (/etc/resolv.conf). Seconds per query.
IRTIS_DNS_RESOLVERS = [r.strip() for r in os.environ.get("IRTIS_DNS_RESOLVERS", "").split(",") if r.strip()]
IRTIS_DNS_TIMEOUT = float(os.environ.get("IRTIS_DNS_TIMEOUT", "3"))

IRTIS_TASKS = os.environ.get("IRTIS_TASKS", "database")
IRTIS_REDIS_URL = os.environ.get("IRTIS_REDIS_URL", "redis://127.0.0.1:6379/0")
IRTIS_TASK_QUEUES = list(dict.fromkeys(
    ["default", *(q.strip() for q in os.environ.get("IRTIS_TASK_QUEUES", "").split(",") if q.strip())]))
if IRTIS_TASKS == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": IRTIS_TASK_QUEUES}}
    RQ_QUEUES = {q: {"URL": IRTIS_REDIS_URL, "DEFAULT_TIMEOUT": 3600} for q in IRTIS_TASK_QUEUES}
    # Progress and worker liveness, seen by every worker and web process wherever they run.
    _progress_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": IRTIS_REDIS_URL}
elif IRTIS_TASKS == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": IRTIS_TASK_QUEUES}}
    RQ_QUEUES = {}
    # Outside the database: a task's own writes hold SQLite's write lock until they commit.
    _progress_cache = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                       "LOCATION": str(DATA_DIR / "task-progress")}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"IRTIS_TASKS must be `database` or `rq`, not {IRTIS_TASKS!r}")
# Seconds between a working run's liveness marks; a run unmarked for 5 of them lost its worker.
IRTIS_TASK_HEARTBEAT = float(os.environ.get("IRTIS_TASK_HEARTBEAT", "2"))
# Days a finished run stays listed before the "Delete old runs" job (a schedule) removes it.
IRTIS_TASK_RUNS_DAYS = int(os.environ.get("IRTIS_TASK_RUNS_DAYS", "90"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "tasks": _progress_cache,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("IRTIS_LOG_LEVEL", "WARNING")},
}

# --- Active Directory sign-in (irtis.identity.ldap; every variable in docs/identity-ad.md) ---
import json  # noqa: E402  (kept inside this section so it stays one contiguous block)

try:
    _ad_group_roles = json.loads(os.environ.get("IRTIS_AD_GROUP_ROLES") or "{}")
except json.JSONDecodeError as _exc:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"IRTIS_AD_GROUP_ROLES is not valid JSON: {_exc}") from _exc
ACTIVE_DIRECTORY = {
    "URI": os.environ.get("IRTIS_AD_URI", "").replace(",", " ").split(),
    "DOMAIN": os.environ.get("IRTIS_AD_DOMAIN", ""),
    "UPN_SUFFIX": os.environ.get("IRTIS_AD_UPN_SUFFIX", ""),
    "BASE_DN": os.environ.get("IRTIS_AD_BASE_DN", ""),
    "BIND_DN": os.environ.get("IRTIS_AD_BIND_DN", ""),
    "BIND_PASSWORD": os.environ.get("IRTIS_AD_BIND_PASSWORD", ""),
    "STARTTLS": _flag("IRTIS_AD_STARTTLS"),
    "CA_FILE": os.environ.get("IRTIS_AD_CA_FILE", ""),
    "TIMEOUT": float(os.environ.get("IRTIS_AD_TIMEOUT", "5")),
    "GROUP_ROLES": _ad_group_roles,
}
if ACTIVE_DIRECTORY["URI"]:  # AD first; local (break-glass) accounts' passwords stay after it
    AUTHENTICATION_BACKENDS = [
        "irtis.identity.ldap.ActiveDirectoryBackend",
        *AUTHENTICATION_BACKENDS,
    ]

# --- Access requests and AD hygiene (irtis.access; docs/access.md) ---
# The account that adds and removes group members (only "Write Members" on the managed groups).
IRTIS_AD_WRITE_BIND_DN = os.environ.get("IRTIS_AD_WRITE_BIND_DN", "")
IRTIS_AD_WRITE_BIND_PASSWORD = os.environ.get("IRTIS_AD_WRITE_BIND_PASSWORD", "")
IRTIS_ACCESS_PRIVILEGED_GROUPS = [g.strip() for g in os.environ.get(
    "IRTIS_ACCESS_PRIVILEGED_GROUPS", "Domain Admins,Enterprise Admins,Schema Admins").split(",") if g.strip()]
IRTIS_ACCESS_UNUSED_DAYS = int(os.environ.get("IRTIS_ACCESS_UNUSED_DAYS", "90"))
# An enrolled mobile device that has not checked in with the MDM for longer is reported as stale.
IRTIS_MOBILE_STALE_DAYS = int(os.environ.get("IRTIS_MOBILE_STALE_DAYS", "14"))

# --- E-mail: notifications over SMTP (irtis.notifications; every variable in docs/notifications.md) ---
_SMTP_SECURITY = os.environ.get("IRTIS_SMTP_SECURITY", "starttls").lower()
if _SMTP_SECURITY not in {"none", "starttls", "tls"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("IRTIS_SMTP_SECURITY must be none, starttls or tls")
EMAIL_BACKEND = "irtis.notifications.mail.EmailBackend"
EMAIL_HOST = os.environ.get("IRTIS_SMTP_HOST", "")  # empty: e-mail is off, notifications stay in irtis
EMAIL_PORT = int(os.environ.get("IRTIS_SMTP_PORT") or {"none": 25, "starttls": 587, "tls": 465}[_SMTP_SECURITY])
EMAIL_HOST_USER = os.environ.get("IRTIS_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("IRTIS_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _SMTP_SECURITY == "starttls"
EMAIL_USE_SSL = _SMTP_SECURITY == "tls"
EMAIL_TIMEOUT = int(os.environ.get("IRTIS_SMTP_TIMEOUT", "20"))
IRTIS_SMTP_CA_FILE = os.environ.get("IRTIS_SMTP_CA_FILE", "")  # CA of the relay's certificate, if not a public one
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get("IRTIS_MAIL_FROM", "irtis@localhost")
IRTIS_BASE_URL = os.environ.get("IRTIS_BASE_URL", "").rstrip("/")  # links in e-mails, e.g. https://irtis.muitine.lt
# Days notifications and sent e-mails are kept before "Delete old notifications" (a schedule) removes them.
IRTIS_NOTIFICATIONS_DAYS = int(os.environ.get("IRTIS_NOTIFICATIONS_DAYS", "180"))
# Hours raw response times of checks are kept before only their hourly roll-ups remain.
IRTIS_MONITORING_RAW_HOURS = int(os.environ.get("IRTIS_MONITORING_RAW_HOURS", "48"))
