"""Friendly error pages (403, 404, 500) in the reader's language, with the site's navigation."""

import logging

from django.http import HttpResponseServerError
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

_BARE_500 = (
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>500</title></head><body>'
    "<h1>Lỗi máy chủ / Server error</h1><p>Vui lòng thử lại sau. / Please try again later.</p>"
    '<p><a href="/">OCOP Đắk Lắk</a></p></body></html>'
)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """Django's 500 page has no request context; this one has the language and a menu that asks nothing of the
    database (which may be what failed), and falls back to bare text if even that cannot be drawn."""
    try:
        body = render_to_string(
            template_name, {"site_nav": [], "site_home": "/", "hide_sign_in": True, "user": None}, request=request
        )
    except Exception:  # noqa: BLE001 - the error page must never fail
        logger.exception("500 page could not be rendered")
        body = _BARE_500
    return HttpResponseServerError(body)
