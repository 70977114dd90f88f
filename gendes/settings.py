"""Settings for the GENDES group-programme app, read from the environment (django-environ).

Every variable is documented in .env.example and README.md. With DEBUG off every setting
defaults to its production-safe value, so forgetting a variable never weakens security.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or DEBUG=true for local use)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug-true"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    # Login: a second factor (TOTP devices, backup codes) and the lockout.
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    # The task engine (alert delivery and escalation, schedules): django-q2.
    "django_q",
    "gendes.audit",
    "gendes",
    "programmes",
    "participants",
    "sessions.apps.GroupSessionsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The browser features the app never uses are switched off for every page.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Moves the session's expiry as requests come (idle timeout), writing it once a minute.
    "gendes.middleware.IdleExpiryMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this login passed its second factor.
    "django_otp.middleware.OTPMiddleware",
    # Login is required everywhere; public views are marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Roles that must have a second factor reach nothing else until it is set up and used.
    "gendes.middleware.SecondFactorRequiredMiddleware",
    # Pages of a signed-in user: Cache-Control no-store (never kept in a browser or proxy).
    "gendes.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that the request it keeps for the audit trail has its user.
    "gendes.audit.context.AuditContextMiddleware",
    # django-axes: the lockout page for a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gendes.urls"
WSGI_APPLICATION = "gendes.wsgi.application"

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
                "gendes.context_processors.navigation",
            ],
        },
    },
    # For the few pieces drawn thousands of times a page (a report's table rows): Jinja2
    # draws them several times faster. Its templates are in the apps' jinja2/ folders, with
    # those of the forms drawn by Django's Jinja2 form renderer (gendes.forms).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [],
        "APP_DIRS": True,
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# A new PostgreSQL connection per request costs more than a whole page: keep them open.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The reports' aggregates over a decade of attendance are costed high enough for
    # PostgreSQL's JIT compiler, which then spends longer compiling than the query runs.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username and address never reach the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout (django-axes): after LOGIN_FAILURE_LIMIT failures from one address for one
# username, or from one address for any usernames, for LOGIN_LOCKOUT_MINUTES. Never per
# username alone: nobody can lock a coordinator out by guessing her username from elsewhere.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# The address the audit trail keeps too (past TRUSTED_PROXY_COUNT proxies).
AXES_CLIENT_IP_CALLABLE = "gendes.audit.context.client_ip"
# The login form is a wizard (password, then the code): its username field is prefixed.
AXES_USERNAME_CALLABLE = "gendes.accounts.policy.username_of_attempt"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False  # its log lines name the username; the audit trail has the attempts

# Second factor (django-two-factor-auth): required for coordinators, partner-support workers
# and admins when on (the default without DEBUG); optional for facilitators.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="GENDES")
TWO_FACTOR_REMEMBER_COOKIE_AGE = None  # every login asks for the code

# Sessions live in the database so that app servers stay stateless and can be scaled out.
# They end after SESSION_IDLE_MINUTES without a request (shared computers at community
# centres) and when the browser closes.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Background work: django-q2 on the app's own database (its ORM broker), so that a task is
# enqueued in the transaction of the change that needs it. TASK_REDIS_URL moves the queue to
# Redis when the app scales out (then enqueue with transaction.on_commit).
Q_CLUSTER = {
    "name": "gendes",
    "workers": env.int("TASK_WORKERS", default=2),
    "timeout": 60,  # seconds a task may run
    "retry": 90,  # a task not acknowledged by then (its worker died) is run again
    "max_attempts": 5,
    "catch_up": False,
    "ack_failures": True,
    "save_limit": 500,
    "orm": "default",
}
if env.str("TASK_REDIS_URL", default=""):
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = env.str("TASK_REDIS_URL")

# The version of the consent text men sign now: a walk-in's consent is recorded with it.
CONSENT_VERSION = env.str("CONSENT_VERSION", default="2026-1")

# Years after a man's last enrolment closed before `apply_retention` anonymises him.
RETENTION_YEARS = env.int("RETENTION_YEARS", default=5)

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Stored in UTC; each page shows times in the time zone of the site it is about.
TIME_ZONE = env.str("TIME_ZONE", default="America/Mexico_City")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages come from npm (package-lock.json), never from a CDN or a copy in git.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="gendes@localhost")
# The address links in emails point to.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Security: production-safe unless DEBUG is on.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Only trust X-Forwarded-Proto when the deployment says a TLS proxy sets it.
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Proxies in front of the app that append to X-Forwarded-For (1 behind the README's TLS
# proxy). The client address for lockout and the audit trail is read past exactly these.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# A strict Content-Security-Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Browser features the app needs none of: denied to the page and to anything it embeds.
# (Security keys, publickey-credentials-*, are left to the browser's default, same-origin:
# a second factor may use them.)
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
