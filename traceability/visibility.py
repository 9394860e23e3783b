"""Who sees and records which EPCIS events through a capture token (EPCIS 2.0 §8: a party sees what it is a
party to). Staff with the model permissions are not limited here (their ``party`` is None).

- A **producer** sees every event of its own products' items and records events for those items only.
- A **sales point** sees the items that passed through it — named with its location by an event: received,
  sold or shipped there, shipped to it or from it — and every event of those items, with ``epcList`` cut down
  to those items: never the lot's other serials. It records a shipment only of items that passed through it,
  and a receipt or a retail sale only of items shipped to it or of products in its assortment.
- A token records events at its own location only (``bizLocation``; a shipment leaves from it, a receipt
  arrives at it) and never commissioning, which the platform records when it issues serials.

A serial a token may not use is refused with the same answer as a serial never issued: a partner learns
nothing of other parties' items.
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from . import epcis, sales_points
from .capture_tokens import Party
from .identifiers import uri_of
from .models import EpcisEvent, EpcisEventItem, Item

Step = EpcisEvent.BizStep


def _naming(location: str) -> QuerySet:
    return EpcisEvent.objects.filter(Q(biz_location=location) | Q(destination=location) | Q(source=location))


def visible_items(party: Party) -> QuerySet:
    if party.is_point:
        return Item.objects.filter(
            pk__in=EpcisEventItem.objects.filter(event__in=_naming(party.location)).values("item_id")
        )
    return Item.objects.filter(lot__product__producer_id=party.id)


def visible_events(party: Party | None, events: QuerySet) -> QuerySet:
    if party is None:
        return events
    if not party.is_point:
        return events.filter(lot__product__producer_id=party.id)  # an event's items are all of its one lot
    return events.filter(Exists(EpcisEventItem.objects.filter(event=OuterRef("pk"), item__in=visible_items(party))))


def documents(party: Party | None, events: list[EpcisEvent]) -> list[dict]:
    """The events as ``party`` may read them: a sales point's ``epcList`` lists only the items it may see."""
    if party is None or not party.is_point:
        return [event.document for event in events]
    shown = defaultdict(list)
    links = (
        EpcisEventItem.objects.filter(event__in=events, item__in=visible_items(party))
        .select_related("item__lot__product")
        .order_by("item_id")
    )
    for link in links:
        shown[link.event_id].append(uri_of(link.item))
    return [{**event.document, "epcList": shown[event.pk]} for event in events]


def capture_errors(party: Party, checked: list[epcis.CheckedEvent], items: dict[str, Item]) -> list[dict]:
    """What ``party`` may not record among ``checked`` events (whose known serials are ``items``), in order:
    an item received in one event may be shipped in a later one of the same request."""
    ids = {item.pk for item in items.values()}
    facts = {
        pk: (product_id, producer_id)
        for pk, product_id, producer_id in Item.objects.filter(pk__in=ids).values_list(
            "pk", "lot__product_id", "lot__product__producer_id"
        )
    }
    passed, shipped_here, offered = set(), set(), set()
    if party.is_point:
        passed = set(visible_items(party).filter(pk__in=ids).values_list("pk", flat=True))
        shipped_here = set(
            EpcisEventItem.objects.filter(
                item_id__in=ids,
                event__biz_step=Step.SHIPPING,
                event__destination=party.location,
            ).values_list("item_id", flat=True)
        )
        offered = sales_points.directory().offered_product_ids(party.id)

    def permitted(item_id: int, step: str) -> bool:
        product_id, producer_id = facts[item_id]
        if not party.is_point:
            return producer_id == party.id
        if step == Step.SHIPPING:
            return item_id in passed
        return item_id in shipped_here or product_id in offered  # receiving, retail selling

    errors = []
    for event in checked:
        refusals = _place_errors(party, event)
        refused = [s for s in dict.fromkeys(event.serials) if s in items and not permitted(items[s].pk, event.biz_step)]
        refusals.extend(epcis.not_permitted_epc_error(event.index, serial) for serial in refused[:20])
        if not refusals:
            passed |= {items[s].pk for s in event.serials if s in items}
        errors.extend(refusals)
    return errors


def _place_errors(party: Party, event: epcis.CheckedEvent) -> list[dict]:
    here = {"location": party.location}
    errors = []
    if event.biz_step == Step.COMMISSIONING:
        errors.append(
            epcis.forbidden_error(
                event.index, "bizStep", _("Commissioning is recorded by the platform when it issues the serials.")
            )
        )
    read_point = event.data.get("readPoint")
    if event.biz_location != party.location or (read_point is not None and read_point != {"id": party.location}):
        errors.append(
            epcis.forbidden_error(
                event.index,
                "bizLocation",
                _("bizLocation (and readPoint, if given) must be your own location, %(location)s.") % here,
            )
        )
    if event.biz_step == Step.SHIPPING and _ids(event.data, "sourceList", "source") - {party.location}:
        errors.append(
            epcis.forbidden_error(
                event.index,
                "sourceList",
                _("A shipment you record leaves from your own location, %(location)s.") % here,
            )
        )
    if event.biz_step == Step.RECEIVING and _ids(event.data, "destinationList", "destination") - {party.location}:
        errors.append(
            epcis.forbidden_error(
                event.index,
                "destinationList",
                _("A receipt you record arrives at your own location, %(location)s.") % here,
            )
        )
    return errors


def _ids(data: dict, field: str, key: str) -> set:
    entries = data.get(field)
    if not isinstance(entries, list):
        return set() if entries is None else {repr(entries)}
    return {entry.get(key) if isinstance(entry, dict) else repr(entry) for entry in entries}
