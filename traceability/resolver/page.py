"""The scan page: the product, the producer, the live certificate status and, by level, the item or lot.

The page is cached per product, level, lot, live status and language, with the per-request values (code,
scan ref, language links, …) spliced in at markers. The status and the certificate are read from the database on
every request (``querysets``) and are part of the cache key, so a registry change selects another entry at
once; the TTLs only bound the staleness of descriptive parts (names, other products, sales points).
"""

import functools
import html
import json
import re
import time

from csp.constants import HEADER as CSP_HEADER
from csp.constants import HEADER_REPORT_ONLY as CSP_HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from catalog.models import Producer, Product
from catalog.programme.querysets import meet_the_producer, tours_of
from catalog.querysets import local_today

from .. import epcis, sales_points, services, where_to_buy
from ..querysets import Status
from .caching import cached
from .links import _store_path


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
        return render_to_string(
            "traceability/_product.html",
            {
                "product": product,
                "lang": lang,
                "name": product.name_en if lang == "en" and product.name_en else product.name_vi,
                "producer": product.producer,
                "store_url": _store_path(product.pk) if product.is_listable() else None,
            },
        )

    def bottom() -> str:
        product = Product(pk=record.product_id, producer_id=record.producer_id)
        others = (
            Product.objects.listable()
            .filter(producer_id=record.producer_id)
            .exclude(pk=product.pk)
            .only("pk", "name_vi", "name_en")[:6]
        )
        return render_to_string(
            "traceability/_links.html",
            {
                "others": [
                    (p, _store_path(p.pk), p.name_en if lang == "en" and p.name_en else p.name_vi) for p in others
                ],
                "sales_points": where_to_buy.sales_points_stocking(product),
                "meet": meet_the_producer(product),
                "tours": tours_of(product.producer_id),
            },
        )

    ttl = getattr(settings, "TRACEABILITY_PRODUCT_TTL", 60.0)
    return (
        cached(
            ("top", record.product_id, record.product_version, record.producer_version, record.status, lang), ttl, top
        ),
        cached(
            (
                "bottom",
                record.product_id,
                record.producer_id,
                record.status,
                lang,
                record.registry_version,
                local_today(),
            ),
            ttl,
            bottom,
        ),
    )


# Per-request values are spliced into a cached page at these markers (control characters never escaped
# by templates and never present in our data). The page is kept cut at its markers: text, marker name, text, …
_CODE, _REF, _NEXT, _VI, _EN, _HISTORY, _CODE_EXPIRY = (
    f"\x1a{name}\x1a" for name in ("S", "R", "N", "V", "E", "H", "X")
)
_MARKER = re.compile("\x1a([A-Z])\x1a")
#: ``add_never_cache_headers``'s answer, written once: the page is private (scan ref) and the status must be fresh.
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def render(request, record, *, level: str, ref: str, code: str, link=None, status_code: int | None = None):
    """The scan page of ``record`` (None: the code is unknown, or invalid if ``status_code`` is 400).

    ``level``: ``item``, ``lot`` or ``product`` — what the URI names. ``code``: what to show as the scanned
    code (the serial, or the lot number the URI names when the producer never registered it). ``link``: the
    parsed Digital Link URI, for the expiry date it carries (``?17=``, shown, never used as a key).
    """
    status = record.status if record is not None else Status.INVALID if status_code == 400 else Status.UNKNOWN
    lang = translation.get_language()
    lot_missing = record is not None and level != "product" and record.lot_id is None
    key = ("none", status, lang)  # an unknown or invalid code: the same warning whatever the code
    if record is not None:
        key = (
            level,
            lot_missing,
            record.product_id,
            record.product_version,
            record.producer_version,
            record.lot_id,
            status,
            record.certificate,
            lang,
        )

    def render_page() -> str:
        fragment = _product_fragment(record) if record else ("", "")
        return render_to_string(
            "traceability/scan.html",
            {
                "status": status,
                "status_label": Status.LABELS[status],
                "record": record,
                "level": level,
                "lot_missing": lot_missing,
                "serial": _CODE,
                "certificate": record.certificate if record else None,
                "product_html": mark_safe(fragment[0]),  # noqa: S308 - rendered from our template
                "links_html": mark_safe(fragment[1]),  # noqa: S308 - rendered from our template
                "history_html": _HISTORY,
                "code_expiry_html": _CODE_EXPIRY,
                "ref": _REF,
                "next_path": _NEXT,
                "vi_path": _VI,
                "en_path": _EN,
                "LANGUAGE_CODE": lang,
            },
        )

    parts = cached(key, getattr(settings, "TRACEABILITY_FRAGMENT_TTL", 1.0), lambda: _MARKER.split(render_page()))
    full_path = request.get_full_path()
    path, _, query = full_path.partition("?")
    values = {
        "S": html.escape(code[:32]),
        "R": ref,
        "N": html.escape(full_path),
        "V": html.escape(in_language(path, query, "vi")),
        "E": html.escape(in_language(path, query, "en")),
        "H": _history_html(record) if record else "",
        "X": _code_expiry_html(record, link),
    }
    page = parts[:]
    for at in range(1, len(page), 2):
        page[at] = values[page[at]]
    response = HttpResponse("".join(page), status=status_code or (200 if record else 404))
    response.headers["Expires"] = _http_now()
    response.headers["Cache-Control"] = NEVER_CACHE
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"  # the language cookie (``?lang=``)
    return with_security_policy(response)


def with_security_policy(response):
    for name, value in security_policy().items():
        response.headers[name] = value
    return response


@functools.cache
def security_policy() -> dict[str, str]:
    """The Content-Security-Policy headers django-csp's middleware writes (it keeps headers already set), built
    from the settings once instead of on every scan (the page has no per-response policy and no nonce)."""
    headers = {CSP_HEADER: build_policy(), CSP_HEADER_REPORT_ONLY: build_policy(report_only=True)}
    return {name: value for name, value in headers.items() if value}


@receiver(setting_changed)
def _policy_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        security_policy.cache_clear()


_now: tuple[int, str] = (0, "")


def _http_now() -> str:
    """``http_date()``, formatted once a second."""
    global _now
    second = int(time.time())
    if _now[0] != second:
        _now = (second, http_date(second))
    return _now[1]


def in_language(path: str, query: str, lang: str) -> str:
    """The scanned URI asking for the page in ``lang`` (``?lang=``, its other parameters kept)."""
    kept = "&".join(part for part in query.split("&") if part and not part.startswith("lang="))
    return f"{path}?{kept}&lang={lang}" if kept else f"{path}?lang={lang}"


def _code_expiry_html(record, link) -> str:
    """The expiry date the code carries (AI 17), when it says something the lot's own date does not."""
    expiry = getattr(link, "expiry", None)
    if record is None or expiry is None or (record.lot_id is not None and record.expires_on == expiry):
        return ""
    return format_html(
        "<dt>{}</dt><dd data-code-expiry>{}</dd>", gettext("Expiry date (in the code)"), expiry.strftime("%d/%m/%Y")
    )


def _history_html(record) -> str:
    if not record.last_events_json:
        return ""
    # Items issued in one batch share their commissioning event: the rendered steps repeat a lot. Names of places
    # are looked up on a miss only, and again when the registry changes (its version is part of the key).
    return _render_history(record.last_events_json, translation.get_language(), record.registry_version)


def _sentence(direction: str, biz_step: str) -> str:
    """What a step says: back (where it came from into its current custody), forward (where it went)."""
    return {
        ("back", "commissioning"): gettext("Labelled by %(where)s, %(date)s"),
        ("back", "shipping"): gettext("Shipped from %(where)s, %(date)s"),
        ("back", "receiving"): gettext("Received at %(where)s, %(date)s"),
        ("back", "retail_selling"): gettext("Sold at %(where)s, %(date)s"),
        ("forward", "shipping"): gettext("On its way to %(where)s, shipped %(date)s"),
        ("forward", "receiving"): gettext("Received at %(where)s, %(date)s"),
        ("forward", "retail_selling"): gettext("Sold at %(where)s, %(date)s"),
    }.get((direction, biz_step), gettext("%(where)s, %(date)s"))


def place_names(locations: set[str]) -> dict[str, str]:
    """Names of the places and parties EPCIS events name by URN: producers and sales points (two queries at
    most). A URN we cannot name is shown as "another party", never as the URN."""
    producer_ids = {
        int(urn.rsplit(":", 1)[1])
        for urn in locations
        if urn.startswith(epcis.producer_location("")) and urn.rsplit(":", 1)[1].isdigit()
    }
    point_codes = {
        urn.removeprefix(epcis.sales_point_location(""))
        for urn in locations
        if urn.startswith(epcis.sales_point_location(""))
    }
    names = (
        {
            epcis.producer_location(pk): name
            for pk, name in Producer.objects.filter(pk__in=producer_ids).values_list("pk", "name")
        }
        if producer_ids
        else {}
    )
    if point_codes:
        names |= {
            epcis.sales_point_location(code): name for code, name in sales_points.directory().names(point_codes).items()
        }
    return names


@functools.lru_cache(maxsize=4096)
def _render_history(last_events_json: str, lang: str, registry_version: str) -> str:
    steps = services.history_steps(json.loads(last_events_json))
    names = place_names({step["where"] for step in steps.values() if step and step["where"]})
    rows = []
    for direction, label in (("back", gettext("One step back")), ("forward", gettext("One step forward"))):
        step = steps[direction]
        if step:
            where = names.get(step["where"]) or gettext("another party")
            when = date_format(timezone.localtime(step["at"]), "d/m/Y") if step["at"] else ""
            rows.append(
                format_html(
                    "<dt>{}</dt><dd data-step-{}>{}</dd>",
                    label,
                    direction,
                    _sentence(direction, step["biz_step"]) % {"where": where, "date": when},
                )
            )
    steps_html = mark_safe("".join(rows))  # noqa: S308 - each row built by format_html
    return format_html(
        '<section id="history"><h2>{}</h2><dl>{}</dl></section>', gettext("Where it has been"), steps_html
    )
