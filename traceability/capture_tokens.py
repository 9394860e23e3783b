"""EPCIS capture tokens: issued by staff to one party (a sales point's till or a producer), shown once, revocable.

A token is worth what its party may do (``visibility``): ``authenticate`` answers the party a key acts for, or
None for an unknown or revoked key, and for a token of a point that is unknown, suspended or closed.
"""

import dataclasses
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import audit

from . import epcis, sales_points
from .error_codes import TraceabilityErrorCode as Code
from .models import CaptureToken


@dataclasses.dataclass(frozen=True)
class Party:
    """Whom a token acts for: its kind, the producer's or point's id, and its EPCIS location id."""

    PRODUCER = "producer"
    SALES_POINT = "sales_point"

    kind: str
    id: int
    location: str
    #: What events it records are marked with (``EpcisEvent.recorded_by``).
    label: str

    @property
    def is_point(self) -> bool:
        return self.kind == self.SALES_POINT


def party_of(token: CaptureToken) -> Party | None:
    label = f"token:{token.name}"
    if token.producer_id is not None:
        return Party(Party.PRODUCER, token.producer_id, epcis.producer_location(token.producer_id), label)
    point = sales_points.directory().point(token.sales_point_id)
    if point is None or not point.open:
        return None
    return Party(Party.SALES_POINT, point.id, epcis.sales_point_location(point.code), label)


def authenticate(key: str) -> Party | None:
    if not key:
        return None
    token = CaptureToken.objects.filter(key_hash=CaptureToken.hash(key), active=True).first()
    return party_of(token) if token is not None else None


@transaction.atomic
def issue(*, name: str, producer=None, sales_point_id: int | None = None, actor) -> tuple[CaptureToken, str]:
    """A new token for exactly one party; returns it with its key, which is never stored (show it once)."""
    if (producer is None) == (sales_point_id is None):
        raise ValidationError(
            _("Choose either a producer or a sales point: a token acts for exactly one."), code=Code.INVALID.value
        )
    if sales_point_id is not None and sales_points.directory().point(sales_point_id) is None:
        raise ValidationError(_("There is no such sales point."), code=Code.INVALID.value)
    key = secrets.token_urlsafe(32)
    token = CaptureToken.objects.create(
        name=name.strip(),
        key_hash=CaptureToken.hash(key),
        producer=producer,
        sales_point_id=sales_point_id,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.log(
        actor=actor,
        action="capture_token.issued",
        instance=token,
        after={"name": token.name, "producer": token.producer_id, "sales_point": sales_point_id},
    )
    return token, key


@transaction.atomic
def revoke(*, token: CaptureToken, actor) -> None:
    """Withdraw a token at once; it stays listed (who had it, when it stopped)."""
    if not token.active:
        return
    token.active = False
    token.revoked_at = timezone.now()
    token.save(update_fields=["active", "revoked_at"])
    audit.log(
        actor=actor, action="capture_token.revoked", instance=token, after={"revoked_at": token.revoked_at.isoformat()}
    )
