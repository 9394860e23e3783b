"""Incoming GS1 Digital Link URIs: syntax checked by biip, then the canonical form and what they name.

GS1 Digital Link URI Syntax 1.2+ (URI syntax; canonical GS1 Digital Link URIs):

- the primary key is a GTIN (AI 01) of 8, 12, 13 or 14 digits, written canonically as 14 digits
  (``/01/8934602001238`` and ``/01/08934602001238`` name the same product);
- its key qualifiers follow in the fixed order CPV (22), batch/lot (10), serial (21) — biip refuses any other
  order; qualifiers in another order name the same thing, so they are put in order and redirected;
- data attributes go in the query string (``?17=`` the expiry date): they are never part of the key;
- a wrong check digit, an unknown AI, an odd number of path segments, an empty value are syntax errors
  (GS1-Conformant Resolver 1.1: "SHALL extract and syntactically validate the URI and report errors with an
  HTTP response code of 400").

biip reports a wrong GTIN check digit as ``gtin_error`` instead of raising, and refuses a trailing slash
(the resolver standard asks a resolver to tolerate one): both are handled here.

Every item URI has its own serial, so remembering whole URIs does not help there; what repeats is the
product and lot part (``/01/…/10/…`` and the ``?17=`` expiry, the same on every label of a lot). An item URI in
canonical order is parsed as that remembered part plus the serial, checked against biip's own pattern of AI 21.
"""

import dataclasses
import datetime
import functools
import re
from urllib.parse import quote

from biip import ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_digital_link_uris import GS1DigitalLinkURI

#: The key qualifiers of a GTIN, in the order the syntax requires (22 CPV, 10 lot, 21 serial; 235 TPX is the
#: alternative to 21).
QUALIFIER_ORDER = ("22", "10", "21", "235")
GTIN_LENGTHS = (8, 12, 13, 14)
#: Longest path we look at (an AI 01 path with every qualifier at its longest is far shorter).
MAX_PATH = 200


class InvalidLink(ValueError):
    """The URI is not a valid GS1 Digital Link URI (answered with 400)."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclasses.dataclass(frozen=True)
class DigitalLink:
    gtin: str
    lot: str = ""
    serial: str = ""
    #: AI 17 of the query string (a data attribute: shown, never used to find the item).
    expiry: datetime.date | None = None
    #: The canonical path: 14-digit GTIN, qualifiers in order, percent-encoded.
    path: str = ""

    @property
    def level(self) -> str:
        return "item" if self.serial else "lot" if self.lot else "product"


def canonical_path(*, gtin: str, cpv: str = "", lot: str = "", serial: str = "") -> str:
    parts = [("01", gtin.zfill(14)), ("22", cpv), ("10", lot), ("21", serial)]
    return "".join(f"/{ai}/{quote(value, safe='')}" for ai, value in parts if value)


def _in_order(segments: list[str]) -> list[str] | None:
    """The path segments with the qualifiers put in the required order, or None if they are not a GTIN and
    known qualifiers, each once."""
    if len(segments) % 2:
        return None
    pairs = list(zip(segments[::2], segments[1::2], strict=True))
    keys = [ai for ai, _value in pairs]
    if keys.count("01") != 1 or len(set(keys)) != len(keys) or not set(keys) <= {"01", *QUALIFIER_ORDER}:
        return None
    ordered = sorted(pairs, key=lambda pair: -1 if pair[0] == "01" else QUALIFIER_ORDER.index(pair[0]))
    return [part for pair in ordered for part in pair]


#: What biip accepts as an AI 21 element string (``21`` and the serial).
_SERIAL_ELEMENT = re.compile(GS1ApplicationIdentifier.extract("21").pattern)


def parse(path: str, query: str = "") -> DigitalLink:
    """``_parse``, remembered for the most recent short URIs: a product's or a lot's code is printed on every
    package, so the same few URIs come again and again (an invalid one raises again each time). An item URI
    ``/01/{gtin}[/10/{lot}]/21/{serial}`` is the remembered URI of its lot plus a serial biip's pattern accepts:
    what ``_parse`` would answer, without parsing the lot part again for every serial."""
    if len(query) > MAX_PATH:
        return _parse(path, query)
    head, marker, serial = path.rpartition("/21/")
    segments = head.split("/")[1:] + ["21", serial]
    if (
        marker
        and "21=" not in query
        and _in_order(segments) == segments  # /01/…, each qualifier once, in order, the serial last
        and quote(serial, safe="") == serial  # nothing percent-encoded: the canonical path keeps it as it is
        and _SERIAL_ELEMENT.match("21" + serial)
    ):
        lot_level = _remembered(head, query)
        return dataclasses.replace(lot_level, serial=serial, path=f"{lot_level.path}/21/{serial}")
    return _remembered(path, query)


def _parse(path: str, query: str) -> DigitalLink:
    """Parse the path (``/01/…``, percent-decoded as the server gives it) and query string of a request.

    Raises ``InvalidLink`` with a code: ``check_digit`` (a wrong GTIN check digit), ``gtin_length`` or
    ``syntax`` (anything else the standard does not allow).
    """
    if len(path) > MAX_PATH:
        raise InvalidLink("syntax", "The URI is too long.")
    segments = path.removesuffix("/").split("/")[1:]
    if not segments or segments[0] != "01" or "" in segments:
        raise InvalidLink("syntax", "A GS1 Digital Link URI here is /01/{GTIN} with optional /10/{lot}/21/{serial}.")
    if len(segments) > 1 and (not segments[1].isdigit() or len(segments[1]) not in GTIN_LENGTHS):
        raise InvalidLink("gtin_length", "A GTIN has 8, 12, 13 or 14 digits.")
    ordered = _in_order(segments) or segments
    uri = "https://resolver.invalid/" + "/".join(quote(s, safe="") for s in ordered)
    try:
        link = GS1DigitalLinkURI.parse(f"{uri}?{query}" if query else uri)
    except (ParseError, ValueError) as exc:
        raise InvalidLink("syntax", str(exc)) from exc
    values, expiry = {}, None
    for element in link.element_strings:
        if element.ai.ai == "01" and (element.gtin is None or element.gtin_error):
            raise InvalidLink("check_digit", element.gtin_error or "Not a GTIN.")
        if element.ai.ai == "17":
            expiry = element.date
        values.setdefault(element.ai.ai, element.value)
    return DigitalLink(
        gtin=values["01"],
        lot=values.get("10", ""),
        serial=values.get("21", ""),
        expiry=expiry,
        path=canonical_path(
            gtin=values["01"], cpv=values.get("22", ""), lot=values.get("10", ""), serial=values.get("21", "")
        ),
    )


_remembered = functools.lru_cache(maxsize=4096)(_parse)
