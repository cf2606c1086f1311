"""Newsroom settings: every value that changes between deployments comes from the
environment, read here and documented in `.env.example`.

Development works with nothing set (the README's run command turns DEBUG on and the
embedded PostgreSQL starts when DATABASE_URL is unset). Production defaults are the
safe ones, and a missing secret stops the process with one clear sentence.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from newsroom.env import (
    ConfigError,
    env,
    env_bool,
    env_int,
    env_list,
    env_path,
    env_rates,
)
from newsroom.object_storage import s3_media

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

# The onion service's address (http://<56 characters>.onion): every page then
# sends Onion-Location, and the site answers under that host too.
ONION_LOCATION = env("ONION_LOCATION").rstrip("/")
_onion = urlsplit(ONION_LOCATION)
if ONION_LOCATION and (
    _onion.scheme not in {"http", "https"}
    or not (_onion.hostname or "").endswith(".onion")
    or _onion.path
):
    raise ConfigError(
        "ONION_LOCATION must be an onion service's address such as "
        f"http://<56 characters>.onion, not {ONION_LOCATION!r}."
    )
ONION_HOST = _onion.hostname or ""
# Other host names the same site answers under (mirror domains for readers whose
# network blocks the main one). Pages link within whichever host they are read on.
MIRROR_HOSTS = env_list("MIRROR_HOSTS")

ALLOWED_HOSTS = (env_list("ALLOWED_HOSTS") or [_site.hostname]) + [
    host for host in [ONION_HOST, *MIRROR_HOSTS] if host
]
if DEBUG:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS") or [
    f"{_site.scheme}://{_site.netloc}"
]
# The admin's address, e.g. "desk-7f3a/" (default "admin/").
ADMIN_URL = env_path("ADMIN_URL", "admin/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # allauth's list of security keys formats their dates with it.
    "django.contrib.humanize",
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
    "allauth.mfa",
    "csp",
    "images",
    "masthead",
    "contributors",
    "articles",
    "readers",
    "comments",
    "newsletters",
    "lite",
    "mirror",
    "wordpress",
    "demo",
    "newsroom",  # the staff roles, synced after every migrate
]

MIDDLEWARE = [
    # First, so that every response passes through it (WhiteNoise's too).
    "newsroom.guards.response_headers",
    "newsroom.hosts.onion_location",
    "newsroom.hosts.SecurityMiddleware",
    "newsroom.proxy.client_address",
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything looks a request's values up in the database.
    "newsroom.guards.refuse_null_characters",
    # Before anything resolves the address: /ar/... resolves in Arabic only.
    "newsroom.languages.language_from_path",
    # Pages are compressed once, then cached compressed by the proxy.
    "newsroom.middleware.PageGZipMiddleware",
    # Outside the caching policy, which reads the next scheduled publication
    # through it: the fragments' versions are read at most once per request.
    "newsroom.fragments.request_versions",
    # Inside GZip (ETags of the page itself), outside sessions, CSRF and messages
    # (it sees the cookies they set).
    "newsroom.http_cache.http_cache_policy",
    # Outside sessions, CSRF, messages and allauth: strips any cookie they set on
    # a source page (the tips page).
    "newsroom.middleware.source_page_protection",
    # Old WordPress addresses: a 404 that was a post's permalink answers 301.
    "wordpress.middleware.old_addresses",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "newsroom.middleware.StaffSecondFactorMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
]

# --- Database: PostgreSQL only ------------------------------------------------------

DATABASE_URL = env("DATABASE_URL")
# The embedded server (pgserver, newsroom/embedded_postgres.py) is for development
# and tests only: production must name its own server, never quietly get one.
EMBEDDED_POSTGRES = env_bool("EMBEDDED_POSTGRES", DEBUG)
if not DATABASE_URL:
    if not EMBEDDED_POSTGRES:
        raise ConfigError(
            "DATABASE_URL is not set: production needs a PostgreSQL server of its "
            "own (postgres://USER:PASSWORD@HOST:PORT/NAME), because the embedded "
            "server is for development and tests only."
        )
    from newsroom.embedded_postgres import database_url

    DATABASE_URL = database_url(
        Path(env("EMBEDDED_POSTGRES_DIR") or BASE_DIR / ".postgres")
    )
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
# A database host that does not answer fails a request within seconds (a 503
# page, see newsroom/views.py) instead of holding it and its worker; a
# connect_timeout in DATABASE_URL's query string wins.
_database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# A newsroom's working set sits in memory (or on SSD), where reading a page at
# random costs little more than reading the next one; with PostgreSQL's default
# of 4 the planner hashed whole tables rather than probing an index thirty times.
_database["OPTIONS"]["options"] = "-c random_page_cost=1.1"
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, rate limits and sessions: shared by every process and machine -----------

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    if urlsplit(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(
            "REDIS_URL must be a Redis address such as redis://redis:6379/0, "
            f"not {REDIS_URL!r}."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 300,
            # Keys are HMACs: a rate limit per address or email stores neither.
            "KEY_FUNCTION": "newsroom.cache.private_key",
        }
    }
    # Read from Redis, written through to PostgreSQL: a Redis that restarts or
    # evicts keys logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # In PostgreSQL, so rate limits hold across every web process without Redis.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "newsroom_cache",
            "TIMEOUT": 300,
            # Keys are HMACs: a rate limit per address or email stores neither.
            "KEY_FUNCTION": "newsroom.cache.private_key",
        }
    }

# Rendered parts of pages (newsroom/fragments.py): in each process's memory, keyed
# by versions kept in the shared cache above, so that no process ever shows a
# stale one and asking for one costs no round trip.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "newsroom-fragments",
    "TIMEOUT": 60 * 60,
    # Parts of pages of some kilobytes and article cards of about one: a few
    # tens of megabytes.
    "OPTIONS": {"MAX_ENTRIES": 10000},
}

# --- Accounts (django-allauth): readers, and staff on their way to the admin ---------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
# URL names: readers land on the front page of the edition they were reading.
LOGIN_REDIRECT_URL = "articles:home"
LOGOUT_REDIRECT_URL = "articles:home"
# Readers sign up with an email address; staff accounts made with createsuperuser
# or in the admin have a username too, and may use either.
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "readers.forms.ReaderSignupForm"}
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
    # Per source, generous: readers behind one address (a Tor exit, a carrier NAT,
    # an office) sign up side by side. Past it they get a 429 that says so.
    "signup": "10/m/ip,100/h/ip",
    "login": "30/m/ip",
    # Five wrong passwords for one account lock it for five minutes (a 429 with
    # Retry-After), whatever the password tried next.
    "login_failed": "10/m/ip,5/5m/key",
    # Per destination only: a limit per source would silently drop the emails of
    # readers who share an address while telling them to check their inbox.
    "confirm_email": "1/3m/key",
    "reset_password": "10/m/ip,5/h/key",
    # Newsletter subscriptions: per source as generous as sign-ups, and per
    # destination as strict as confirmation emails, so that the form cannot be
    # used to flood someone's inbox (past it, nothing is sent and the page says
    # the same as ever).
    "newsletter_subscribe": "10/m/ip,100/h/ip",
    "newsletter_confirm": "1/3m/key,5/d/key",
}

# --- Staff two-factor authentication (allauth.mfa) ------------------------------------

MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Security keys and passkeys need HTTPS, except on the development server.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Staff without an authenticator app or security key are sent to set one up before
# any admin page (on by default in production).
STAFF_REQUIRE_TWO_FACTOR = env_bool("STAFF_REQUIRE_TWO_FACTOR", not DEBUG)

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
# The languages the interface is translated into (catalogues in locale/), each an
# edition at its own prefix (/ar/, /ckb/; English has none): see
# newsroom/languages.py. Reports may be in more (articles.Article.Language).
# Labels such as "The editors" are reserved in each of them (readers/names.py).
# Django knows Sorani Kurdish (LANG_INFO: name, right to left, date formats).
LANGUAGES = [
    ("en", "English"),
    ("ar", "العربية"),
    ("ckb", "کوردی"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
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
# WhiteNoise answers every origin by default; our pages need no other site's.
WHITENOISE_ALLOW_ALL_ORIGINS = False
# Media on S3-compatible object storage when S3_BUCKET is set (several web servers
# then share them); otherwise in MEDIA_ROOT.
S3_BUCKET = env("S3_BUCKET")
if S3_BUCKET:
    _default_storage, MEDIA_URL = s3_media(
        bucket=S3_BUCKET,
        endpoint_url=env("S3_ENDPOINT_URL"),
        region=env("S3_REGION", "us-east-1"),
        access_key=env("S3_ACCESS_KEY_ID"),
        secret_key=env("S3_SECRET_ACCESS_KEY"),
        media_url=MEDIA_URL,
    )
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
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
# The security middleware is Django's under another name (newsroom/hosts.py),
# whose system check runs Django's checks of these settings in its place.
SILENCED_SYSTEM_CHECKS = ["security.W001"]
if env_bool("BEHIND_HTTPS_PROXY", False):
    # Only behind a proxy that sets this header itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if DEBUG:
    # runserver speaks plain HTTP on 127.0.0.1.
    SECURE_SSL_REDIRECT = False
    SECURE_HSTS_SECONDS = 0

# Content-Security-Policy (django-csp). Public pages load this site's stylesheet and
# pictures, run no script at all and post forms only here. The middleware adds the
# media host when MEDIA_URL names one (newsroom/middleware.py).
PUBLIC_CSP_DIRECTIVES = {
    "default-src": [NONE],
    "style-src": [SELF],
    "img-src": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
    "base-uri": [NONE],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": PUBLIC_CSP_DIRECTIVES}
# A source page (the tips page) has no form and loads from this site only, never
# from a media host (articles.views.TipsView).
SOURCE_PAGE_CSP_DIRECTIVES = PUBLIC_CSP_DIRECTIVES | {"form-action": [NONE]}
# The admin runs the editor and pickers: scripts from this site only, plus the
# editor's import map, which carries the response's nonce. No inline or eval'd
# script, so an injected one does not run.
ADMIN_CSP_DIRECTIVES = PUBLIC_CSP_DIRECTIVES | {
    "script-src": [SELF, NONCE],
    # The rich-text editor (tiptap in django-prose-editor 0.28) injects its base
    # stylesheet as a <style> element: allowed by its hash, nothing else inline.
    # The editor's browser test fails if an upgrade changes it.
    "style-src": [SELF, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
    "connect-src": [SELF],
    "font-src": [SELF],
    "img-src": [SELF, "data:"],
}
# Two-factor pages: security keys need allauth's script files, and the
# authenticator app's QR code is an image in a data: address.
TWO_FACTOR_CSP_DIRECTIVES = PUBLIC_CSP_DIRECTIVES | {
    "script-src": [SELF],
    "connect-src": [SELF],
    "img-src": [SELF, "data:"],
}

# Behind the proxy every request comes from the proxy's address; it names the
# reader's in this header (deploy/nginx.conf sets X-Real-IP). Set it only when the
# web servers are reachable through the proxy alone.
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER")

# --- HTTP caching: the rules are in newsroom/http_cache.py ----------------------------

# Browsers revalidate pages (ETag, Last-Modified) after this many seconds.
HTTP_CACHE_MAX_AGE = env_int("HTTP_CACHE_MAX_AGE", 0)
# The proxy (and a CDN) keep an anonymous page this long, never past the moment the
# next scheduled report goes live.
HTTP_CACHE_S_MAXAGE = env_int("HTTP_CACHE_S_MAXAGE", 30)
# A cache may hand out the old page this much longer while it fetches the new one:
# with the default 30 + 30, a change shows within a minute.
HTTP_CACHE_STALE_WHILE_REVALIDATE = env_int("HTTP_CACHE_STALE_WHILE_REVALIDATE", 30)
# ...and this long while the site is down (the database, say).
HTTP_CACHE_STALE_IF_ERROR = env_int("HTTP_CACHE_STALE_IF_ERROR", 86400)

# --- Newsroom -------------------------------------------------------------------------

TAGGIT_CASE_INSENSITIVE = True
RELATED_ARTICLES_COUNT = env_int("RELATED_ARTICLES_COUNT", 5)
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 12)
PREVIEW_LINK_MAX_AGE_DAYS = env_int("PREVIEW_LINK_MAX_AGE_DAYS", 7)

# Newsletter emails one worker task sends over one connection to the mail server;
# an issue has one task per batch, so several workers share a large list.
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 100)

# Finished tasks (delivered email and the like) are deleted after this many days.
TASK_RESULT_RETENTION_DAYS = env_int("TASK_RESULT_RETENTION_DAYS", 1)
# How often the worker purges expired cache rows, sessions and old task rows.
HOUSEKEEPING_INTERVAL_MINUTES = env_int("HOUSEKEEPING_INTERVAL_MINUTES", 60)
# Queued by `manage.py worker` when it starts, each unless already waiting; each
# run queues the next.
WORKER_PERIODIC_TASKS = [
    "newsroom.housekeeping.housekeeping_schedule",
    "newsletters.tasks.newsletters_schedule",
]

# No client addresses in logs: messages carry paths (without the tokens some carry)
# and status codes, and Django's error emails (which hold the whole request) are
# never configured.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "newsroom.log_privacy.RedactFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {
            "handlers": ["console"],
            "level": env("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # The embedded server narrates every start and stop at INFO.
        "pgserver": {"level": "WARNING"},
    },
}
