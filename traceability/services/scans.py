"""Scans: logged through a Redis queue and ingested in batches, approximate locations the visitor agreed to
share, and the flags raised on suspicious serials (too many scans, too far apart)."""

import atexit
import datetime
import json
import logging
import math
import re
import statistics
import threading
import time
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from traceability import sales_points
from traceability.models import Item, ScanEvent, SerialFlag

logger = logging.getLogger(__name__)


def _setting(name, default):
    return getattr(settings, name, default)


SCAN_QUEUE_KEY = "traceability:scans"
#: Scans refused because the queue was full (``TRACEABILITY_SCAN_QUEUE_MAX``), counted until the next ingest.
SCAN_DROPPED_KEY = "traceability:scans:dropped"
_redis = None

# Push what fits under the cap, count the rest: one round trip, atomic, so the list never grows past the cap
# whatever a flood does (a flood could otherwise fill Redis, which also carries Celery and the outbox).
_CAPPED_PUSH = """
local room = tonumber(ARGV[1]) - redis.call('LLEN', KEYS[1])
local count = #ARGV - 1
local take = math.max(math.min(room, count), 0)
if take > 0 then redis.call('RPUSH', KEYS[1], unpack(ARGV, 2, take + 1)) end
if take < count then redis.call('INCRBY', KEYS[2], count - take) end
return take
"""


def _queue_client():
    global _redis
    if _redis is None:
        import redis

        _redis = redis.Redis.from_url(
            _setting("TRACEABILITY_SCAN_QUEUE_URL", settings.CELERY_BROKER_URL), socket_timeout=0.2
        )
    return _redis


_buffer: list[str] = []
_buffer_lock = threading.Lock()
_buffer_since = 0.0


#: What a sales point's code can look like (``integrations.SalesPoint.code`` is a slug of at most 32).
_POINT_CODE = re.compile(r"[-A-Za-z0-9_]{1,32}")


def queue_scan(
    *,
    serial: str,
    item_id: int | None,
    sales_point: str = "",
    user_agent: str = "",
    latitude=None,
    longitude=None,
    ref: str = "",
) -> None:
    """Log a scan without slowing the page; never fails it.

    Scans are buffered in the process and pushed to a Redis list in one call every
    ``TRACEABILITY_SCAN_BUFFER`` scans or second (at most that many are lost if the process dies);
    a beat task inserts them in bulk (``ingest_scans``). ``sales_point`` is the scan URL's ``?sp=`` (anyone
    can write anything there): only what could be a point's code is kept, and ``ingest_scans`` keeps it only
    if it is one.
    """
    global _buffer_since
    sales_point = sales_point if _POINT_CODE.fullmatch(sales_point) else ""
    record = {
        "t": time.time(),
        "s": serial[:64],
        "i": item_id,
        "sp": sales_point,
        "ua": user_agent[:255].replace("\x00", ""),
        "ref": ref,
    }
    if latitude is not None and longitude is not None:
        record["lat"], record["lon"] = latitude, longitude
    now = time.monotonic()
    with _buffer_lock:
        if not _buffer:
            _buffer_since = now
        _buffer.append(json.dumps(record))
        if len(_buffer) < _setting("TRACEABILITY_SCAN_BUFFER", 25) and now - _buffer_since < 1.0:
            return
        batch = _buffer[:]
        _buffer.clear()
    _push(batch)


def flush_scan_buffer() -> None:
    with _buffer_lock:
        batch = _buffer[:]
        _buffer.clear()
    _push(batch)


def _push(batch: list[str]) -> None:
    """Queue ``batch`` as far as ``TRACEABILITY_SCAN_QUEUE_MAX`` allows; the rest is dropped and counted."""
    if not batch:
        return
    try:
        client = _queue_client()
        client.eval(
            _CAPPED_PUSH, 2, SCAN_QUEUE_KEY, SCAN_DROPPED_KEY, _setting("TRACEABILITY_SCAN_QUEUE_MAX", 100_000), *batch
        )
    except Exception:
        logger.warning("Could not log %d scans", len(batch), exc_info=True)


atexit.register(flush_scan_buffer)


def coarse(value) -> Decimal | None:
    """Round a coordinate to 0.1° (about 11 km): enough to see a copied code travel, not to find a person."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or abs(number) > 180:
        return None
    return Decimal(str(round(number, 1)))


def ingest_scans(*, limit: int = 5000) -> int:
    """Move queued scans into ScanEvent in bulk and evaluate the flags of the items concerned."""
    flush_scan_buffer()
    client = _queue_client()
    with client.pipeline() as pipe:
        pipe.lrange(SCAN_QUEUE_KEY, 0, limit - 1)
        pipe.ltrim(SCAN_QUEUE_KEY, limit, -1)
        pipe.getdel(SCAN_DROPPED_KEY)
        raw, _trimmed, dropped = pipe.execute()
    if dropped:
        logger.warning("Scan queue full: %d scans were not logged", int(dropped), extra={"scans_dropped": int(dropped)})
    scans, locations = [], {}
    for entry in raw:
        try:
            data = json.loads(entry)
        except ValueError:
            continue
        if data.get("loc"):
            locations[data["ref"]] = (coarse(data.get("lat")), coarse(data.get("lon")))
            continue
        scans.append(
            ScanEvent(
                scanned_at=datetime.datetime.fromtimestamp(data["t"], tz=datetime.UTC),
                item_id=data.get("i"),
                serial=data.get("s", ""),
                sales_point_code=data.get("sp", ""),
                user_agent=data.get("ua", ""),
                latitude=coarse(data.get("lat")),
                longitude=coarse(data.get("lon")),
                ref=data.get("ref", ""),
            )
        )
    known = set(Item.objects.filter(pk__in={s.item_id for s in scans if s.item_id}).values_list("pk", flat=True))
    # ``?sp=`` is typed by anyone: a scan is counted at a point only when the value is a real point's code.
    points = sales_points.directory().canonical_codes({s.sales_point_code for s in scans if s.sales_point_code})
    for scan in scans:
        scan.sales_point_code = points.get(scan.sales_point_code, "")
        if scan.ref in locations:
            scan.latitude, scan.longitude = locations.pop(scan.ref)
        if scan.item_id not in known:  # an item deleted since: keep the scan by its serial
            scan.item_id = None
    with transaction.atomic():
        ScanEvent.objects.bulk_create(scans)
        for ref, (lat, lon) in locations.items():  # consent given after the scan was already stored
            if ref and lat is not None and lon is not None:
                ScanEvent.objects.filter(ref=ref, latitude__isnull=True).update(latitude=lat, longitude=lon)
    item_ids = {s.item_id for s in scans if s.item_id}
    item_ids |= set(ScanEvent.objects.filter(ref__in=[r for r in locations if r]).values_list("item_id", flat=True))
    evaluate_flags({i for i in item_ids if i})
    return len(scans)


def record_location(*, ref: str, latitude, longitude) -> None:
    """The visitor agreed to share an approximate location for the scan ``ref``."""
    lat, lon = coarse(latitude), coarse(longitude)
    if not ref or lat is None or lon is None:
        return
    _push([json.dumps({"loc": 1, "ref": ref[:32], "lat": str(lat), "lon": str(lon)})])


def distance_km(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def evaluate_flags(item_ids: set[int], *, now: datetime.datetime | None = None) -> list[SerialFlag]:
    """Apply both rules to these items; returns the new flags. Safe to run twice."""
    if not item_ids:
        return []
    now = now or timezone.now()
    far_km = _setting("TRACEABILITY_FLAG_FAR_KM", 100)
    window = datetime.timedelta(hours=_setting("TRACEABILITY_FLAG_WINDOW_HOURS", 2))
    factor = _setting("TRACEABILITY_FLAG_OVERSCAN_FACTOR", 10)
    minimum = _setting("TRACEABILITY_FLAG_OVERSCAN_MIN", 20)
    flags = []
    located = (
        ScanEvent.objects.filter(item_id__in=item_ids, latitude__isnull=False, scanned_at__gte=now - 7 * window)
        .order_by("item_id", "scanned_at")
        .values_list("item_id", "scanned_at", "latitude", "longitude")
    )
    previous = {}
    for item_id, at, lat, lon in located:
        before = previous.get(item_id)
        if before and at - before[0] <= window:
            km = distance_km(before[1], before[2], lat, lon)
            if km >= far_km:
                flags.append(
                    SerialFlag(
                        item_id=item_id,
                        reason=SerialFlag.Reason.FAR_APART,
                        detail=f"{km:.0f} km in {(at - before[0]).total_seconds() / 60:.0f} min",
                    )
                )
        previous[item_id] = (at, lat, lon)
    lots = dict(Item.objects.filter(pk__in=item_ids).values_list("pk", "lot_id"))
    for lot_id in set(lots.values()):
        counts = dict(
            ScanEvent.objects.filter(item__lot_id=lot_id)
            .values("item_id")
            .annotate(n=Count("id"))
            .values_list("item_id", "n")
        )
        for item_id in (i for i, lot in lots.items() if lot == lot_id):
            mine = counts.get(item_id, 0)
            peers = [n for other, n in counts.items() if other != item_id]
            typical = statistics.median(peers) if peers else 1
            if mine >= minimum and mine > factor * typical:
                flags.append(
                    SerialFlag(
                        item_id=item_id,
                        reason=SerialFlag.Reason.OVER_SCANNED,
                        detail=f"{mine} scans; lot's typical {typical:g}",
                    )
                )
    SerialFlag.objects.bulk_create(flags, ignore_conflicts=True)
    return flags
