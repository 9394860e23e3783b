"""Settings for the OCOP Đắk Lắk platform.

Every value comes from the environment (see deploy/ for the full table). The defaults are the
embedded development setup: PostgreSQL and Redis on 127.0.0.1. Production must set
``DJANGO_DEBUG=false`` and a real ``DJANGO_SECRET_KEY``; the secure defaults below then apply.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from ocop.encryption import keys_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - refused below when DEBUG is off
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django_ratelimit",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "graphene_django",
    "ocop.outbox",
    "catalog",
    "traceability",
    "storefront",
    "storefront.saleor_app",
    "storefront.payments",
    "integrations",
    "catalog.applications",
    "catalog.accounts",
    "catalog.programme",
    "integrations.channel_sales",
    "traceability.oversight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "ocop.urls"
WSGI_APPLICATION = "ocop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ocop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ocop.navigation.site",
            ],
            # Vietnamese number, money and date formats (vn_number, vn_money, vn_date, vn_cell) on every page.
            "builtins": ["catalog.templatetags.vn_formats"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/ocop"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Lets parallel test runs on one machine keep separate test databases.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=None)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
# The platform's own look (ocop/static): Pico CSS, Leaflet, Chart.js vendored as built files from npm, and site.css.
STATICFILES_DIRS = [BASE_DIR / "ocop" / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "ocop" / "static"]  # vendored front-end files (GraphiQL): no page uses a CDN
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Private files (ocop.files.private): label sheets, proposed listing photos, inspection photos and evidence,
# report photos, dossier documents. Outside MEDIA_ROOT, random names, served only after a permission check.
PRIVATE_FILES_ROOT = env.path("PRIVATE_FILES_ROOT", default=BASE_DIR / "var" / "private")
# Behind nginx: the prefix of its `internal` location aliasing PRIVATE_FILES_ROOT (e.g. /_private/); the app
# then answers with X-Accel-Redirect and nginx sends the bytes. Empty: Django streams the files itself.
PRIVATE_FILES_ACCEL_REDIRECT = env.str("PRIVATE_FILES_ACCEL_REDIRECT", default="")

CACHES = {"default": env.cache("CACHE_URL", default="redis://127.0.0.1:6379/1")}

# Celery: Redis as broker. Results are not needed by the platform (tasks record their own state).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Two lanes (issue #14). Bulk work — serial issuance, label sheets, full syncs and reconciliations, search index
# rebuilds, scan ingestion, marketplace order pulls, mass e-mails and housekeeping — goes to the "bulk" queue and
# its own worker (deploy/ runs `celery worker -Q bulk`). Everything else, above all the outbox
# (ocop.outbox.tasks.drain_outbox, which delists revoked products) and per-product updates, stays on the default
# queue, which bulk work never occupies (`celery worker -Q celery`). A worker started without -Q (development,
# tests) serves both queues (CELERY_TASK_QUEUES).
CELERY_TASK_DEFAULT_QUEUE = "celery"
BULK_QUEUE = "bulk"
# Each queue its own routing key: queues declared by name alone all bind to the default key ("celery"), and on an
# AMQP broker (RabbitMQ) every task would then reach both lanes.
CELERY_TASK_QUEUES = tuple(Queue(name, routing_key=name) for name in (CELERY_TASK_DEFAULT_QUEUE, BULK_QUEUE))
CELERY_TASK_ROUTES = {
    name: {"queue": BULK_QUEUE}
    for name in (
        "traceability.tasks.issue_serials",
        "traceability.tasks.build_label_sheet",
        "traceability.tasks.ingest_scans",
        "traceability.tasks.expire_label_sheets",
        "storefront.saleor_app.tasks.full_sync",
        "storefront.saleor_app.tasks.reconcile_saleor",
        "storefront.saleor_app.tasks.prune_webhook_deliveries",
        "storefront.tasks.rebuild_search_index",
        "catalog.applications.tasks.send_reevaluation_prompts",
        "integrations.channel_sales.tasks.pull_marketplace_orders",
    )
}
CELERY_BEAT_SCHEDULE = {
    "record-certificate-expiries": {
        "task": "catalog.tasks.record_certificate_expiries",
        # Every hour at :01 (Asia/Ho_Chi_Minh), so expiries are recorded minutes after midnight; idempotent.
        # Listability never waits for it: the listing rule compares dates itself.
        "schedule": crontab(minute=1),
    },
    "drain-outbox": {
        "task": "ocop.outbox.tasks.drain_outbox",
        "schedule": env.float("OUTBOX_DRAIN_INTERVAL", default=5.0),
    },
}

GRAPHENE = {"SCHEMA": "ocop.schema.schema"}
# What one request to /graphql/ may cost (ocop/api/limits.py) and how often a client may ask (ocop/api/view.py).
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=6)
GRAPHQL_MAX_ALIASES = env.int("GRAPHQL_MAX_ALIASES", default=10)
GRAPHQL_MAX_NODES = env.int("GRAPHQL_MAX_NODES", default=200)
GRAPHQL_MAX_COST = env.int("GRAPHQL_MAX_COST", default=5000)
GRAPHQL_MAX_QUERY_LENGTH = env.int("GRAPHQL_MAX_QUERY_LENGTH", default=10_000)
GRAPHQL_MAX_TOKENS = env.int("GRAPHQL_MAX_TOKENS", default=2_000)
GRAPHQL_RATE_LIMIT = env.str("GRAPHQL_RATE_LIMIT", default="120/m")

# Security: safe by default, relaxed only for local development.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Content-Security-Policy (django-csp): everything from our own origin, no inline script or style anywhere (pages
# load their CSS/JS from static files; data: only for the icons inside the CSS). GraphiQL is exempt (ocop/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
LOGIN_URL = "applications:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Maximum size of an uploaded import file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Saleor app (storefront.saleor_app). Unset SALEOR_API_URL = no Saleor: the store browses but has no checkout.
SALEOR_API_URL = env.str("SALEOR_API_URL", default="")
# Fernet keys encrypting the stored app token, comma-separated, current first (old ones stay readable for rotation:
# ``manage.py reencrypt_secrets``). Required in production; DEBUG derives a development key.
SALEOR_APP_ENCRYPTION_KEY = keys_from_environment(
    env.str("SALEOR_APP_ENCRYPTION_KEY", default=""),
    setting="SALEOR_APP_ENCRYPTION_KEY",
    debug=DEBUG,
    secret_key=SECRET_KEY,
)
SALEOR_CHANNELS = env.list("SALEOR_CHANNELS", default=[])  # channel slugs; default: every VND channel
SALEOR_WAREHOUSE = env.str("SALEOR_WAREHOUSE", default="")  # warehouse slug; default: first of the channel
SALEOR_HTTP_TIMEOUT = env.float("SALEOR_HTTP_TIMEOUT", default=10.0)
CELERY_BEAT_SCHEDULE["saleor-reconcile"] = {
    "task": "storefront.saleor_app.tasks.reconcile_saleor",
    "schedule": env.float("SALEOR_RECONCILE_INTERVAL", default=900.0),
}
# Replay window of Saleor's webhooks, in seconds: a delivery issued longer ago is refused, one already processed
# within it has no effect. It must cover Saleor's retries of a failed delivery (about 5 min): storefront/saleor_app/
# webhooks.py explains.
SALEOR_WEBHOOK_MAX_AGE = env.float("SALEOR_WEBHOOK_MAX_AGE", default=900.0)
CELERY_BEAT_SCHEDULE["saleor-prune-webhook-deliveries"] = {
    "task": "storefront.saleor_app.tasks.prune_webhook_deliveries",
    "schedule": 3600.0,
}

# Storefront search: Elasticsearch when ELASTICSEARCH_URL is set, else PostgreSQL full-text + trigrams.
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX = env.str("ELASTICSEARCH_INDEX", default="ocop-products")
CELERY_BEAT_SCHEDULE["channel-sales-pull-marketplace-orders"] = {
    "task": "integrations.channel_sales.tasks.pull_marketplace_orders",
    "schedule": env.float("MARKETPLACE_ORDERS_PULL_INTERVAL", default=3600.0),
}
CELERY_BEAT_SCHEDULE["storefront-rebuild-search-index"] = {
    "task": "storefront.tasks.rebuild_search_index",
    "schedule": env.float("SEARCH_REBUILD_INTERVAL", default=6 * 3600.0),
}

# Integrations (marketplaces, feeds, sales points).
# Fernet keys for stored partner credentials, comma-separated, current first (rotation as for the Saleor key).
# Required in production; DEBUG derives a development key.
INTEGRATIONS_ENCRYPTION_KEY = keys_from_environment(
    env.str("INTEGRATIONS_ENCRYPTION_KEY", default=""),
    setting="INTEGRATIONS_ENCRYPTION_KEY",
    debug=DEBUG,
    secret_key=SECRET_KEY,
)
# Redis for the per-destination rate limit (shared by every worker).
INTEGRATIONS_REDIS_URL = env.str("INTEGRATIONS_REDIS_URL", default=env.str("CACHE_URL", default=CELERY_BROKER_URL))
INTEGRATIONS_PLACEHOLDER_IMAGE_URL = env.str(
    "INTEGRATIONS_PLACEHOLDER_IMAGE_URL", default=PUBLIC_BASE_URL.rstrip("/") + "/static/ocop-placeholder.png"
)

# Sales-point map: the province outline is the base layer (no tiles needed, works offline). Optionally a tile
# server, e.g. "https://tiles.example.org/{z}/{x}/{y}.png": its origin is then allowed in the CSP's img-src.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
if MAP_TILE_URL:
    from urllib.parse import urlsplit as _urlsplit

    _tiles = _urlsplit(MAP_TILE_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}")

# Traceability (QR codes, scan page, GS1 resolver, EPCIS).
# Scans are pushed to a Redis list by the page and inserted in bulk by a beat task.
TRACEABILITY_SCAN_QUEUE_URL = env.str("TRACEABILITY_SCAN_QUEUE_URL", default=CELERY_BROKER_URL)
TRACEABILITY_SCAN_BUFFER = env.int("TRACEABILITY_SCAN_BUFFER", default=25)  # scans per push (or 1 s)
# Most scans waiting in the queue (about 250 bytes each): beyond it scans are dropped and counted, never Redis full.
TRACEABILITY_SCAN_QUEUE_MAX = env.int("TRACEABILITY_SCAN_QUEUE_MAX", default=100_000)
TRACEABILITY_ISSUANCE_BATCH = env.int("TRACEABILITY_ISSUANCE_BATCH", default=5000)
TRACEABILITY_FRAGMENT_TTL = env.float("TRACEABILITY_FRAGMENT_TTL", default=1.0)  # seconds; status is never cached
TRACEABILITY_FLAG_FAR_KM = env.float("TRACEABILITY_FLAG_FAR_KM", default=100.0)
TRACEABILITY_FLAG_WINDOW_HOURS = env.float("TRACEABILITY_FLAG_WINDOW_HOURS", default=2.0)
TRACEABILITY_FLAG_OVERSCAN_FACTOR = env.float("TRACEABILITY_FLAG_OVERSCAN_FACTOR", default=10.0)
TRACEABILITY_FLAG_OVERSCAN_MIN = env.int("TRACEABILITY_FLAG_OVERSCAN_MIN", default=20)
CELERY_BEAT_SCHEDULE["traceability-ingest-scans"] = {
    "task": "traceability.tasks.ingest_scans",
    "schedule": env.float("TRACEABILITY_INGEST_INTERVAL", default=5.0),
}
# A label sheet lists every serial of its lot (enough to print genuine-looking labels): its file is deleted this
# many days after it was made (the job row stays, saying so); the producer asks for a new one when needed.
TRACEABILITY_LABEL_SHEET_RETENTION_DAYS = env.int("TRACEABILITY_LABEL_SHEET_RETENTION_DAYS", default=30)
CELERY_BEAT_SCHEDULE["traceability-expire-label-sheets"] = {
    "task": "traceability.tasks.expire_label_sheets",
    "schedule": crontab(minute=17),  # hourly; idempotent
}

# Logging (deploy/): JSON lines with a request id (ocop/logging.py). LOG_FORMAT=text for plain lines in development.
MIDDLEWARE.insert(0, "ocop.logging.RequestIdMiddleware")
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ocop.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "ocop.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
# Celery keeps the root logger configured above (JSON in production) instead of installing its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Producers' applications for OCOP evaluation (catalog.applications).
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=f"django.core.mail.backends.{'console' if DEBUG else 'smtp'}.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OCOP Đắk Lắk <no-reply@ocop.daklak.gov.vn>")
# Dossier files are private files (PRIVATE_FILES_ROOT, folder applications/).
APPLICATIONS_MAX_DOCUMENT_BYTES = env.int("APPLICATIONS_MAX_DOCUMENT_BYTES", default=10 * 1024 * 1024)
CELERY_BEAT_SCHEDULE["applications-reevaluation-prompts"] = {
    "task": "catalog.applications.tasks.send_reevaluation_prompts",
    "schedule": env.float("APPLICATIONS_PROMPT_INTERVAL", default=6 * 3600.0),  # idempotent: each prompt once
}
CELERY_BEAT_SCHEDULE["applications-follow-rule-sets"] = {
    # Minutes after midnight (Asia/Ho_Chi_Minh): open applications move to a rule set taking effect that day.
    "task": "catalog.applications.tasks.follow_rule_sets",
    "schedule": crontab(minute=5, hour=0),
}

# Dashboards (catalog.reports, integrations.dashboards.tables): targets of the year's provincial plan (seed plan, I.2).
OCOP_PLAN_TARGETS = {
    "retained_share_min": env.int("OCOP_TARGET_RETAINED_SHARE_MIN", default=85),  # % of 2018–2020 products, >
    "new_products_min": env.int("OCOP_TARGET_NEW_PRODUCTS_MIN", default=40),  # new 3★+ products this year
    "new_products_max": env.int("OCOP_TARGET_NEW_PRODUCTS_MAX", default=50),
    "central_candidates_min": env.int("OCOP_TARGET_CENTRAL_CANDIDATES_MIN", default=1),  # 5★ dossiers sent up
}

# Storefront checkout: offer Saleor's dummy/test payment gateway (development only; cash on delivery always).
SALEOR_TEST_PAYMENTS = env.bool("SALEOR_TEST_PAYMENTS", default=DEBUG)

# Online payments (storefront.payments) through Saleor's Transactions API. A method is offered only when set up.
# VietQR bank transfer to the shop's account, confirmed by a bank-statement service's signed webhook (Casso v2).
PAYMENTS_VIETQR_BANK_BIN = env.str("PAYMENTS_VIETQR_BANK_BIN", default="")  # 6-digit NAPAS BIN, e.g. 970436
PAYMENTS_VIETQR_ACCOUNT = env.str("PAYMENTS_VIETQR_ACCOUNT", default="")
PAYMENTS_VIETQR_ACCOUNT_NAME = env.str("PAYMENTS_VIETQR_ACCOUNT_NAME", default="")
PAYMENTS_VIETQR_EXPIRY_MINUTES = env.int("PAYMENTS_VIETQR_EXPIRY_MINUTES", default=30)
PAYMENTS_BANK_STATEMENT_PROVIDER = env.str("PAYMENTS_BANK_STATEMENT_PROVIDER", default="casso")
CASSO_CHECKSUM_KEY = env.str("CASSO_CHECKSUM_KEY", default="")
PAYMENTS_NOTIFICATION_MAX_AGE = env.float("PAYMENTS_NOTIFICATION_MAX_AGE", default=600.0)  # seconds
# VNPay (API 2.1.0). Its IPN URL to register with VNPay: {PUBLIC_BASE_URL}/payments/vnpay/ipn/
VNPAY_TMN_CODE = env.str("VNPAY_TMN_CODE", default="")
VNPAY_HASH_SECRET = env.str("VNPAY_HASH_SECRET", default="")
VNPAY_PAYMENT_URL = env.str("VNPAY_PAYMENT_URL", default="")  # e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html
VNPAY_API_URL = env.str("VNPAY_API_URL", default="")  # e.g. .../merchant_webapi/api/transaction
VNPAY_EXPIRY_MINUTES = env.int("VNPAY_EXPIRY_MINUTES", default=15)
#: A VNPay payment without an IPN is queried (querydr) after this many seconds.
VNPAY_QUERY_AFTER = env.float("VNPAY_QUERY_AFTER", default=300.0)
CELERY_BEAT_SCHEDULE["payments-sweep"] = {  # expire unpaid attempts, query VNPay payments without an IPN
    "task": "storefront.payments.tasks.sweep_attempts",
    "schedule": env.float("PAYMENTS_SWEEP_INTERVAL", default=60.0),
}

# Oversight after certification (traceability.oversight): consumer reports, inspections, revocation proposals.
# Report photos and inspection evidence are private files (PRIVATE_FILES_ROOT, folder oversight/).
OVERSIGHT_MAX_PHOTO_BYTES = env.int("OVERSIGHT_MAX_PHOTO_BYTES", default=5 * 1024 * 1024)
OVERSIGHT_MAX_EVIDENCE_BYTES = env.int("OVERSIGHT_MAX_EVIDENCE_BYTES", default=20 * 1024 * 1024)
# Per-client limits on report submissions (counters in the cache, i.e. Redis): "count/seconds" windows. Accepted
# reports count towards the first; refused submissions (wrong answer, too fast, invalid) only towards the second.
OVERSIGHT_REPORT_RATE_LIMITS = env.list("OVERSIGHT_REPORT_RATE_LIMITS", default=["5/600", "20/86400"])
OVERSIGHT_REPORT_FAILURE_LIMITS = env.list("OVERSIGHT_REPORT_FAILURE_LIMITS", default=["10/600"])
# The form's challenge: answered no sooner than this after the form was served, and no later than the maximum.
OVERSIGHT_CHALLENGE_MIN_SECONDS = env.int("OVERSIGHT_CHALLENGE_MIN_SECONDS", default=3)
OVERSIGHT_CHALLENGE_MAX_SECONDS = env.int("OVERSIGHT_CHALLENGE_MAX_SECONDS", default=6 * 3600)

# Scan page (traceability): the product/producer part of the page is keyed by their versions and the live
# status; this bounds only edits of unversioned reference data shown there (group names). Seconds.
TRACEABILITY_PRODUCT_TTL = 60.0

# Trust in accounts (catalog.accounts, ocop.client, ocop.throttle).
# How many of our own reverse proxies append to X-Forwarded-For in front of the app: 0 = reached directly
# (REMOTE_ADDR), 1 = deploy/compose's nginx, 2 = deploy/k8s's ingress-nginx then the pod's nginx (ocop/client.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Login lockout (django-axes): failures counted per client address and, separately, per user name.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_LOCKOUT_MINUTES", default=15.0) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "ocop.client.client_address"
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
AXES_RESET_ON_SUCCESS = False
AXES_DISABLE_ACCESS_LOG = True  # failures are kept; successful logins are not logged by axes
# Public forms (django-ratelimit counters in the cache): per client address and per account, "count/period".
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "ocop.client.client_address"
# django-ratelimit lists django-redis but not Django's own RedisCache, whose add (SET NX) and incr (INCRBY) are
# atomic just the same.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
THROTTLE_RATES = {
    "accounts.register": {"client": "20/h", "account": "5/h"},  # account: the registration number
    "accounts.code": {"client": "30/h", "account": "10/15m"},  # account: the code request
    "storefront.order_lookup": {"client": "20/h", "account": "10/h"},  # account: the e-mail
}
# Text messages (ocop.messaging.sms): "logging" in development and tests, "esms" (eSMS.vn) in production.
SMS_BACKEND = env.str("SMS_BACKEND", default="logging" if DEBUG else "esms")
SMS_HTTP_TIMEOUT = env.float("SMS_HTTP_TIMEOUT", default=10.0)
ESMS_API_URL = env.str(
    "ESMS_API_URL", default="https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
)
ESMS_API_KEY = env.str("ESMS_API_KEY", default="")
ESMS_SECRET_KEY = env.str("ESMS_SECRET_KEY", default="")
ESMS_BRANDNAME = env.str("ESMS_BRANDNAME", default="")
# A producer account younger than this needs the OCOP office's approval for label sheets and for issuing more
# than TRACEABILITY_APPROVAL_SERIALS serials at once.
ACCOUNTS_PROBATION_DAYS = env.int("ACCOUNTS_PROBATION_DAYS", default=7)
TRACEABILITY_APPROVAL_SERIALS = env.int("TRACEABILITY_APPROVAL_SERIALS", default=1000)
# Per-producer quotas on bulk work (traceability/quotas.py): serials asked for per day, jobs waiting or running
# at once, labels on one sheet.
TRACEABILITY_QUOTA_SERIALS_PER_DAY = env.int("TRACEABILITY_QUOTA_SERIALS_PER_DAY", default=200_000)
TRACEABILITY_QUOTA_PENDING_JOBS = env.int("TRACEABILITY_QUOTA_PENDING_JOBS", default=3)
TRACEABILITY_QUOTA_LABEL_SHEET = env.int("TRACEABILITY_QUOTA_LABEL_SHEET", default=20_000)
# Saleor posts the app token to /saleor-app/register/ (unsigned): a few installs an hour per client is plenty.
THROTTLE_RATES["saleor_app.register"] = {"client": env.str("SALEOR_APP_REGISTER_RATE", default="10/h")}
