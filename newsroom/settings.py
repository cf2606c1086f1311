"""Newsroom settings: every value that changes between deployments comes from the
environment, read here and documented in `.env.example`.

Development works with nothing set (the README's run command turns DEBUG on and the
embedded PostgreSQL starts when DATABASE_URL is unset). Production defaults are the
safe ones, and a missing secret stops the process with one clear sentence.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from newsroom.env import ConfigError, env, env_bool, env_int, env_list, env_rates

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError(
            "SECRET_KEY is not set: set it to a long random value "
            "(or DEBUG=1 for development)."
        )
    SECRET_KEY = "development-only-not-secret"

SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname:
    raise ConfigError(
        f"SITE_URL must be an http(s) address such as https://news.example.org, "
        f"not {SITE_URL!r}."
    )
SITE_NAME = env("SITE_NAME", "Newsroom")
SERVED_OVER_HTTPS = _site.scheme == "https"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [_site.hostname]
if DEBUG:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS") or [
    f"{_site.scheme}://{_site.netloc}"
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "django_prose_editor",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "images",
    "contributors",
    "articles",
    "readers",
    "comments",
    "demo",
    "newsroom",  # the staff roles, synced after every migrate
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.content_security_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

# Server-Timing headers (time and SQL queries per response) for `make bench`.
SERVER_TIMING = env_bool("SERVER_TIMING", False)
if SERVER_TIMING:
    MIDDLEWARE.insert(0, "newsroom.timing.server_timing")

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "newsroom.context_processors.site",
            ],
        },
    },
]

# --- Database: PostgreSQL only ------------------------------------------------------

DATABASE_URL = env("DATABASE_URL")
if not DATABASE_URL:
    from newsroom.embedded_postgres import database_url

    DATABASE_URL = database_url()
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=60)
except ValueError as exc:
    raise ConfigError(
        "DATABASE_URL is malformed: use postgres://USER:PASSWORD@HOST:PORT/NAME "
        f"({exc})."
    ) from None
if _database.get("ENGINE") != "django.db.backends.postgresql" or not _database.get(
    "NAME"
):
    raise ConfigError(
        "DATABASE_URL must name a PostgreSQL database: "
        "postgres://USER:PASSWORD@HOST:PORT/NAME."
    )
_database["CONN_HEALTH_CHECKS"] = True
# A newsroom's working set sits in memory (or on SSD), where reading a page at
# random costs little more than reading the next one; with PostgreSQL's default
# of 4 the planner hashed whole tables rather than probing an index thirty times.
_database.setdefault("OPTIONS", {})["options"] = "-c random_page_cost=1.1"
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# In PostgreSQL too, so rate limits hold across every web process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "newsroom_cache",
        "TIMEOUT": 300,
    }
}

# --- Reader accounts (django-allauth, email and password only) -------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "readers.forms.ReaderSignupForm"
# Bots that fill it get allauth's fake "check your e-mail" and no account.
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
ACCOUNT_ADAPTER = "readers.adapter.ReaderAccountAdapter"
# Mandatory, so that sign-up never reveals whether an address has an account.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env_int("EMAIL_CONFIRMATION_EXPIRE_DAYS", 3)
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _site.scheme
ACCOUNT_RATE_LIMITS = {
    "signup": "10/m/ip,50/h/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key,10/h/ip",
    "reset_password": "10/m/ip,5/h/key",
}

# --- Comments ---------------------------------------------------------------------

# A reader's comments publish at once after editors approved this many of them.
COMMENTS_TRUSTED_AFTER = env_int("COMMENTS_TRUSTED_AFTER", 1)
COMMENT_MAX_LENGTH = env_int("COMMENT_MAX_LENGTH", 3000)
COMMENT_MAX_LINKS = env_int("COMMENT_MAX_LINKS", 2)
# Counted on the comments themselves, per account and per (hashed) address.
COMMENT_RATE_LIMITS = env_rates(
    "COMMENT_RATE_LIMIT", "5/m/user,30/h/user,20/m/ip", scopes={"user", "ip"}
)
# Hashed addresses are blanked after this many days (see comments/models.py).
COMMENT_IP_RETENTION_DAYS = env_int("COMMENT_IP_RETENTION_DAYS", 7)

# --- Passwords, language, time ------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Uploads stay in memory and are never written to disk before they are scrubbed.
FILE_UPLOAD_HANDLERS = ["images.uploads.CappedMemoryUploadHandler"]
IMAGE_MAX_UPLOAD_BYTES = env_int("IMAGE_MAX_UPLOAD_MB", 20) * 1_000_000
# Well below Pillow's own bomb limit (about 89 megapixels).
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_MEGAPIXELS", 50) * 1_000_000
IMAGE_MAX_FRAMES = env_int("IMAGE_MAX_FRAMES", 100)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email ----------------------------------------------------------------------------

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = Path(env("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails")))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# A stuck mail server must not hold a request or a worker forever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@{_site.hostname}>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks: the queue lives in the one PostgreSQL database --------------

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Security -------------------------------------------------------------------------

SESSION_COOKIE_SECURE = SERVED_OVER_HTTPS
CSRF_COOKIE_SECURE = SERVED_OVER_HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SERVED_OVER_HTTPS)
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 31536000 if SERVED_OVER_HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SERVED_OVER_HTTPS
# Preloading protects a reader's very first visit on a watched network.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SERVED_OVER_HTTPS)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_HTTPS_PROXY", False):
    # Only behind a proxy that sets this header itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if DEBUG:
    # runserver speaks plain HTTP on 127.0.0.1.
    SECURE_SSL_REDIRECT = False
    SECURE_HSTS_SECONDS = 0

# --- Newsroom -------------------------------------------------------------------------

TAGGIT_CASE_INSENSITIVE = True
RELATED_ARTICLES_COUNT = env_int("RELATED_ARTICLES_COUNT", 5)
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 12)
PREVIEW_LINK_MAX_AGE_DAYS = env_int("PREVIEW_LINK_MAX_AGE_DAYS", 7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # The embedded server narrates every start and stop at INFO.
    "loggers": {"pgserver": {"level": "WARNING"}},
}
