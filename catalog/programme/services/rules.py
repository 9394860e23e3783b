"""Who may act in the programme, and what every operation of it shares (the event-changed record on the outbox)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalog.models import Commune
from catalog.permissions import membership_of
from ocop.outbox import services as outbox

from ..models import Event
from ..permissions import manages_programme

#: Topic of the outbox event recorded when what the public sees of an event changes.
EVENT_CHANGED = "programme.event_changed"


def refuse_unless(allowed: bool, message) -> None:
    if not allowed:
        raise ValidationError(message, code="not_allowed")


def office_only(actor) -> None:
    refuse_unless(manages_programme(actor), _("Only the OCOP office may do this."))


def day(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def event_changed(event: Event) -> None:
    outbox.record(EVENT_CHANGED, event.pk, {"event_id": event.pk, "status": event.status})


def office_users():
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__permissions__codename="manage_programme",
            groups__permissions__content_type__app_label="programme",
        )
        .distinct()
    )


def commune_of(actor) -> Commune | None:
    membership = membership_of(actor)
    return membership.commune if membership and membership.commune_id and actor.is_active else None
