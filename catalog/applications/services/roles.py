"""Who may act on an application: the producer's accounts, the commune's officer, council and authority seats by
area; and the applications each may see."""

from django.db.models import Q

from catalog.applications.models import (
    Application,
    LevelSeat,
)
from catalog.models import Level, Producer
from catalog.permissions import COMMUNE_OFFICER, membership_of, sees_everything

Status = Application.Status


def producer_of(user) -> Producer | None:
    membership = membership_of(user)
    if membership is None or not user.is_active:
        return None
    return membership.producer


def _seat_covers(seat: LevelSeat, producer: Producer) -> bool:
    commune = producer.commune
    if seat.level == Level.CENTRAL:
        return True
    if seat.level == Level.PROVINCE:
        return seat.area == commune.province
    if seat.level == Level.DISTRICT:
        return bool(commune.district) and seat.area == commune.district
    return False


def seats_of(user, application: Application, level: str, roles) -> list[LevelSeat]:
    if not getattr(user, "is_active", False):
        return []
    seats = LevelSeat.objects.filter(user=user, level=level, role__in=list(roles))
    return [seat for seat in seats if _seat_covers(seat, application.producer)]


def acts_at(user, application: Application, level: str, roles=tuple(LevelSeat.Role)) -> bool:
    """Whether ``user`` acts for ``level`` on this application (commune officer of its commune, or a seat)."""
    if level == Level.COMMUNE:
        membership = membership_of(user)
        return bool(
            membership is not None
            and user.is_active
            and membership.commune_id == application.producer.commune_id
            and user.groups.filter(name=COMMUNE_OFFICER).exists()
        )
    return bool(seats_of(user, application, level, roles))


def is_level_staff(user) -> bool:
    """Whether the user acts for a level: the OCOP office, a commune officer, or a council/authority seat."""
    if not getattr(user, "is_active", False):
        return False
    membership = membership_of(user)
    return bool(
        sees_everything(user)
        or (membership is not None and membership.commune_id)
        or LevelSeat.objects.filter(user=user).exists()
    )


def staff_applications(user):
    """The applications a staff user may see: all for the OCOP office; else their commune or seats' areas."""
    queryset = Application.objects.exclude(status=Status.DRAFT)
    if sees_everything(user):
        return queryset
    condition = Q(pk__in=[])
    membership = membership_of(user)
    if membership is not None and membership.commune_id is not None:
        condition |= Q(producer__commune_id=membership.commune_id)
    for seat in LevelSeat.objects.filter(user=user) if getattr(user, "is_active", False) else []:
        if seat.level == Level.CENTRAL:
            condition |= Q(current_level=Level.CENTRAL) | Q(evaluation__forwarded_to=Level.CENTRAL)
            condition |= Q(council_scores__level=Level.CENTRAL)
        elif seat.level == Level.PROVINCE:
            condition |= Q(producer__commune__province=seat.area)
        elif seat.level == Level.DISTRICT:
            condition |= Q(producer__commune__district=seat.area) & ~Q(producer__commune__district="")
    return queryset.filter(condition).distinct()


def producer_applications(user):
    producer = producer_of(user)
    if producer is None:
        return Application.objects.none()
    return Application.objects.filter(producer=producer)
