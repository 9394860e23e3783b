"""Operations of traceability: lots, serial issuance, scan logging and flags, EPCIS capture, label sheets.

Services own their transactions; background work is queued with ``on_commit`` and re-reads by id.
"""

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
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Sum, When
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog.permissions import of_producer
from catalog.querysets import local_today

from . import approvals, epcis, quotas, sales_points, visibility
from .error_codes import TraceabilityErrorCode as Code
from .identifiers import item_uri, new_serial
from .models import EpcisEvent, EpcisEventItem, IssuanceJob, Item, LabelSheetJob, Lot, ScanEvent, SerialFlag

logger = logging.getLogger(__name__)

#: Most serials one request may ask for.
MAX_ISSUANCE = 1_000_000


def _setting(name, default):
    return getattr(settings, name, default)


# --- Lots and serials --------------------------------------------------------------------------------


@transaction.atomic
def create_lot(*, product, number: str, produced_on: datetime.date, expires_on=None, quantity: int = 0,
               origin_commune=None, notes: str = "", actor) -> Lot:
    lot = Lot(product=product, number=number.strip(), produced_on=produced_on, expires_on=expires_on,
              quantity=quantity, origin_commune=origin_commune, notes=notes)
    lot.full_clean()
    if expires_on and expires_on < produced_on:
        raise ValidationError({"expires_on": ValidationError(_("Expiry is before production."), code="invalid")})
    lot.save()
    audit.log(actor=actor, action="lot.created", instance=lot)
    return lot


@transaction.atomic
def start_issuance(*, lot: Lot, count: int, actor) -> IssuanceJob:
    """Record a request for ``count`` serials; a Celery task issues them after commit."""
    if not 1 <= count <= MAX_ISSUANCE:
        raise ValidationError(
            _("Ask for between 1 and %(max)s serials."), code=Code.TOO_MANY.value, params={"max": MAX_ISSUANCE}
        )
    quotas.check_issuance(lot, count)
    held = approvals.needs_approval(actor, serials=count)
    job = IssuanceJob.objects.create(
        lot=lot, requested=count, created_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=IssuanceJob.Status.HELD if held else IssuanceJob.Status.PENDING,
    )
    audit.log(actor=actor, action="issuance.requested", instance=job)
    if held:
        approvals.hold(job)
    else:
        transaction.on_commit(lambda: _queue("issue_serials", job.pk))
    return job


def _queue(task_name: str, *args) -> None:
    from . import tasks

    try:
        getattr(tasks, task_name).delay(*args)
    except Exception:
        logger.exception("Could not queue %s%r", task_name, args)


def run_issuance(job_id: int, *, batch_size: int | None = None) -> IssuanceJob:
    """Issue the serials of a job in batches; each batch commits with the job's progress. Safe to rerun."""
    batch_size = batch_size or _setting("TRACEABILITY_ISSUANCE_BATCH", 5000)
    job = IssuanceJob.objects.select_related("lot__product").get(pk=job_id)
    if job.status in (IssuanceJob.Status.DONE, IssuanceJob.Status.FAILED, IssuanceJob.Status.HELD):
        return job
    IssuanceJob.objects.filter(pk=job_id).update(status=IssuanceJob.Status.RUNNING)
    lot = job.lot
    try:
        while True:
            with transaction.atomic():
                job = IssuanceJob.objects.select_for_update().get(pk=job_id)
                remaining = job.requested - job.issued
                if remaining <= 0:
                    break
                size = min(batch_size, remaining)
                items = _insert_serials(lot, size)
                _record_commissioning(lot, items)
                job.issued += size
                job.save(update_fields=["issued"])
        IssuanceJob.objects.filter(pk=job_id).update(status=IssuanceJob.Status.DONE, finished_at=timezone.now())
    except Exception as exc:
        logger.exception("Issuance job %s failed", job_id)
        IssuanceJob.objects.filter(pk=job_id).update(
            status=IssuanceJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
        )
    return IssuanceJob.objects.get(pk=job_id)


def _insert_serials(lot: Lot, size: int) -> list[Item]:
    for _attempt in range(3):
        items = [Item(lot=lot, serial=new_serial()) for _ in range(size)]
        try:
            with transaction.atomic():
                return Item.objects.bulk_create(items)
        except IntegrityError:  # 80-bit collision: astronomically rare; draw again
            logger.warning("Serial collision while issuing for lot %s; retrying", lot.pk)
    raise RuntimeError("Could not draw unique serials")


def _record_commissioning(lot: Lot, items: list[Item]) -> EpcisEvent:
    now = timezone.now()
    gtin, number, expires = lot.product.gtin, lot.number, lot.expires_on
    epcs = [item_uri(gtin=gtin, lot=number, serial=item.serial, expires_on=expires) for item in items]
    data = epcis.commissioning_event(epcs=epcs, lot=lot, producer_id=lot.product.producer_id, at=now)
    event = EpcisEvent.objects.create(
        event_id=data["eventID"], action="ADD", biz_step=EpcisEvent.BizStep.COMMISSIONING, event_time=now,
        biz_location=data["bizLocation"]["id"], lot=lot, document=data, recorded_by="platform",
    )
    EpcisEventItem.objects.bulk_create(EpcisEventItem(event=event, item=item) for item in items)
    return event


# --- EPCIS capture ----------------------------------------------------------------------------------


@transaction.atomic
def capture_events(*, body, actor_label: str, party=None) -> list[EpcisEvent]:
    """Validate and store events; all or nothing. Raises ``epcis.EventErrors`` with every problem.

    ``party``: the producer or sales point a capture token acts for (``capture_tokens.Party``), which records
    only what ``visibility`` allows it; None for staff and the platform itself.
    """
    checked, errors = epcis.check(epcis.events_of(body))
    serials = {s for event in checked for s in event.serials}
    items = {item.serial: item for item in Item.objects.filter(serial__in=serials).only("id", "serial", "lot_id")}
    seen_ids = set(EpcisEvent.objects.filter(event_id__in=[e.event_id for e in checked]).values_list(
        "event_id", flat=True))
    unknown = epcis.unknown_epc_error if party is None else epcis.not_permitted_epc_error
    if party is not None:
        errors.extend(visibility.capture_errors(party, checked, items))
    for event in checked:
        missing = [s for s in event.serials if s not in items]
        errors.extend(unknown(event.index, s) for s in missing[:20])
        if not missing and len({items[s].lot_id for s in event.serials}) > 1:
            errors.append(epcis.mixed_lots_error(event.index))
        if event.event_id in seen_ids:
            errors.append(epcis.duplicate_error(event.index, event.event_id))
        seen_ids.add(event.event_id)
    if errors:
        errors.sort(key=lambda error: -1 if error["event"] is None else error["event"])
        raise epcis.EventErrors(errors)
    stored = []
    for event in checked:
        event_items = [items[s] for s in dict.fromkeys(event.serials)]
        record = EpcisEvent.objects.create(
            event_id=event.event_id, action=event.action, biz_step=event.biz_step, event_time=event.event_time,
            biz_location=event.biz_location, source=event.source, destination=event.destination,
            lot_id=event_items[0].lot_id, document=event.data, recorded_by=actor_label[:255],
        )
        EpcisEventItem.objects.bulk_create(EpcisEventItem(event=record, item=item) for item in event_items)
        stored.append(record)
    return stored


def events_for_item(item: Item):
    return EpcisEvent.objects.filter(epciseventitem__item=item).order_by("event_time", "pk")


def events_for_lot(lot: Lot):
    return EpcisEvent.objects.filter(lot=lot).order_by("event_time", "pk")


def history_steps(last_events: list) -> dict:
    """One step back and one step forward of an item (Circular 02/2024), from its last two EPCIS events.

    ``last_events`` is newest first, as ``querysets.scan_record`` reads them: (biz_step, event_time,
    biz_location, source, destination). Back: where the item came from into its current custody;
    forward: where it went or is going.
    """
    if not last_events:
        return {"back": None, "forward": None}
    step = EpcisEvent.BizStep
    labels = dict(step.choices)

    def view(event, where):
        return {"label": labels.get(event[0], event[0]), "where": where, "at": parse_datetime(event[1])}

    last = last_events[0]
    before = last_events[1] if len(last_events) > 1 else None
    biz_step, _at, location, source, destination = last
    if biz_step == step.COMMISSIONING:
        return {"back": view(last, location), "forward": None}
    if biz_step == step.SHIPPING:
        return {"back": view(last, location or source), "forward": view(last, destination)}
    # received at, or sold at, the last event's place
    back = view(before, source or before[2]) if before else view(last, source)
    return {"back": back, "forward": view(last, location or destination)}


# --- Scan logging and suspicious serials --------------------------------------------------------------

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


def queue_scan(*, serial: str, item_id: int | None, sales_point: str = "", user_agent: str = "",
               latitude=None, longitude=None, ref: str = "") -> None:
    """Log a scan without slowing the page; never fails it.

    Scans are buffered in the process and pushed to a Redis list in one call every
    ``TRACEABILITY_SCAN_BUFFER`` scans or second (at most that many are lost if the process dies);
    a beat task inserts them in bulk (``ingest_scans``). ``sales_point`` is the scan URL's ``?sp=`` (anyone
    can write anything there): only what could be a point's code is kept, and ``ingest_scans`` keeps it only
    if it is one.
    """
    global _buffer_since
    sales_point = sales_point if _POINT_CODE.fullmatch(sales_point) else ""
    record = {"t": time.time(), "s": serial[:64], "i": item_id, "sp": sales_point,
              "ua": user_agent[:255].replace("\x00", ""), "ref": ref}
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
        client.eval(_CAPPED_PUSH, 2, SCAN_QUEUE_KEY, SCAN_DROPPED_KEY,
                    _setting("TRACEABILITY_SCAN_QUEUE_MAX", 100_000), *batch)
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
        logger.warning("Scan queue full: %d scans were not logged", int(dropped),
                       extra={"scans_dropped": int(dropped)})
    scans, locations = [], {}
    for entry in raw:
        try:
            data = json.loads(entry)
        except ValueError:
            continue
        if data.get("loc"):
            locations[data["ref"]] = (coarse(data.get("lat")), coarse(data.get("lon")))
            continue
        scans.append(ScanEvent(
            scanned_at=datetime.datetime.fromtimestamp(data["t"], tz=datetime.UTC), item_id=data.get("i"),
            serial=data.get("s", ""), sales_point_code=data.get("sp", ""), user_agent=data.get("ua", ""),
            latitude=coarse(data.get("lat")), longitude=coarse(data.get("lon")), ref=data.get("ref", ""),
        ))
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
                flags.append(SerialFlag(item_id=item_id, reason=SerialFlag.Reason.FAR_APART,
                                        detail=f"{km:.0f} km in {(at - before[0]).total_seconds() / 60:.0f} min"))
        previous[item_id] = (at, lat, lon)
    lots = dict(Item.objects.filter(pk__in=item_ids).values_list("pk", "lot_id"))
    for lot_id in set(lots.values()):
        counts = dict(
            ScanEvent.objects.filter(item__lot_id=lot_id).values("item_id").annotate(n=Count("id"))
            .values_list("item_id", "n")
        )
        for item_id in (i for i, lot in lots.items() if lot == lot_id):
            mine = counts.get(item_id, 0)
            peers = [n for other, n in counts.items() if other != item_id]
            typical = statistics.median(peers) if peers else 1
            if mine >= minimum and mine > factor * typical:
                flags.append(SerialFlag(item_id=item_id, reason=SerialFlag.Reason.OVER_SCANNED,
                                        detail=f"{mine} scans; lot's typical {typical:g}"))
    SerialFlag.objects.bulk_create(flags, ignore_conflicts=True)
    return flags


# --- Label sheets -------------------------------------------------------------------------------------


@transaction.atomic
def start_label_sheet(*, lot: Lot, actor) -> LabelSheetJob:
    if not lot.items.exists():
        raise ValidationError(_("This lot has no serials yet."), code=Code.NO_ITEMS.value)
    quotas.check_label_sheet(lot)
    held = approvals.needs_approval(actor)
    job = LabelSheetJob.objects.create(
        lot=lot, created_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=LabelSheetJob.Status.HELD if held else LabelSheetJob.Status.PENDING,
    )
    audit.log(actor=actor, action="label_sheet.requested", instance=job)
    if held:
        approvals.hold(job)
    else:
        transaction.on_commit(lambda: _queue("build_label_sheet", job.pk))
    return job


def run_label_sheet(job_id: int) -> LabelSheetJob:
    import tempfile

    from django.core.files.base import File

    from .labels import render_lot_labels

    job = LabelSheetJob.objects.select_related("lot__product").get(pk=job_id)
    if job.status in (LabelSheetJob.Status.DONE, LabelSheetJob.Status.HELD):
        return job
    LabelSheetJob.objects.filter(pk=job_id).update(status=LabelSheetJob.Status.RUNNING)
    try:
        with tempfile.TemporaryFile() as handle:
            count = render_lot_labels(job.lot, handle)
            handle.seek(0)
            job.file.save("labels.pdf", File(handle), save=False)  # a random name in the private store
        LabelSheetJob.objects.filter(pk=job_id).update(
            status=LabelSheetJob.Status.DONE, labels=count, file=job.file.name, finished_at=timezone.now()
        )
    except Exception as exc:
        logger.exception("Label sheet %s failed", job_id)
        if job.file:  # written, but the job does not point at it: no sheet of serials is left behind
            job.file.storage.delete(job.file.name)
        LabelSheetJob.objects.filter(pk=job_id).update(
            status=LabelSheetJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}", file="",
            finished_at=timezone.now(),
        )
    return LabelSheetJob.objects.get(pk=job_id)


def expire_label_sheets(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of label sheets made more than ``TRACEABILITY_LABEL_SHEET_RETENTION_DAYS`` ago; each job
    row is kept with the time its file was deleted. Safe to run twice or in parallel; returns how many went."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.TRACEABILITY_LABEL_SHEET_RETENTION_DAYS)
    due = (LabelSheetJob.objects.filter(finished_at__lt=cutoff, file_deleted_at__isnull=True).exclude(file="")
           .order_by("pk").values_list("pk", flat=True))
    deleted = 0
    for job_id in list(due[:10_000]):
        with transaction.atomic():
            job = (LabelSheetJob.objects.select_for_update(skip_locked=True)
                   .filter(pk=job_id, file_deleted_at__isnull=True).exclude(file="").first())
            if job is None:
                continue
            # The file first: if the update below is lost, the next run finds the row again and deleting a
            # missing file is a no-op, so a row never claims a deletion whose file is still there.
            job.file.storage.delete(job.file.name)
            LabelSheetJob.objects.filter(pk=job.pk).update(file="", file_deleted_at=now)
            job.file, job.file_deleted_at = "", now
            audit.log(actor=None, action="label_sheet.file_deleted", instance=job)
        deleted += 1
    return deleted


# --- A producer's own lots (the producers' portal) -----------------------------------------------------


def producer_lots(producer):
    """The lots of ``producer``'s own products (catalog's scoping rule): every portal query starts here."""
    return of_producer(Lot.objects.all(), producer)


def producer_items(producer):
    return of_producer(Item.objects.all(), producer)


@transaction.atomic
def create_producer_lot(*, producer, product, number: str, produced_on: datetime.date, expires_on=None,
                        quantity: int, origin_commune=None, notes: str = "", actor) -> Lot:
    """A lot created by a producer account: its own product, produced by today, at least one unit."""
    if product.producer_id != producer.pk:
        raise ValidationError({"product": ValidationError(_("Choose one of your own products."), code=Code.INVALID)})
    if produced_on > local_today():
        raise ValidationError({"produced_on": ValidationError(_("The production date cannot be in the future."),
                                                              code=Code.INVALID)})
    if quantity < 1:
        raise ValidationError({"quantity": ValidationError(_("A lot has at least one unit."), code=Code.INVALID)})
    if Lot.objects.filter(product=product, number__iexact=number.strip()).exists():
        raise ValidationError({"number": ValidationError(_("This product already has a lot with this number."),
                                                         code=Code.INVALID)})
    return create_lot(product=product, number=number, produced_on=produced_on, expires_on=expires_on,
                      quantity=quantity, origin_commune=origin_commune, notes=notes, actor=actor)


def serials_taken(lot: Lot) -> int:
    """Serials issued or still to be issued for ``lot`` (a failed job counts what it issued)."""
    total = lot.issuance_jobs.aggregate(n=Sum(Case(
        When(status=IssuanceJob.Status.FAILED, then=F("issued")), default=F("requested"),
    )))["n"]
    return total or 0


@transaction.atomic
def start_producer_issuance(*, lot: Lot, count: int, actor) -> IssuanceJob:
    """A producer asks for serials: never more than the lot's quantity, counting earlier requests."""
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    taken = serials_taken(lot)
    if count < 1 or taken + count > lot.quantity:
        raise ValidationError(
            _("This lot has %(quantity)s units and %(taken)s serials are already issued or requested: "
              "ask for 1 to %(left)s."),
            code=Code.TOO_MANY.value,
            params={"quantity": lot.quantity, "taken": taken, "left": max(lot.quantity - taken, 0)},
        )
    return start_issuance(lot=lot, count=count, actor=actor)


@transaction.atomic
def start_producer_label_sheet(*, lot: Lot, actor) -> LabelSheetJob:
    """A label sheet for a producer's lot; one at a time per lot."""
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    busy = (LabelSheetJob.Status.HELD, LabelSheetJob.Status.PENDING, LabelSheetJob.Status.RUNNING)
    if lot.label_jobs.filter(status__in=busy).exists():
        raise ValidationError(_("A label sheet for this lot is already being prepared."),
                              code=Code.JOB_RUNNING.value)
    if lot.issuance_jobs.filter(status__in=(IssuanceJob.Status.PENDING, IssuanceJob.Status.RUNNING)).exists():
        raise ValidationError(_("Wait until the serials are issued, then ask for the labels."),
                              code=Code.JOB_RUNNING.value)
    return start_label_sheet(lot=lot, actor=actor)
