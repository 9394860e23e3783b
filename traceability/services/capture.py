"""EPCIS capture: partners' events checked and stored (all-or-nothing), and an item's history as the scan page
shows it (one step back, one step forward)."""

from django.db import transaction
from django.utils.dateparse import parse_datetime

from traceability import epcis, visibility
from traceability.models import EpcisEvent, EpcisEventItem, Item, Lot


@transaction.atomic
def capture_events(*, body, actor_label: str, party=None) -> list[EpcisEvent]:
    """Validate and store events; all or nothing. Raises ``epcis.EventErrors`` with every problem.

    ``party``: the producer or sales point a capture token acts for (``capture_tokens.Party``), which records
    only what ``visibility`` allows it; None for staff and the platform itself.
    """
    checked, errors = epcis.check(epcis.events_of(body))
    serials = {s for event in checked for s in event.serials}
    items = {item.serial: item for item in Item.objects.filter(serial__in=serials).only("id", "serial", "lot_id")}
    seen_ids = set(
        EpcisEvent.objects.filter(event_id__in=[e.event_id for e in checked]).values_list("event_id", flat=True)
    )
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
            event_id=event.event_id,
            action=event.action,
            biz_step=event.biz_step,
            event_time=event.event_time,
            biz_location=event.biz_location,
            source=event.source,
            destination=event.destination,
            lot_id=event_items[0].lot_id,
            document=event.data,
            recorded_by=actor_label[:255],
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
        return {
            "label": labels.get(event[0], event[0]),
            "biz_step": event[0],
            "where": where,
            "at": parse_datetime(event[1]),
        }

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
