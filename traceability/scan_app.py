"""The scan URLs (``/01/…``, ``/q/…``) served without Django's URL resolver and full middleware stack.

The scan page is the platform's hottest route (a tourist scanning a label); per-request Python CPU is
what limits it. ``ocop/wsgi.py`` sends plain GET/HEAD requests for these paths here; everything else,
including the resolver's content negotiation on the same paths (``?linkType=``, ``Accept:
application/linkset+json``), keeps the full stack.

The page is built by the same view code as through the full stack (``traceability.resolver.views``);
around it run only the middleware the page needs, as Django's own classes and in
the order of ``settings.MIDDLEWARE``, so the headers and the language chosen are those of the full
stack: request id, security (HTTPS redirect, HSTS, nosniff, referrer and opener policies), common (host
validation, Content-Length), locale (cookie, then Accept-Language) and clickjacking protection. The
Content-Security-Policy is django-csp's, built once by the page itself (``page.security_policy``): the
middleware would build the same text again on every response. Sessions, authentication, messages and CSRF are
left out: the page uses none of them (its language switch is two links, its location form posts to a view
that needs no token, its report form is a GET to a page with its own).
"""

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.utils.module_loading import import_string

from .resolver import links, views

#: The middleware of ``settings.MIDDLEWARE`` that the scan page needs (the others are skipped).
KEPT_MIDDLEWARE = frozenset(
    {
        "ocop.logging.RequestIdMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    }
)


def is_scan_request(environ: dict) -> bool:
    """A visitor's GET of a scan page (not a resolver query for a link or a linkset)."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    path = environ.get("PATH_INFO", "")
    if not (path.startswith("/01/") or (path.startswith("/q/") and path.find("/", 3) == -1 and len(path) > 3)):
        return False
    return "linkType" not in environ.get("QUERY_STRING", "") and links.LINKSET not in environ.get("HTTP_ACCEPT", "")


def scan_view(request):
    path = request.path_info
    if path.startswith("/q/"):
        return views.short_item(request, serial=path[3:])
    return views.gs1_item(request, rest=path[4:])


class ScanHandler(WSGIHandler):
    """Django's WSGI handler (request, signals, response) with the kept middleware around the scan view
    instead of the whole stack around the URL resolver."""

    def load_middleware(self, is_async=False):
        handler = convert_exception_to_response(scan_view)
        for path in reversed(settings.MIDDLEWARE):
            if path in KEPT_MIDDLEWARE:
                handler = convert_exception_to_response(import_string(path)(handler))
        self._middleware_chain = handler


def dispatch(django_application, scan_application=None):
    """A WSGI application sending scan requests to ``scan_application`` and all others to Django's."""
    scan_application = scan_application or ScanHandler()

    def application(environ, start_response):
        if is_scan_request(environ):
            return scan_application(environ, start_response)
        return django_application(environ, start_response)

    return application
