"""The links the resolver offers for a code, their linkset (RFC 9264) and the headers of every answer.

GS1-Conformant Resolver 1.1 (ref.gs1.org/standards/resolver):

- link types are in the GS1 Web Vocabulary's current namespace ``https://ref.gs1.org/voc/``; requests
  may name them as ``gs1:pip``, by the full URI or by the older ``https://gs1.org/voc/`` one;
- every level the resolver serves (item with a serial, lot, product) has its own linkset: one
  ``gs1:defaultLink`` and, since the page comes in two languages, ``gs1:defaultLinkMulti`` with one link per
  language (``hreflang``), chosen by ``Accept-Language`` when asked for (language negotiation);
- the linkset's ``anchor`` is the request URI without its query string, and ``itemDescription`` names the
  item (GS1's linkset JSON schema, which every linkset SHALL validate against);
- every answer carries ``Link: <…?linkType=linkset>; rel="linkset"`` and the JSON-LD context of linksets,
  and CORS headers allowing any origin GET, HEAD and OPTIONS with ``Link`` and ``Location`` exposed
  ("SHALL support CORS").
"""

import dataclasses
from urllib.parse import parse_qsl, urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation.trans_real import parse_accept_lang_header

from ..identifiers import base_url

VOC = "https://ref.gs1.org/voc/"
#: Older spellings of the vocabulary's namespace, still accepted in ``?linkType=``.
OLD_VOCS = ("https://gs1.org/voc/", "http://gs1.org/voc/", "https://www.gs1.org/voc/", "http://www.gs1.org/voc/")
LINKSET = "application/linkset+json"
CONTEXT = "https://ref.gs1.org/standards/resolver/linkset-context"
JSON_LD_CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
LANGUAGES = ("vi", "en")
#: The link types this resolver may offer (not every level has every one).
LINK_TYPES = ("defaultLink", "defaultLinkMulti", "pip", "certificationInfo", "traceability", "epcis")
#: ``linkType`` values asking for the whole linkset.
ALL = ("all", "linkset")

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language",
    "Access-Control-Expose-Headers": "Link, Location, Content-Type",
}


@dataclasses.dataclass(frozen=True)
class Link:
    rel: str
    href: str
    title: str
    type: str = "text/html"
    hreflang: tuple[str, ...] = LANGUAGES

    def as_json(self) -> dict:
        return {"href": self.href, "title": self.title, "type": self.type, "hreflang": list(self.hreflang)}


def wanted_link_type(value: str) -> str:
    """``gs1:pip``, ``https://ref.gs1.org/voc/pip`` or ``https://gs1.org/voc/pip`` → ``pip``; ``all`` and
    ``linkset`` (or their vocabulary forms) → ``linkset``."""
    value = value.strip()
    for prefix in (VOC, *OLD_VOCS, "gs1:"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
            break
    return "linkset" if value in ALL else value


def _store_path(product_id: int) -> str | None:
    try:
        return reverse("storefront:product", args=[product_id])
    except NoReverseMatch:
        return None


def links_for(record, path: str, *, listable: bool) -> list[Link]:
    """The links of the code at ``path`` (canonical, relative to the resolver's root), in the reader's
    language. ``record`` is the ``querysets.ScanRecord`` of the code."""
    page = base_url() + path
    store = _store_path(record.product_id) if listable else None
    links = [
        Link("defaultLink", page, gettext("OCOP product verification")),
        *(
            Link(
                "defaultLinkMulti",
                f"{page}?lang={lang}",
                gettext("OCOP product verification") + f" ({lang})",
                hreflang=(lang,),
            )
            for lang in LANGUAGES
        ),
        Link("pip", base_url() + store if store else f"{page}#product", gettext("Product information")),
        Link("certificationInfo", f"{page}#certificate", gettext("OCOP certificate")),
    ]
    if record.item_id is not None:
        links += [
            Link("traceability", f"{page}#history", gettext("Where it has been")),
            Link(
                "epcis",
                base_url() + reverse("traceability:epcis_events") + f"?item={record.serial}",
                gettext("EPCIS events"),
                type="application/ld+json",
                hreflang=(),
            ),
        ]
    return links


def choose(links: list[Link], rel: str, accept_language: str) -> Link | None:
    """The link of type ``rel``; among several (language variants), the one in the language the reader
    prefers (``Accept-Language``), else the first."""
    candidates = [link for link in links if link.rel == rel]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    for lang, _quality in parse_accept_lang_header(accept_language[:255]):
        primary = lang.split("-")[0].lower()
        for link in candidates:
            if primary in link.hreflang:
                return link
    return candidates[0]


def with_query(href: str, query: str) -> str:
    """``href`` with the request's query string passed on (before any fragment), ``linkType`` left out."""
    passed = [(key, value) for key, value in parse_qsl(query, keep_blank_values=True) if key != "linkType"]
    if not passed:
        return href
    target, hash_, fragment = href.partition("#")
    return f"{target}{'&' if '?' in target else '?'}{urlencode(passed)}{hash_}{fragment}"


def linkset(anchor: str, description: str, links: list[Link]) -> dict:
    entry: dict = {"anchor": anchor, "itemDescription": description}
    for link in links:
        entry.setdefault(VOC + link.rel, []).append(link.as_json())
    return {"linkset": [entry]}


def link_header(anchor: str) -> str:
    return (
        f'<{anchor}?linkType=linkset>; rel="linkset"; type="{LINKSET}", '
        f'<{CONTEXT}>; rel="{JSON_LD_CONTEXT_REL}"; type="application/ld+json"'
    )


def add_cors(response):
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response
