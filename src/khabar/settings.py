"""khabar's one settings module.

Every value an operator may change comes from a ``KHABAR_*`` environment
variable with an embedded default that runs the whole site on SQLite with no
server to install. The README lists each variable.
"""

import logging
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from khabar import env

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env.get_str("KHABAR_DATA_DIR", str(Path.cwd() / "var"))).resolve()

# --- core -----------------------------------------------------------------
DEBUG = env.get_bool("KHABAR_DEBUG", False)
INSECURE_DEFAULT_SECRET = "khabar-insecure-development-secret-change-me-in-production"
SECRET_KEY = env.get_str("KHABAR_SECRET_KEY", INSECURE_DEFAULT_SECRET)
PRODUCTION = env.get_bool("KHABAR_PRODUCTION", False)
if PRODUCTION and SECRET_KEY == INSECURE_DEFAULT_SECRET:
    raise ImproperlyConfigured("KHABAR_PRODUCTION is on: set KHABAR_SECRET_KEY to a long random value.")

# The public address, for canonical links, feeds, sitemaps and mail. Computed here and only here, so
# every process (web, `khabar worker`, a cron `khabar newsletter send-digest`) links to the same
# host: by default where `khabar serve` listens, http://127.0.0.1:$PORT.
SITE_URL = env.get_str("KHABAR_SITE_URL", f"http://127.0.0.1:{env.get_int('PORT', 8000)}").rstrip("/")
SITE_NAME = env.get_str("KHABAR_SITE_NAME", "خبر")
ALLOWED_HOSTS = env.get_list("KHABAR_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.get_list("KHABAR_CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "khabar.news",
    "khabar.newsletter",
    "khabar.comments",
    "khabar.search",
    "khabar.wire",
    "khabar.push",
    "khabar.mostread",
    "khabar.staff",
    "khabar.demo",
    "khabar.wordpress",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry the policies too (an SVG opened directly is a document).
    "khabar.security.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: the site is Arabic only, and the admin opens in Arabic (LANGUAGE_CODE) whatever
    # the browser asks; Wagtail switches a user who chose English in their account to English.
    "django.middleware.common.CommonMiddleware",
    "khabar.news.routing_cache.KnownSiteMiddleware",  # the Site and home page without queries
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # tells whether a session was verified with a code
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: both tell the person why they were sent to sign in or to enrol.
    "khabar.staff.middleware.SessionLifetimeMiddleware",
    "khabar.staff.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "khabar.wordpress.links.LegacyQueryRedirectMiddleware",  # WordPress's /?p=ID links
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout page
]

ROOT_URLCONF = "khabar.urls"
WSGI_APPLICATION = "khabar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "khabar.news.context_processors.site",
            ],
        },
    },
]

# --- data -----------------------------------------------------------------
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'khabar.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env.get_str("KHABAR_DATABASE_URL", DEFAULT_DATABASE_URL), conn_max_age=600, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A newcomer's first command must work: create the folder the database lives in.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while a writer commits; IMMEDIATE avoids
    # "database is locked" upgrades when two processes write at once. Connections stay open
    # (conn_max_age above): reopening one and its PRAGMAs cost ~5 ms of every page render.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; PRAGMA cache_size=-20000"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.get_str("KHABAR_REDIS_URL", "")
# Every process (web workers, the task worker, cron commands) must see one cache: rate limits,
# render locks and purges mean nothing otherwise. Embedded: diskcache's SQLite-and-files store
# in the data folder (atomic add/incr across processes, no server). At scale: Redis.
if REDIS_URL:
    # khabar's RedisCache fails open when Redis stops (reads miss, writes drop: pages still render) and
    # closed for add/incr (rate limits refuse). Timeouts keep a hung Redis from hanging every request.
    _redis = {
        "BACKEND": "khabar.shared_cache.RedisCache", "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    CACHES = {"default": _redis, "pages": {**_redis, "KEY_PREFIX": "pages"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "khabar.shared_cache.DiskCache", "LOCATION": str(DATA_DIR / "cache" / "default"),
            "OPTIONS": {"size_limit": 256 * 2**20}, "SHARDS": 4, "DATABASE_TIMEOUT": 1.0,
        },
        "pages": {
            "BACKEND": "khabar.shared_cache.DiskCache", "LOCATION": str(DATA_DIR / "cache" / "pages"),
            "OPTIONS": {"size_limit": env.get_int("KHABAR_PAGE_CACHE_MB", 1024) * 2**20}, "SHARDS": 4,
            "DATABASE_TIMEOUT": 1.0,
        },
    }

# --- page cache (khabar.pagecache; the README's "Speed" section explains each) ---
KHABAR_PAGE_CACHE = env.get_bool("KHABAR_PAGE_CACHE", True)  # off: every request renders (measuring, debugging)
# Shared fragments (menu, ticker, related articles, listing counts) make a page-cache miss cheap.
KHABAR_FRAGMENT_CACHE = env.get_bool("KHABAR_FRAGMENT_CACHE", True)
KHABAR_PAGE_CACHE_ALIAS = "pages"
KHABAR_PAGE_CACHE_GENERATIONS = "cache" if REDIS_URL else "file"  # where purge counters live (see generations.py)
# Life of a page no purge touched: pages show relative times («منذ 5 دقائق») that must not drift far.
KHABAR_PAGE_CACHE_SECONDS = env.get_int("KHABAR_PAGE_CACHE_SECONDS", 300)
KHABAR_PAGE_CACHE_SEARCH_SECONDS = env.get_int("KHABAR_PAGE_CACHE_SEARCH_SECONDS", 60)  # search results
KHABAR_PAGE_CACHE_STALE_SECONDS = 3600  # a stale copy is kept this long to serve while one request re-renders
KHABAR_PAGE_CACHE_LOCAL_MB = env.get_int("KHABAR_PAGE_CACHE_LOCAL_MB", 32)  # hottest pages copied in each process
# Query parameters that change what a page shows; any other (utm_*, fbclid, junk) is ignored by the cache.
# p, page_id, attachment_id, cat: WordPress's old links (khabar.wordpress.links answers them with a redirect).
KHABAR_PAGE_CACHE_PARAMS = ["page", "cpage", "comment", "replytocom", "q", "section", "from", "to", "sort",
                            "p", "page_id", "attachment_id", "cat"]
KHABAR_PAGE_CACHE_SKIP = ["/admin/", "/comments/", "/newsletter/", "/static/", "/media/", "/documents/",
                          "/search/suggest/"]
KHABAR_PAGE_CACHE_SHORT = ["/search/"]
# Fresh pages also written as files for nginx to serve (pagecache/files.py, deploy/nginx/khabar.conf);
# only where nginx and every khabar process share this machine. Empty: off.
KHABAR_PAGE_FILES_DIR = env.get_str("KHABAR_PAGE_FILES_DIR", "")
KHABAR_CDN_MAX_AGE = env.get_int("KHABAR_CDN_MAX_AGE", 60)  # s-maxage sent to a CDN or proxy
KHABAR_CDN_STALE_SECONDS = env.get_int("KHABAR_CDN_STALE_SECONDS", 30)  # stale-while-revalidate

TASKS_BACKEND = env.get_choice(
    "KHABAR_TASKS_BACKEND", "rq" if REDIS_URL else "database", {"database", "rq", "immediate"}
)
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
    }
}
if (REDIS_URL or TASKS_BACKEND == "rq") and not all(map(find_spec, ["redis", "django_rq", "django_tasks_rq"])):
    raise ImproperlyConfigured(
        "KHABAR_REDIS_URL needs the Redis packages: pip install -e \".[redis]\" (make serve installs them)."
    )
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_tasks_rq", "django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    # A queued job names a django-tasks Task, not a plain function: only django-tasks-rq's Job class
    # can run it. Any `rqworker` (khabar worker, or one started by hand) picks the class up from here.
    # khabar's worker class starts RQ's scheduler again when Redis comes back after an outage (rq_worker.py).
    RQ = {"JOB_CLASS": "django_tasks_rq.Job", "WORKER_CLASS": "khabar.rq_worker.Worker"}

# --- e-mail ---------------------------------------------------------------
_email = env.parse_email_url(env.get_str("KHABAR_EMAIL_URL", "console://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = env.get_str("KHABAR_DEFAULT_FROM_EMAIL", f"{SITE_NAME} <news@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- newsletter (khabar.newsletter; the README's "Newsletter" section explains each) ---
KHABAR_NEWSLETTER_FROM_EMAIL = env.get_str("KHABAR_NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL)
KHABAR_NEWSLETTER_CONFIRM_HOURS = env.get_int("KHABAR_NEWSLETTER_CONFIRM_HOURS", 48)  # link life; then forgotten
KHABAR_NEWSLETTER_RESEND_MINUTES = env.get_int("KHABAR_NEWSLETTER_RESEND_MINUTES", 10)  # one confirmation per N min
KHABAR_NEWSLETTER_IP_LIMIT = env.get_int("KHABAR_NEWSLETTER_IP_LIMIT", 20)  # sign-ups per IP per hour
KHABAR_NEWSLETTER_ADDRESS_LIMIT = env.get_int("KHABAR_NEWSLETTER_ADDRESS_LIMIT", 5)  # sign-ups per address per hour
KHABAR_NEWSLETTER_DIGEST_ARTICLES = env.get_int("KHABAR_NEWSLETTER_DIGEST_ARTICLES", 30)  # most articles per digest
KHABAR_NEWSLETTER_BATCH_SIZE = env.get_int("KHABAR_NEWSLETTER_BATCH_SIZE", 100)  # deliveries claimed at once
KHABAR_NEWSLETTER_LEASE_SECONDS = env.get_int("KHABAR_NEWSLETTER_LEASE_SECONDS", 120)  # a silent worker's rows return
KHABAR_NEWSLETTER_SEND_TASKS = env.get_int("KHABAR_NEWSLETTER_SEND_TASKS", 2)  # sender tasks queued per issue
KHABAR_NEWSLETTER_MAX_ATTEMPTS = env.get_int("KHABAR_NEWSLETTER_MAX_ATTEMPTS", 5)  # temporary failures, then failed
KHABAR_NEWSLETTER_RETRY_SECONDS = env.get_int("KHABAR_NEWSLETTER_RETRY_SECONDS", 120)  # first back-off, doubling
KHABAR_NEWSLETTER_BOUNCE_THRESHOLD = env.get_int("KHABAR_NEWSLETTER_BOUNCE_THRESHOLD", 3)  # permanent failures

# --- breaking news in the browser (khabar.push; README "Breaking-news alerts in the browser") ---
KHABAR_VAPID_PRIVATE_KEY = env.get_str("KHABAR_VAPID_PRIVATE_KEY", "")  # empty: made once, kept in the database
KHABAR_VAPID_SUBJECT = env.get_str("KHABAR_VAPID_SUBJECT", "")  # empty: mailto: DEFAULT_FROM_EMAIL's address
KHABAR_PUSH_IP_LIMIT = env.get_int("KHABAR_PUSH_IP_LIMIT", 30)  # subscribe/unsubscribe requests per IP per hour
KHABAR_PUSH_BATCH_SIZE = env.get_int("KHABAR_PUSH_BATCH_SIZE", 100)  # subscriptions one sender claims at once

# --- language, time -------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
TIME_ZONE = env.get_str("KHABAR_TIME_ZONE", "Asia/Riyadh")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

# How dates and numbers read on the site (khabar.arabic does the formatting).
KHABAR_DATE_STYLE = env.get_choice("KHABAR_DATE_STYLE", "levant", {"levant", "egypt", "gulf", "maghreb"})
KHABAR_DIGITS = env.get_choice("KHABAR_DIGITS", "western", {"western", "arabic"})
KHABAR_SHOW_HIJRI = env.get_bool("KHABAR_SHOW_HIJRI", False)
KHABAR_ARTICLES_PER_PAGE = env.get_int("KHABAR_ARTICLES_PER_PAGE", 20)

# --- comments (khabar.comments; the README's "Comments" section explains each) ---
# all: every comment waits for a moderator; first: a new e-mail's first comment waits; none: shown at once.
KHABAR_COMMENTS_MODERATION = env.get_choice("KHABAR_COMMENTS_MODERATION", "first", {"all", "first", "none"})
KHABAR_COMMENTS_PER_PAGE = env.get_int("KHABAR_COMMENTS_PER_PAGE", 50)  # top-level comments per page
KHABAR_COMMENTS_MAX_DEPTH = max(1, env.get_int("KHABAR_COMMENTS_MAX_DEPTH", 4))  # levels of replies shown nested
KHABAR_COMMENTS_MAX_LENGTH = env.get_int("KHABAR_COMMENTS_MAX_LENGTH", 5000)  # characters in one comment
KHABAR_COMMENTS_MAX_LINKS = env.get_int("KHABAR_COMMENTS_MAX_LINKS", 2)  # more links than this: held
KHABAR_COMMENTS_MIN_SECONDS = env.get_int("KHABAR_COMMENTS_MIN_SECONDS", 3)  # form issued → submitted, at least
KHABAR_COMMENTS_FORM_MAX_AGE = env.get_int("KHABAR_COMMENTS_FORM_MAX_AGE", 86400)  # …and at most (seconds)
KHABAR_COMMENTS_FLOOD_SECONDS = env.get_int("KHABAR_COMMENTS_FLOOD_SECONDS", 15)  # one comment per source per N s
KHABAR_COMMENTS_HOURLY_LIMIT = env.get_int("KHABAR_COMMENTS_HOURLY_LIMIT", 10)  # comments per source per hour
KHABAR_COMMENTS_BLOCKLIST = env.get_list("KHABAR_COMMENTS_BLOCKLIST", [])  # plus the words moderators add
KHABAR_COMMENTS_CHECKS = env.get_list(
    "KHABAR_COMMENTS_CHECKS",
    [
        "khabar.comments.checks.duplicates.DuplicateCheck",
        "khabar.comments.checks.blocklist.BlocklistCheck",
        "khabar.comments.checks.links.LinkLimitCheck",
    ],
)
KHABAR_COMMENTS_NOTIFY_DELAY = env.get_int("KHABAR_COMMENTS_NOTIFY_DELAY", 300)  # gather pending comments, then mail

# --- static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env.get_str("KHABAR_STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get_str("KHABAR_MEDIA_ROOT", str(DATA_DIR / "media")))
KHABAR_BACKUP_DIR = Path(env.get_str("KHABAR_BACKUP_DIR", str(DATA_DIR / "backups")))  # `khabar backup`'s default
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# --- Wagtail --------------------------------------------------------------
WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "jpeg", "webp": "webp"}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No third-party request from the admin either: Gravatar would receive a hash of each user's e-mail.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["bold", "italic", "h2", "h3", "ol", "ul", "link", "blockquote"]},
    }
}
FRONTEND_CACHE_URL = env.get_str("KHABAR_FRONTEND_CACHE_URL", "")
if FRONTEND_CACHE_URL:
    WAGTAILFRONTENDCACHE = {
        "proxy": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": FRONTEND_CACHE_URL}
    }

# --- security -------------------------------------------------------------
# Behind a reverse proxy: the header carrying the reader's address (e.g. X-Forwarded-For),
# used by the comment and newsletter rate limits. Empty: REMOTE_ADDR (a client could forge a header).
KHABAR_CLIENT_IP_HEADER = env.get_str("KHABAR_CLIENT_IP_HEADER", "")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Wagtail's live preview shows the page in a same-origin frame, so DENY would break it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.get_bool("KHABAR_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.get_int("KHABAR_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- security headers and uploads (khabar.security; the README's "Security headers and uploads") ---
# One fixed policy for readers: pages are cached whole (khabar's page cache, nginx, a CDN), so a
# per-request nonce would be replayed to everyone. Scripts and stylesheets come only from our files.
# Embeds (YouTube…) are frames from these origins; anything else an editor embeds shows as a link.
KHABAR_CSP_FRAME_SRC = env.get_list(
    "KHABAR_CSP_FRAME_SRC", ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]
)
KHABAR_CSP_REPORT_URI = env.get_str("KHABAR_CSP_REPORT_URI", "")  # where browsers post violations (optional)
_csp_report = {"report-uri": [KHABAR_CSP_REPORT_URI]} if KHABAR_CSP_REPORT_URI else {}
KHABAR_CSP = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # Style attributes only, never <style>: comment avatars carry their hue as a CSS variable
    # and Wagtail's responsive embeds their aspect ratio. An attribute cannot load or run anything.
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    "frame-src": KHABAR_CSP_FRAME_SRC or ["'none'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],  # Wagtail's live preview frames the page from the admin
    **_csp_report,
}
# Wagtail 8's admin, measured in Chromium (README): inline <script>s in its date pickers and inline
# panels, inline event handlers in the focal-point cropper, <style> elements its editor injects,
# blob: previews of images being uploaded, and the page preview (and its embeds) in a frame.
KHABAR_ADMIN_CSP = {
    "default-src": ["'none'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    "frame-src": ["'self'", *KHABAR_CSP_FRAME_SRC],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
    **_csp_report,
}
# Feeds, sitemaps, JSON, robots.txt, static files opened on their own: no script at all. Inline
# styles only for the browser's own XML and JSON viewers, which style the tree they draw.
KHABAR_DATA_CSP = {
    "default-src": ["'none'"],
    "img-src": ["'self'", "data:"],
    "media-src": ["'self'"],
    "style-src": ["'unsafe-inline'"],
    "frame-ancestors": ["'self'"],
    **_csp_report,
}
# Powerful features no page of khabar uses, off for the page and for every frame it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "browsing-topics", "camera", "display-capture", "geolocation", "gyroscope", "hid",
        "idle-detection", "interest-cohort", "magnetometer", "microphone", "midi", "payment", "serial", "usb",
        "xr-spatial-tracking",
    )
}

# Images: no SVG (a document that can run script), a full Pillow decode of each upload, size limits.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.get_int("KHABAR_IMAGE_MAX_MB", 10) * 2**20
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env.get_int("KHABAR_IMAGE_MAX_MEGAPIXELS", 40) * 1_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "khabar.security.uploads.VerifiedImageForm"
# Documents only through Wagtail's view (privacy checks, nosniff, its own CSP), always as downloads.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []

# --- staff sign-in (khabar.staff; the README's "Admin accounts and sign-in" section explains each) ---
# Lockout, by django-axes: a (username, address) pair after KHABAR_LOGIN_FAILURES failures, an address
# after KHABAR_LOGIN_ADDRESS_FAILURES across usernames; never an account from every address.
KHABAR_LOGIN_FAILURES = env.get_int("KHABAR_LOGIN_FAILURES", 5)
KHABAR_LOGIN_ADDRESS_FAILURES = env.get_int("KHABAR_LOGIN_ADDRESS_FAILURES", 30)
KHABAR_LOGIN_LOCKOUT_MINUTES = env.get_int("KHABAR_LOGIN_LOCKOUT_MINUTES", 15)  # counted from the last failure
KHABAR_2FA_REQUIRED_GROUPS = env.get_list("KHABAR_2FA_REQUIRED_GROUPS", [])  # group names; others may opt in
KHABAR_SESSION_HOURS = env.get_int("KHABAR_SESSION_HOURS", 12)  # a sign-in lasts at most this long
KHABAR_SESSION_IDLE_MINUTES = env.get_int("KHABAR_SESSION_IDLE_MINUTES", 120)  # without a request; 0: no limit
SESSION_COOKIE_AGE = KHABAR_SESSION_HOURS * 3600
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked pair before any password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "khabar.staff.lockout.AccountAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # never "username" alone
AXES_FAILURE_LIMIT = "khabar.staff.lockout.account_failure_limit"
AXES_COOLOFF_TIME = "khabar.staff.lockout.lockout_period"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "khabar.staff.lockout.client_address"  # KHABAR_CLIENT_IP_HEADER, as everywhere
AXES_LOCKOUT_CALLABLE = "khabar.staff.lockout.locked_out_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the failures in the admin's sign-in log
AXES_ENABLE_ADMIN = False  # the log is shown in the Wagtail admin, not Django's
# Masked in axes's rows and log lines: no password or code is ever stored.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "otp_token", "csrfmiddlewaretoken"]
WAGTAILADMIN_USER_LOGIN_FORM = "khabar.staff.forms.StaffLoginForm"
OTP_TOTP_ISSUER = SITE_NAME  # the name the authenticator app shows beside the code

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The database task worker sets its loggers to INFO itself (from --verbosity), so levels below
    # cannot quiet it: this filter drops its per-task lines and keeps its warnings and failures.
    "filters": {
        "no_task_chatter": {
            "()": "django.utils.log.CallbackFilter",
            "callback": lambda record: record.levelno >= logging.WARNING
            or not record.name.startswith(("django_tasks", "django.tasks")),
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_task_chatter"]}},
    "root": {"handlers": ["console"], "level": env.get_str("KHABAR_LOG_LEVEL", "INFO")},
    # Wagtail logs every page created and the task worker every task run, at INFO:
    # a bulk import or a newsletter send would bury the console. Failures still show.
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "wagtail": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # failures and lockouts still show; not each sign-in or its start-up banner
        "django_tasks": {"level": "WARNING"},
    },
}
