"""Telling a producer: an in-app notice (message key + parameters) and an email queued on the outbox; the
labels of levels, statuses and actors the history shows."""

from decimal import Decimal

from django.db import transaction

from catalog import audit
from catalog.accounts.services import producer_accounts
from catalog.applications.models import Notice
from catalog.applications.notices import notify
from catalog.models import Level, Producer

from .roles import Status


def _level_label(level: str) -> str:
    return str(Level(level).label) if level else "—"


def _plain(value: Decimal) -> str:
    """40.00 → "40", 59.50 → "59.5" (``normalize`` alone gives "4E+1")."""
    return format(value.normalize(), "f")


def _status_label(status: str) -> str:
    return str(Status(status).label)


def _actor_label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return audit.SYSTEM_ACTOR
    return actor.get_full_name() or actor.get_username()


def notify_producer(producer: Producer, *, key: str, params: dict, link: str = "") -> None:
    """A notice (message key + parameters) to each account of the producer (same transaction) and an email after
    commit. A producer without an account yet is emailed at its registered address."""
    notify(producer_accounts(producer), key=key, params=params, link=link, fallback_emails={producer.email})


@transaction.atomic
def mark_notices_read(*, user, notice_ids=None) -> int:
    notices = Notice.objects.filter(user=user, read=False)
    if notice_ids is not None:
        notices = notices.filter(pk__in=notice_ids)
    return notices.update(read=True)
