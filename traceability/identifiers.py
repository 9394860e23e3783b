"""Identifiers: unguessable serials, GS1 Digital Link and short URIs, and parsing of incoming URIs.

Serials are 80 random bits (``secrets``) written as 16 Crockford base32 characters: short enough for a
label, and inventing a valid one is infeasible (2^80 codes for every issued one). Incoming Digital Link
URIs are parsed with biip, not with expressions of our own.
"""

import dataclasses
import datetime
import secrets
from urllib.parse import quote, urlsplit

from biip import ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI

from ocop.links import public_url

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SERIAL_LENGTH = 16
SERIAL_BITS = 5 * SERIAL_LENGTH
#: The platform's own scheme for products without a GTIN: ``{base}/q/{serial}``.
SHORT_PREFIX = "q"

_NORMALISE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V", "-": None, " ": None})


def new_serial() -> str:
    number = secrets.randbits(SERIAL_BITS)
    chars = []
    for _ in range(SERIAL_LENGTH):
        number, digit = divmod(number, 32)
        chars.append(CROCKFORD[digit])
    return "".join(chars)


def normalise_serial(text: str) -> str:
    """A serial as typed by a person (any case, hyphens, I/L/O mistaken for 1/0) in canonical form."""
    return text.upper().translate(_NORMALISE)


def is_serial(text: str) -> bool:
    return len(text) == SERIAL_LENGTH and all(c in CROCKFORD for c in text)


def display_serial(serial: str) -> str:
    """Grouped by four for people: ``ABCD-EFGH-JKMN-PQRS``."""
    return "-".join(serial[i : i + 4] for i in range(0, len(serial), 4))


def base_url() -> str:
    return public_url()


def item_path(*, gtin: str, lot: str, serial: str, expires_on: datetime.date | None) -> str:
    """The path (and query) of an item's URI, relative to the resolver's root."""
    if gtin:
        path = f"/01/{gtin.zfill(14)}/10/{quote(lot, safe='')}/21/{quote(serial, safe='')}"
        return f"{path}?17={expires_on:%y%m%d}" if expires_on else path
    return f"/{SHORT_PREFIX}/{quote(serial, safe='')}"


def item_uri(*, gtin: str, lot: str, serial: str, expires_on: datetime.date | None) -> str:
    return base_url() + item_path(gtin=gtin, lot=lot, serial=serial, expires_on=expires_on)


def uri_of(item) -> str:
    lot = item.lot
    return item_uri(gtin=lot.product.gtin, lot=lot.number, serial=item.serial, expires_on=lot.expires_on)


@dataclasses.dataclass(frozen=True)
class ItemKey:
    """What an incoming URI names: a serial, and for a Digital Link also the GTIN and lot it claims."""

    serial: str
    gtin: str = ""
    lot: str = ""


def parse_item_uri(uri: str) -> ItemKey | None:
    """Parse a Digital Link URI (any host) or one of our short URIs; None when it names no item."""
    path = urlsplit(uri).path
    parts = [p for p in path.split("/") if p]
    if len(parts) == 2 and parts[0] == SHORT_PREFIX:
        return ItemKey(serial=normalise_serial(parts[1]))
    try:
        link = GS1DigitalLinkURI.parse(uri if "://" in uri else f"https://resolver.invalid{uri}")
    except (ParseError, ValueError):
        return None
    values = {element.ai.ai: element.value for element in link.element_strings}
    gtin_ok = any(e.ai.ai == "01" and e.gtin is not None and not e.gtin_error for e in link.element_strings)
    if not gtin_ok or "21" not in values:
        return None
    return ItemKey(serial=values["21"], gtin=values["01"], lot=values.get("10", ""))
