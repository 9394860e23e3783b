"""The lean WSGI path for the scan URLs answers exactly as the full Django stack does."""

import datetime
import html
import io
import re
import sys
from http.cookies import SimpleCookie

import pytest
from django.core import signals
from django.db import close_old_connections
from django.test import Client

from catalog import services as catalog_services
from catalog.models import Level
from traceability.identifiers import item_path, new_serial
from traceability.scan_app import ScanHandler, dispatch, is_scan_request

_PER_REQUEST = re.compile(r'(name="ref" value=")[^"]*"')


def path_of(item):
    lot = item.lot
    return item_path(gtin=lot.product.gtin, lot=lot.number, serial=item.serial, expires_on=lot.expires_on)


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes):
        self.status_code = int(status.split()[0])
        self.headers = {}
        self.cookies = SimpleCookie()
        for name, value in headers:
            if name.lower() == "set-cookie":
                self.cookies.load(value)
            else:
                self.headers[name.lower()] = value
        self.page = body.decode()

    def __getitem__(self, name):
        return self.headers[name.lower()]


def wsgi_get(app, path, *, method="GET", cookies="", **headers):
    """Call a WSGI application like a server would (test transaction kept: no connection recycling)."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **({"HTTP_COOKIE": cookies} if cookies else {}),
        **headers,
    }
    started = []
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = app(environ, lambda status, response_headers, exc_info=None: started.append((status, response_headers)))
        content = b"".join(body)
        body.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return Answer(*started[0], content)


def same_page(lean: Answer, full) -> bool:
    return _PER_REQUEST.sub(r"\1…", lean.page) == _PER_REQUEST.sub(r"\1…", full.content.decode())


def revoke(product, office_user):
    return catalog_services.revoke_certificates(
        number="12/QĐ-UBND-REV",
        signed_on=datetime.date(2026, 10, 1),
        authority_level=Level.PROVINCE,
        authority_name="UBND tỉnh Đắk Lắk",
        reason="Không tái đánh giá đúng hạn",
        certificates=[product.current_certificate],
        actor=office_user,
    )


@pytest.fixture
def lean():
    return ScanHandler()


@pytest.mark.parametrize("state", ["genuine", "expired", "revoked", "not_certified"])
def test_lean_page_is_the_full_stack_page_for_each_status(client, lean, item, certify, office_user, state):
    product = item.lot.product
    if state == "genuine":
        certify(product)
    elif state == "expired":
        certify(product, signed_on=datetime.date(2022, 6, 1))
    elif state == "revoked":
        certify(product)
        product.refresh_from_db()
        revoke(product, office_user)

    answer = wsgi_get(lean, path_of(item), HTTP_ACCEPT_LANGUAGE="vi")
    full = client.get(path_of(item), HTTP_ACCEPT_LANGUAGE="vi")

    assert answer.status_code == full.status_code == 200
    assert f'data-status="{state}"' in answer.page
    assert same_page(answer, full)


def test_lean_page_for_an_unknown_code_is_the_same_404_warning(client, lean, item, certify):
    certify(item.lot.product)
    invented = f"/01/08934602001238/10/L2026-11/21/{new_serial()}"

    answer = wsgi_get(lean, invented)
    full = client.get(invented)

    assert answer.status_code == full.status_code == 404
    assert 'data-status="unknown"' in answer.page and same_page(answer, full)


def test_lean_short_uri_is_served(client, lean, other_product, certify, office_user, issue):
    from traceability import services

    certify(other_product)
    lot = services.create_lot(
        product=other_product, number="MO-1", produced_on=datetime.date(2026, 10, 1), actor=office_user
    )
    item = issue(lot, 1)[0]

    answer = wsgi_get(lean, f"/q/{item.serial.lower()}")

    assert answer.status_code == 200 and 'data-status="genuine"' in answer.page
    assert same_page(answer, client.get(f"/q/{item.serial.lower()}"))


def test_revocation_is_on_the_very_next_lean_scan_with_caching_on(lean, item, certify, office_user, settings):
    settings.TRACEABILITY_FRAGMENT_TTL = 3600
    product = item.lot.product
    certify(product)
    assert 'data-status="genuine"' in wsgi_get(lean, path_of(item)).page

    product.refresh_from_db()
    revoke(product, office_user)
    answer = wsgi_get(lean, path_of(item))

    assert 'data-status="revoked"' in answer.page and "12/QĐ-UBND-REV" in answer.page


@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [
        ("", "vi,en;q=0.8", "vi"),
        ("", "en-US,en;q=0.9", "en"),
        ("", "fr", "en"),  # the site default (English in tests)
        ("django_language=en", "vi", "en"),  # the switch wins over the browser
        ("django_language=vi", "en", "vi"),
    ],
)
def test_lean_language_is_chosen_as_django_chooses_it(lean, item, certify, cookie, accept, expected):
    certify(item.lot.product)
    full = Client()
    if cookie:
        full.cookies.load(cookie)

    answer = wsgi_get(lean, path_of(item), cookies=cookie, HTTP_ACCEPT_LANGUAGE=accept)
    reference = full.get(path_of(item), HTTP_ACCEPT_LANGUAGE=accept)

    assert f'<html lang="{expected}">' in answer.page
    assert answer["Content-Language"] == reference["Content-Language"] == expected


def test_lean_headers_are_those_of_the_full_stack(client, lean, item, certify):
    certify(item.lot.product)

    answer = wsgi_get(lean, path_of(item), HTTP_X_FORWARDED_PROTO="https")
    full = client.get(path_of(item), HTTP_X_FORWARDED_PROTO="https")

    assert answer["Content-Type"] == "text/html; charset=utf-8"
    assert answer["X-Content-Type-Options"] == "nosniff" and answer["X-Frame-Options"] == "DENY"
    assert answer["Referrer-Policy"] == "same-origin"
    assert answer["Strict-Transport-Security"].startswith("max-age=")
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in answer["Vary"].split(",")}
    assert "no-store" in answer["Cache-Control"] and "private" in answer["Cache-Control"]
    assert answer["X-Request-ID"] and int(answer["Content-Length"]) == len(answer.page.encode())
    for name in (
        "Content-Type",
        "Vary",
        "Cache-Control",
        "X-Frame-Options",
        "Referrer-Policy",
        "Strict-Transport-Security",
        "Cross-Origin-Opener-Policy",
        "Content-Security-Policy",
        "Content-Language",
    ):
        assert answer[name] == full[name], name


def test_plain_http_is_redirected_to_https_when_required(item, settings):
    settings.SECURE_SSL_REDIRECT = True

    answer = wsgi_get(ScanHandler(), path_of(item))

    assert answer.status_code == 301 and answer["Location"] == "https://testserver" + path_of(item)


def test_unknown_host_is_refused(lean, item):
    answer = wsgi_get(lean, path_of(item), HTTP_HOST="evil.example")

    assert answer.status_code == 400


def test_lean_page_carries_no_form_token_and_sets_no_cookie(lean, item, certify):
    certify(item.lot.product)

    answer = wsgi_get(lean, path_of(item))

    assert answer.status_code == 200 and "csrfmiddlewaretoken" not in answer.page
    assert not answer.cookies  # nothing to keep per visitor: the language is a link, the location form needs no token


def language_link(answer, lang: str) -> str:
    return html.unescape(re.search(rf'<a href="([^"]+)" hreflang="{lang}"', answer.page).group(1))


def test_language_link_switches_the_page_and_the_choice_is_remembered(lean, item, certify):
    certify(item.lot.product)
    first = wsgi_get(lean, path_of(item) + "&sp=BMT-AIRPORT", HTTP_ACCEPT_LANGUAGE="vi")
    english = language_link(first, "en")

    switched = wsgi_get(lean, english, HTTP_ACCEPT_LANGUAGE="vi")
    cookie = switched.cookies["django_language"].value
    next_scan = wsgi_get(lean, path_of(item), cookies=f"django_language={cookie}", HTTP_ACCEPT_LANGUAGE="vi")

    assert english.startswith(path_of(item)) and "sp=BMT-AIRPORT" in english  # the code's expiry and point kept
    assert '<html lang="vi">' in first.page
    assert '<html lang="en">' in switched.page and switched["Content-Language"] == "en" and cookie == "en"
    assert '<html lang="en">' in next_scan.page and next_scan["Content-Language"] == "en"
    assert language_link(switched, "vi").endswith("lang=vi") and "lang=en" not in language_link(switched, "vi")


def test_buy_link_goes_on_the_very_next_scan_after_revocation_with_caching_on(
    lean, item, certify, office_user, settings
):
    settings.TRACEABILITY_FRAGMENT_TTL = 3600
    product = item.lot.product
    certify(product)
    assert "Buy online" in wsgi_get(lean, path_of(item)).page

    product.refresh_from_db()
    revoke(product, office_user)

    assert "Buy online" not in wsgi_get(lean, path_of(item)).page


def test_lean_scan_is_queued_for_logging(lean, item, scan_queue):
    import json

    from traceability import services

    wsgi_get(lean, path_of(item) + "&sp=BMT-AIRPORT", HTTP_USER_AGENT="Mozilla/5.0 test")

    queued = [json.loads(x) for x in scan_queue.lrange(services.SCAN_QUEUE_KEY, 0, -1)]
    assert [(q["s"], q["i"], q["sp"], q["ua"]) for q in queued] == [
        (item.serial, item.pk, "BMT-AIRPORT", "Mozilla/5.0 test")
    ]


@pytest.mark.parametrize(
    ("method", "path", "accept", "lean_path"),
    [
        ("GET", "/01/08934602001238/10/L1/21/ABC", "text/html", True),
        ("HEAD", "/q/ABCD", "", True),
        ("GET", "/01/08934602001238/10/L1/21/ABC?linkType=gs1:pip", "", False),
        ("GET", "/01/08934602001238/10/L1/21/ABC", "application/linkset+json", False),
        ("POST", "/q/ABCD", "", False),
        ("GET", "/q/ABCD/more", "", False),
        ("GET", "/catalog/", "", False),
    ],
)
def test_only_visitors_scans_take_the_lean_path(method, path, accept, lean_path):
    path, _, query = path.partition("?")
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "HTTP_ACCEPT": accept}

    assert is_scan_request(environ) is lean_path


def test_resolver_queries_and_other_urls_keep_the_full_stack(lean, item, certify):
    from ocop.wsgi import django_application

    certify(item.lot.product)
    app = dispatch(django_application, lean)

    linkset = wsgi_get(app, path_of(item), HTTP_ACCEPT="application/linkset+json")
    described = wsgi_get(app, "/.well-known/gs1resolver")

    assert linkset["Content-Type"] == "application/linkset+json" and '"linkset"' in linkset.page
    assert described.status_code == 200 and "resolverRoot" in described.page


def test_product_edit_shows_on_the_next_lean_scan_with_caching_on(lean, item, certify, settings):
    settings.TRACEABILITY_PRODUCT_TTL = settings.TRACEABILITY_FRAGMENT_TTL = 3600
    product = item.lot.product
    certify(product)
    wsgi_get(lean, path_of(item))

    product.refresh_from_db()
    product.name_en = "Buon Ma Thuot robusta, new label"
    product.save()

    assert "Buon Ma Thuot robusta, new label" in wsgi_get(lean, path_of(item)).page


def test_revoked_sister_product_leaves_the_list_once_the_short_ttl_passes(
    lean, item, certify, producer, coffee_group, office_user, settings
):
    from catalog.models import Product

    settings.TRACEABILITY_PRODUCT_TTL, settings.TRACEABILITY_FRAGMENT_TTL = 3600, 0  # the list: no caching
    sister = Product.objects.create(
        producer=producer, name_vi="Cà phê hạt rang", name_en="Roasted beans", group=coffee_group
    )
    certify(item.lot.product)
    certify(sister)
    assert "Roasted beans" in wsgi_get(lean, path_of(item)).page

    sister.refresh_from_db()
    revoke(sister, office_user)

    assert "Roasted beans" not in wsgi_get(lean, path_of(item)).page
