"""Read side of traceability: the scan page's one-query lookup and its live status.

The lookup is one raw SQL statement (item → lot → product → producer → current certificate → its
decisions; for a product- or lot-level URI, product by GTIN → the lot named → the same): the scan page
is the hottest route of the platform. The status is decided from that row on every request through
catalog's own rules (``Product.is_listable``, ``Certificate.state_on``), so a
change in the registry is visible on the very next scan; only the descriptive product part is cached.
"""

import dataclasses
import datetime
import functools

import psycopg
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_lazy as _

from catalog.models import Certificate, Product


class Status:
    GENUINE = "genuine"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_CERTIFIED = "not_certified"
    UNKNOWN = "unknown"
    #: Not a valid GS1 Digital Link URI at all (a wrong check digit, a malformed path).
    INVALID = "invalid"

    # A tourist reads the first words: only a valid certificate may begin with "Genuine". The others say what
    # is true first (no longer certified); the page adds that the code was issued by the producer.
    LABELS = {
        GENUINE: _("Genuine OCOP product — certificate valid"),
        EXPIRED: _("No longer OCOP-certified — the certificate has expired"),
        REVOKED: _("No longer OCOP-certified — the certificate was revoked"),
        NOT_CERTIFIED: _("Not OCOP-certified"),
        UNKNOWN: _("Unknown code — this product may not be genuine"),
        INVALID: _("This is not a valid code"),
    }


_COLUMNS = """
SELECT i.id, i.serial, l.id, l.number, l.produced_on, l.expires_on, oc.name, oc.province,
       -- versions (cache keys only) and the events as text: nothing to convert on every scan
       p.id, p.gtin, p.updated_at::text, p.certified_stars, p.certified_until, p.certificate_revoked,
       pr.id, pr.updated_at::text,
       c.id, c.stars, c.issued_on, c.valid_until, c.status,
       d.number, d.signed_on, d.authority_name,
       r.number, r.signed_on, r.authority_name, r.reason,
       h.steps::text,
       -- changes to what other systems see are all recorded on the outbox: its newest time versions the
       -- page's "where to buy / other products" part (an index-only look at the newest row)
       (SELECT max(created_at) FROM catalog_outboxevent)::text AS registry_version,
       p.name_vi, p.name_en, pr.name
"""
_REGISTRY = """
JOIN catalog_producer pr ON pr.id = p.producer_id
LEFT JOIN catalog_commune oc ON oc.id = l.origin_commune_id
LEFT JOIN catalog_certificate c ON c.id = p.current_certificate_id
LEFT JOIN catalog_certificationdecision d ON d.id = c.decision_id
LEFT JOIN catalog_certificationdecision r ON r.id = c.revocation_id
"""
_SQL = "".join(
    (
        _COLUMNS,
        """
FROM traceability_item i
JOIN traceability_lot l ON l.id = i.lot_id
JOIN catalog_product p ON p.id = l.product_id
""",
        _REGISTRY,
        """
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_array(t.biz_step, t.event_time, t.biz_location, t.source, t.destination)) AS steps
    FROM (SELECT e.biz_step, e.event_time, e.biz_location, e.source, e.destination
          -- the item's own few events first (OFFSET 0 keeps the planner from walking all events by time)
          FROM (SELECT event_id FROM traceability_epciseventitem WHERE item_id = i.id OFFSET 0) ei
          JOIN traceability_epcisevent e ON e.id = ei.event_id ORDER BY e.event_time DESC, e.id DESC LIMIT 2) t
) h ON true
WHERE i.serial = %s
""",
    )
)
#: A product by its GTIN and, when the URI names one, its lot (product- and lot-level Digital Link URIs).
_PRODUCT_SQL = "".join(
    (
        _COLUMNS,
        """
FROM catalog_product p
CROSS JOIN (SELECT NULL::bigint AS id, NULL::varchar AS serial) i
LEFT JOIN traceability_lot l ON l.product_id = p.id AND l.number = %s
""",
        _REGISTRY,
        """
CROSS JOIN (SELECT NULL::json AS steps) h
WHERE p.gtin = %s
""",
    )
)


@dataclasses.dataclass(frozen=True)
class CertificateInfo:
    stars: int
    issued_on: datetime.date
    valid_until: datetime.date
    state: str
    decision_number: str
    decision_signed_on: datetime.date
    authority: str
    revocation_number: str | None
    revocation_signed_on: datetime.date | None
    revocation_authority: str | None
    revocation_reason: str | None


@dataclasses.dataclass
class ScanRecord:
    """What a scanned code names, with the live status: an item (serial), or, for a product- or lot-level GS1
    Digital Link URI, a product and the lot named if the producer registered it (item fields None)."""

    item_id: int | None
    serial: str | None
    lot_id: int | None
    lot_number: str | None
    produced_on: datetime.date | None
    expires_on: datetime.date | None
    origin: str
    product_id: int
    producer_id: int
    gtin: str
    product_version: str
    producer_version: str
    status: str
    certificate: CertificateInfo | None
    #: The item's last two EPCIS events, newest first, as JSON text ("" for none): a list of (biz_step,
    #: event_time, biz_location, source, destination). Items labelled together share it: it keys their history.
    last_events_json: str
    #: Changes with every certificate, assortment or listing change anywhere (the outbox's newest event).
    registry_version: str = ""
    product_name_vi: str = ""
    product_name_en: str = ""
    producer_name: str = ""

    def product_name(self, lang: str) -> str:
        return self.product_name_en if lang == "en" and self.product_name_en else self.product_name_vi


def _fetch(sql: str, params: list):
    """One row of one of the scan statements, prepared on the server (psycopg server-side binding), which
    saves PostgreSQL's planning on every scan. Behind pgbouncer in transaction mode, set
    ``TRACEABILITY_PREPARE_SCAN_QUERY = False``.

    One cursor is kept per database connection (Django's connection object is per thread) and used again on
    every scan: a new cursor works out how to load each of the row's columns again on its first result."""
    connection.ensure_connection()
    raw = connection.connection
    prepare = getattr(settings, "TRACEABILITY_PREPARE_SCAN_QUERY", True)
    if prepare and raw.prepare_threshold is None:
        # Django leaves preparation off (None disables even explicit requests). Django's own cursors bind
        # on the client and never prepare, so this enables it for explicit requests like ours only.
        raw.prepare_threshold = 2**31 - 1
    kept = getattr(connection, "_scan_cursor", None)
    if kept is None or kept[0] is not raw or kept[1].closed:
        kept = connection._scan_cursor = (raw, psycopg.Cursor(raw))
    cursor = kept[1]
    with connection.wrap_database_errors:
        cursor.execute(sql, params, prepare=prepare)
        return cursor.fetchone()


def scan_record(serial: str, today: datetime.date) -> ScanRecord | None:
    """The item with this serial and its live status, or None for a code we never issued (one query)."""
    row = _fetch(_SQL, [serial])
    return None if row is None else _record(row, today)


def product_record(gtin: str, lot_number: str, today: datetime.date) -> ScanRecord | None:
    """The product with this GTIN-14 and its live status, with the lot ``lot_number`` when the producer
    registered it (``lot_id`` None otherwise); None for a GTIN not in the registry (one query)."""
    row = _fetch(_PRODUCT_SQL, [lot_number, gtin])
    return None if row is None else _record(row, today)


def _record(row, today: datetime.date) -> ScanRecord:
    (
        item_id,
        serial,
        lot_id,
        lot_number,
        produced_on,
        expires_on,
        origin_name,
        origin_province,
        product_id,
        gtin,
        product_updated,
        stars,
        until,
        revoked,
        producer_id,
        producer_updated,
        cert_id,
        cert_stars,
        issued_on,
        valid_until,
        cert_status,
        d_number,
        d_signed,
        d_authority,
        r_number,
        r_signed,
        r_authority,
        r_reason,
        steps,
        registry_version,
        name_vi,
        name_en,
        producer_name,
    ) = row
    status, state = _live_status(
        stars, until, revoked, cert_status if cert_id is not None else None, valid_until, today
    )
    certificate = None
    if cert_id is not None:
        certificate = CertificateInfo(
            stars=cert_stars,
            issued_on=issued_on,
            valid_until=valid_until,
            state=state,
            decision_number=d_number,
            decision_signed_on=d_signed,
            authority=d_authority,
            revocation_number=r_number,
            revocation_signed_on=r_signed,
            revocation_authority=r_authority,
            revocation_reason=r_reason,
        )
    return ScanRecord(
        item_id=item_id,
        serial=serial,
        lot_id=lot_id,
        lot_number=lot_number,
        produced_on=produced_on,
        expires_on=expires_on,
        origin=", ".join(x for x in (origin_name, origin_province) if x),
        product_id=product_id,
        producer_id=producer_id,
        gtin=gtin,
        product_version=product_updated,
        producer_version=f"{producer_id}:{producer_updated}",
        status=status,
        certificate=certificate,
        last_events_json=steps or "",
        registry_version=registry_version or "",
        product_name_vi=name_vi,
        product_name_en=name_en,
        producer_name=producer_name,
    )


@functools.lru_cache(maxsize=4096)
def _live_status(stars, until, revoked, cert_status, valid_until, today) -> tuple[str, str | None]:
    """The scan status and the certificate's state, decided by catalog's own rules; the inputs are a few
    plain values (few distinct combinations), so the answer is memoised instead of building model
    instances on every scan."""
    product = Product(certified_stars=stars, certified_until=until, certificate_revoked=revoked)
    state = None if cert_status is None else Certificate(status=cert_status, valid_until=valid_until).state_on(today)
    if product.is_listable(today):
        return Status.GENUINE, state
    if state == Certificate.Status.REVOKED:
        return Status.REVOKED, state
    if state == Certificate.Status.EXPIRED:
        return Status.EXPIRED, state
    return Status.NOT_CERTIFIED, state
