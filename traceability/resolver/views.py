"""The public resolver: GS1 Digital Link URIs (``/01/…``) and our short URIs (``/q/…``), and its description.

A visitor's GET gets the scan page itself, at the URI (no redirect): see ``DEFAULT_RESPONSE`` for why. A
client asking for a link type (``?linkType=``) gets a 307 redirect to it, or the linkset for ``all`` /
``linkset`` (or ``Accept: application/linkset+json``); an unavailable link type is a 404, never a redirect to
the default link (GS1-Conformant Resolver 1.1). A URI that is not a valid GS1 Digital Link URI is a 400
("not a valid code"), distinct from a valid code we do not know (404, "unknown code").
"""

import json
import uuid
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from catalog.querysets import local_today

from .. import services
from ..identifiers import base_url, display_serial, normalise_serial
from ..querysets import Status, product_record, scan_record
from . import links, page, uris

#: The choice between serving the page at the URI and redirecting to the default link, with the figures it
#: rests on (bench/resolver_redirect.py: headless Chromium, DevTools throttling, fresh context per load, 7 loads
#: of the demo's item URI each, median; measured 01/12/2026 on the development server).
DEFAULT_RESPONSE = (
    "A visitor's GET of a code without linkType is answered with the scan page itself (200): the page is the "
    "gs1:defaultLink target, at the very URI, so a 307 to it would only cost one more round trip before the first "
    "byte, which a tourist on a slow mobile connection feels. Time to the page's load event in headless Chromium: "
    "Slow 3G (2000 ms latency, 400 kbit/s): 2232 ms served at the URI against 4195 ms through a 307 to the default "
    "link; Fast 3G (562.5 ms, 1.6 Mbit/s): 887 ms against 1345 ms (medians of 7 fresh loads each). Clients that ask "
    "for a link type get a 307 to it (?linkType=gs1:pip, gs1:defaultLink, gs1:defaultLinkMulti by Accept-Language, "
    "...), the linkset for ?linkType=linkset or all or Accept: application/linkset+json, and a 404 for a link type "
    "the code does not have."
)


def _options() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = "GET, HEAD, OPTIONS"
    return links.add_cors(response)


#: Longest scan path taken as a code (ours are short; people type hyphens and spaces).
_MAX_SCANNED_PATH = 200
#: Longest text taken as a serial on a short scan URL (ours are 16 characters).
_MAX_SCANNED_SERIAL = 64


def _not_a_code(request):
    """A 400 for a scan URL no label could carry (control characters, a NUL, hundreds of characters): no
    lookup, no scan logged."""
    response = render(
        request,
        "bad_request.html",
        {
            "heading": gettext("This is not a product code"),
            "message": gettext("Check the characters printed under the QR code, or scan the code again."),
        },
        status=400,
    )
    return page.with_security_policy(response)  # the lean path has no CSP middleware


def _unprintable(request) -> bool:
    return len(request.path_info) > _MAX_SCANNED_PATH or not request.path_info.isprintable()


def gs1_item(request, rest: str = ""):
    """``/01/{gtin}[/10/{lot}][/21/{serial}]``: item, lot or product level."""
    if request.method == "OPTIONS":  # a CORS preflight: never the page, never logged as a scan
        return _options()
    if _unprintable(request):
        return _not_a_code(request)
    query = request.META.get("QUERY_STRING", "")
    try:
        link = uris.parse(request.path_info, query)
    except uris.InvalidLink as exc:
        return _invalid(request, exc, code=request.path_info.removeprefix("/01/"))
    if unquote(link.path) != request.path_info.removesuffix("/"):
        # 8/12/13-digit GTIN or qualifiers out of order: the canonical URI, the query string passed on
        response = HttpResponseRedirect(link.path + (f"?{query}" if query else ""), status=301)
        response["Link"] = links.link_header(base_url() + link.path)
        return links.add_cors(response)
    today = local_today()
    if link.serial:
        record = scan_record(link.serial, today) if len(link.serial) <= 20 else None
        if record is not None and (record.gtin.zfill(14) != link.gtin or (link.lot and record.lot_number != link.lot)):
            record = None  # a real serial on the wrong product or lot is a copied code
        code = link.serial
    else:
        record = product_record(link.gtin, link.lot, today)
        code = link.lot or link.gtin
    return _answer(request, record, level=link.level, path=link.path, code=code, logged=link.path[1:], link=link)


def short_item(request, serial: str):
    """``/q/{serial}``: the platform's own short URI of an item of a product without a GTIN."""
    if request.method == "OPTIONS":
        return _options()
    if _unprintable(request) or len(serial) > _MAX_SCANNED_SERIAL:
        return _not_a_code(request)
    serial = normalise_serial(serial)
    record = scan_record(serial, local_today()) if 0 < len(serial) <= 20 else None
    return _answer(request, record, level="item", path=request.path_info.removesuffix("/"), code=serial, logged=serial)


def _wanted(request) -> str | None:
    if "linkType" in request.META.get("QUERY_STRING", "") and "linkType" in request.GET:
        return links.wanted_link_type(request.GET["linkType"])
    if links.LINKSET in request.META.get("HTTP_ACCEPT", ""):
        return "linkset"
    return None


def _answer(request, record, *, level: str, path: str, code: str, logged: str, link=None):
    wanted = _wanted(request)
    if wanted is not None:
        return links.add_cors(_resolver_answer(request, record, wanted, level=level, path=path))
    if record is not None and record.item_id is not None:
        code = display_serial(record.serial)
    ref = uuid.uuid4().hex
    if request.method == "GET":  # HEAD (link checkers, the resolver test suite) is not a visitor's scan
        services.queue_scan(
            serial=logged if record is None or record.item_id is None else record.serial,
            item_id=record.item_id if record else None,
            sales_point=request.GET.get("sp", ""),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            ref=ref,
        )
    lang = request.GET.get("lang")
    chosen = lang if lang in links.LANGUAGES else None
    if chosen:  # the page's language links (and the resolver's defaultLinkMulti): remembered as Django's switch does
        with translation.override(chosen):
            response = page.render(request, record, level=level, ref=ref, code=code, link=link)
        _remember_language(request, response, chosen)
    else:
        response = page.render(request, record, level=level, ref=ref, code=code, link=link)
    if record is not None:
        response["Link"] = links.link_header(base_url() + path)
    return links.add_cors(response)


def _remember_language(request, response, lang: str) -> None:
    """``?lang=`` chose the page's language: say so, and keep the choice in the cookie ``set_language`` sets."""
    response.headers["Content-Language"] = lang
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != lang:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            lang,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )


def _description(record, level: str) -> str:
    lang = translation.get_language()
    text = f"{record.product_name(lang)} — {record.producer_name}"
    if level == "item" and record.serial:
        return text + " — " + gettext("serial %(serial)s") % {"serial": record.serial}
    if record.lot_number:
        return text + " — " + gettext("lot %(lot)s") % {"lot": record.lot_number}
    return text


def _resolver_answer(request, record, wanted: str, *, level: str, path: str):
    if record is None:
        return JsonResponse({"error": "unknown_code", "message": str(Status.LABELS[Status.UNKNOWN])}, status=404)
    anchor = base_url() + path
    offered = links.links_for(record, path, listable=record.status == Status.GENUINE)
    if wanted == "linkset":
        response = HttpResponse(
            json.dumps(links.linkset(anchor, _description(record, level), offered), ensure_ascii=False),
            content_type=links.LINKSET,
        )
    else:
        chosen = links.choose(offered, wanted, request.headers.get("Accept-Language", ""))
        if chosen is None:  # an unavailable link type is not found, never the default link instead
            response = JsonResponse(
                {
                    "error": "link_type_not_found",
                    "message": gettext("This code has no link of type %(type)s.") % {"type": wanted},
                    "linkset": f"{anchor}?linkType=linkset",
                },
                status=404,
            )
        else:
            response = HttpResponseRedirect(
                links.with_query(chosen.href, request.META.get("QUERY_STRING", "")), status=307
            )
    response["Link"] = links.link_header(anchor)
    response["Vary"] = "Accept, Accept-Language"
    return response


def _invalid(request, exc: uris.InvalidLink, *, code: str):
    """A URI that is not a valid GS1 Digital Link URI: 400, "not a valid code" (not "unknown code")."""
    message = gettext(
        "This is not a valid code: it was misprinted, misread or made up. Scan it again or type "
        "the code printed under it."
    )
    if _wanted(request) is not None or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse(
            {"error": "invalid_code", "reason": exc.code, "message": message, "detail": exc.detail}, status=400
        )
    else:
        ref = uuid.uuid4().hex
        if request.method == "GET":
            services.queue_scan(
                serial=code[:64],
                item_id=None,
                sales_point=request.GET.get("sp", ""),
                user_agent=request.headers.get("User-Agent", ""),
                ref=ref,
            )
        response = page.render(request, None, level="item", ref=ref, code=code, status_code=400)
    return links.add_cors(response)


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def resolver_description(request):
    """``/.well-known/gs1resolver``, the resolver description file of GS1-Conformant Resolver 1.1."""
    if request.method == "OPTIONS":
        return _options()
    return links.add_cors(
        JsonResponse(
            {
                "name": "OCOP Đắk Lắk traceability resolver",
                "resolverRoot": base_url(),
                "supportedPrimaryKeys": ["01"],
                "supportedLinkType": [{"namespace": links.VOC, "prefix": "gs1:"}],
                "activeLinkTypes": [f"gs1:{kind}" for kind in links.LINK_TYPES],
                "linkTypeDefaultCanBeLinkset": False,
                "linkTypeDefaultCanBeAll": False,
                "supportedLanguages": list(links.LANGUAGES),
                "jsonLdContextLocation": links.CONTEXT,
                "defaultResponse": DEFAULT_RESPONSE,
                "shortUriPattern": f"{base_url()}/q/{{serial}}",
                "uriPatterns": {
                    level: base_url() + pattern
                    for level, pattern in (
                        ("product", "/01/{gtin}"),
                        ("lot", "/01/{gtin}/10/{lot}"),
                        ("item", "/01/{gtin}/10/{lot}/21/{serial}"),
                    )
                },
            },
            json_dumps_params={"ensure_ascii": False},
        )
    )
