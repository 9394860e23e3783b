"""The public scan page (``/01/…``, ``/q/…``): the live status read on every scan, the rendered parts from
``caching``; a request for a link type or a linkset is answered by ``resolver``."""

import functools
import json
import uuid

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from catalog.models import Product
from catalog.programme.querysets import meet_the_producer, tours_of
from catalog.querysets import local_today
from traceability import services, where_to_buy
from traceability.identifiers import ItemKey, display_serial, normalise_serial, parse_item_uri
from traceability.querysets import Status, scan_record

from .caching import cached
from .resolver import _resolver_answer, _store_url, _wanted_link_type


def gs1_item(request, rest: str):
    key = parse_item_uri(request.path)
    if key is None:
        key = ItemKey(serial="", gtin="-")
    return _resolve(request, serial=key.serial, gtin=key.gtin, lot=key.lot)


def short_item(request, serial: str):
    return _resolve(request, serial=normalise_serial(serial))


def _resolve(request, *, serial: str, gtin: str = "", lot: str = ""):
    today = local_today()
    record = scan_record(serial, today) if 0 < len(serial) <= 20 else None
    if record is not None and gtin and (record.gtin.zfill(14) != gtin or (lot and record.lot_number != lot)):
        record = None  # a real serial on the wrong product or lot is a copied code
    link_type = _wanted_link_type(request)
    if link_type is not None:
        return _resolver_answer(request, record, link_type)
    ref = uuid.uuid4().hex
    services.queue_scan(
        serial=serial, item_id=record.item_id if record else None, sales_point=request.GET.get("sp", ""),
        user_agent=request.headers.get("User-Agent", ""), ref=ref,
    )
    return _scan_page(request, record, today=today, ref=ref, serial=serial)


def _product_fragment(record) -> tuple[str, str]:
    """The descriptive product part (top: the product; bottom: where to buy it, other products), cached
    in-process and keyed by the live status (the "buy online" link is shown only for a listable product).

    The top is keyed by the product's and producer's versions, the bottom (the producer's other listable
    products, the sales points stocking it) by the registry version (every certificate, assortment or listing
    change records an outbox event) and the date (expiry). Both are kept ``TRACEABILITY_PRODUCT_TTL``, which
    bounds only edits of reference data such as names.
    The live status and the certificate never come from here: they are read on every request.
    """
    lang = translation.get_language()

    def top() -> str:
        product = Product.objects.select_related("producer__commune", "group").get(pk=record.product_id)
        return render_to_string("traceability/_product.html", {
            "product": product,
            "lang": lang,
            "name": product.name_en if lang == "en" and product.name_en else product.name_vi,
            "producer": product.producer,
            "store_url": _store_url(product.pk) if product.is_listable() else None,
        })

    def bottom() -> str:
        product = Product(pk=record.product_id, producer_id=record.producer_id)
        others = (Product.objects.listable().filter(producer_id=record.producer_id).exclude(pk=product.pk)
                  .only("pk", "name_vi", "name_en")[:6])
        return render_to_string("traceability/_links.html", {
            "others": [(p, _store_url(p.pk), p.name_en if lang == "en" and p.name_en else p.name_vi) for p in others],
            "sales_points": _sales_points(product),
            "meet": meet_the_producer(product),
            "tours": tours_of(product.producer_id),
        })

    return (
        cached(("top", record.product_id, record.product_version, record.producer_version, record.status, lang),
                getattr(settings, "TRACEABILITY_PRODUCT_TTL", 60.0), top),
        cached(("bottom", record.product_id, record.producer_id, record.status, lang, record.registry_version,
                 local_today()),
                getattr(settings, "TRACEABILITY_PRODUCT_TTL", 60.0), bottom),
    )


def _sales_points(product) -> list:
    return where_to_buy.sales_points_stocking(product)


# Per-request values are spliced into a cached page at these markers (control characters never escaped
# by templates and never present in our data).
_SERIAL, _REF, _CSRF, _NEXT, _HISTORY = (f"\x1a{name}\x1a" for name in ("S", "R", "C", "N", "H"))


def _scan_page(request, record, *, today, ref: str, serial: str):
    """The scan page: cached per product, lot, live status and language, with the item's fields spliced in.

    The cache key holds the status and the certificate as read from the database on this request, so a
    registry change selects another entry at once; the TTL (about a second) only bounds the staleness of
    the descriptive parts (other products, sales points).
    """
    status = record.status if record else Status.UNKNOWN
    lang = translation.get_language()
    key = None
    if record is not None:
        key = (record.product_id, record.product_version, record.producer_version, record.lot_id, status,
               record.certificate, lang)
    def render_page() -> str:
        fragment = _product_fragment(record) if record else ("", "")
        return render_to_string("traceability/scan.html", {
            "status": status,
            "status_label": Status.LABELS[status],
            "record": record,
            "serial": _SERIAL,
            "certificate": record.certificate if record else None,
            "product_html": mark_safe(fragment[0]),  # noqa: S308 - rendered from our template
            "links_html": mark_safe(fragment[1]),  # noqa: S308 - rendered from our template
            "history_html": _HISTORY,
            "ref": _REF,
            "csrf_token": _CSRF,
            "next_path": _NEXT,
            "LANGUAGE_CODE": lang,
        })

    page = cached(key, getattr(settings, "TRACEABILITY_FRAGMENT_TTL", 1.0), render_page) if key else render_page()
    shown = display_serial(record.serial) if record else serial[:32]
    page = (
        page.replace(_SERIAL, escape(shown))
        .replace(_REF, ref)
        .replace(_CSRF, get_token(request))
        .replace(_NEXT, escape(request.get_full_path()))
        .replace(_HISTORY, _history_html(record) if record else "")
    )
    response = HttpResponse(page, status=200 if record else 404)
    add_never_cache_headers(response)  # private (CSRF token, scan ref), and the status must be fresh
    response["Vary"] = "Accept, Accept-Language, Cookie"
    return response


def _history_html(record) -> str:
    if not record.last_events:
        return ""
    # Items issued in one batch share their commissioning event: the rendered steps repeat a lot.
    return _render_history(json.dumps(record.last_events), translation.get_language())


@functools.lru_cache(maxsize=4096)
def _render_history(last_events_json: str, lang: str) -> str:
    steps = services.history_steps(json.loads(last_events_json))
    rows = []
    for attribute, label in (("back", gettext("One step back")), ("forward", gettext("One step forward"))):
        step = steps[attribute]
        if step:
            rows.append(format_html(
                "<dt>{}</dt><dd data-step-{}>{} — {} ({})</dd>", label, attribute, step["label"], step["where"],
                date_format(timezone.localtime(step["at"]), "d/m/Y H:i") if step["at"] else "",
            ))
    return format_html('<section id="history"><h2>{}</h2><dl>{}</dl></section>',
                       gettext("Where it has been"), mark_safe("".join(rows)))  # noqa: S308 - format_html parts


@require_POST
def scan_location(request):
    """The visitor agreed (on the page, through the browser's prompt) to share an approximate location."""
    services.record_location(ref=request.POST.get("ref", ""), latitude=request.POST.get("lat"),
                             longitude=request.POST.get("lon"))
    return HttpResponse(status=204)


