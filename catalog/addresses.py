"""Addresses as they are since 1 July 2025: two-tier local government, communes merged, no district level.

Records from before (a commune with its district, e.g. "Xã Ea Kao, Thành phố Buôn Ma Thuột, Đắk Lắk") are
converted to the commune that took them over with ``vietnamadminunits`` (offline data of the 2025 reform), and
the old address is kept on the producer (``Producer.former_address``) and shown where it differs. A commune row
with a ``district`` is a pre-2025 unit kept for history (pre-assessments made by it); current ones have none.
"""

import dataclasses
import functools
import logging

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class CurrentUnit:
    name: str  # "Phường Buôn Ma Thuột"
    province: str  # "Đắk Lắk"


def old_address(name: str, district: str, province: str, street: str = "") -> str:
    return ", ".join(part for part in (street, name, district, province) if part)


@functools.lru_cache(maxsize=4096)
def convert(name: str, district: str, province: str) -> CurrentUnit | None:
    """The commune (and province) that took over the pre-07/2025 unit, or None when it cannot be told."""
    from vietnamadminunits import convert_address

    if not (name and district):
        return None
    try:
        unit = convert_address(old_address(name, district, province))
    except Exception:  # the library raises plain exceptions on an address it cannot place
        logger.info("vietnamadminunits could not convert %r", old_address(name, district, province))
        return None
    if not unit.ward or not unit.short_province:
        return None
    return CurrentUnit(name=unit.ward, province=unit.short_province)


def move_producers_to_current_communes(apps=None, *, log_change=None) -> int:
    """Give every producer registered in a pre-2025 commune the current commune, keeping its old address.

    Works on the current models or on a migration's (``apps``). ``log_change(producer, before)`` records each
    change (the audit trail). Commune officers of a converted commune follow to the new one. Returns the count.
    """
    get = apps.get_model if apps is not None else _current_model
    commune_model, producer_model, membership_model = (
        get("catalog", "Commune"),
        get("catalog", "Producer"),
        get("catalog", "Membership"),
    )
    moved = 0
    for old in commune_model.objects.exclude(district="").order_by("pk"):
        unit = convert(old.name, old.district, old.province)
        if unit is None:
            continue
        new, _created = commune_model.objects.get_or_create(name=unit.name, district="", province=unit.province)
        for producer in producer_model.objects.filter(commune=old).order_by("pk"):
            before = {"commune": old.pk, "former_address": producer.former_address}
            producer.former_address = producer.former_address or old_address(
                old.name, old.district, old.province, producer.address_line
            )
            producer.commune = new
            producer.save(update_fields=["commune", "former_address"])
            if log_change is not None:
                log_change(producer, before)
            moved += 1
        membership_model.objects.filter(commune=old).update(commune=new)
    return moved


def _current_model(app_label: str, name: str):
    from django.apps import apps

    return apps.get_model(app_label, name)
