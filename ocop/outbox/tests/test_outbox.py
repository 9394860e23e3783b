"""The outbox: recorded with the change, delivered after commit, retried, e-mail included."""

import smtplib

import pytest
from django.db import transaction

from catalog.tests.fixtures import sent_mail
from ocop.messaging import mail
from ocop.outbox import services as outbox
from ocop.outbox.models import OutboxDelivery

pytestmark = pytest.mark.django_db


def test_one_drain_is_queued_per_commit_however_many_events(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        outbox.record("test.topic", key=1, payload={})
        outbox.record("test.topic", key=2, payload={})
        mail.queue(to=["a@example.vn"], subject="s", body="b")
    assert [callback.__name__ for callback in callbacks] == ["_kick_drain"]


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        outbox.record("test.topic", key=1, payload={})


def test_mail_leaves_only_when_the_outbox_is_delivered_and_only_if_the_change_committed():
    with transaction.atomic():
        mail.queue(to=["htx@example.vn", "", "htx@example.vn"], subject="Xin chào", body="Nội dung")
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.queue(to=["rolled@example.vn"], subject="never", body="never")
        raise RuntimeError
    messages = sent_mail()
    assert [(m.to, m.subject, m.body) for m in messages] == [(["htx@example.vn"], "Xin chào", "Nội dung")]


def test_a_mail_server_failure_is_retried_and_a_refused_recipient_is_a_dead_letter(monkeypatch):
    with transaction.atomic():
        mail.queue(to=["down@example.vn"], subject="s", body="b")

    def server_down(*args, **kwargs):
        raise ConnectionRefusedError("no SMTP server")

    monkeypatch.setattr("ocop.messaging.mail.send_mail", server_down)
    outbox.drain()
    delivery = OutboxDelivery.objects.get(subscriber=mail.SMTP_SUBSCRIBER)
    assert (delivery.status, delivery.attempts) == ("pending", 1) and "no SMTP server" in delivery.last_error

    def refused(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"down@example.vn": (550, b"no such user")})

    monkeypatch.setattr("ocop.messaging.mail.send_mail", refused)
    OutboxDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.event.created_at)
    outbox.drain()
    delivery.refresh_from_db()
    assert delivery.status == OutboxDelivery.Status.DEAD and "refused" in delivery.last_error


def test_a_new_delivery_is_due_at_once_even_when_the_recording_clock_ran_ahead_of_the_worker():
    """The web process and the worker read different clocks (two hosts, or one a second behind): a revocation's
    first delivery must not wait for the next periodic drain because its stamp is in the worker's future."""
    import datetime

    from django.utils import timezone

    with transaction.atomic():
        mail.queue(to=["htx@example.vn"], subject="s", body="b")
    ahead = timezone.now() + datetime.timedelta(seconds=5)
    OutboxDelivery.objects.update(next_attempt_at=ahead)

    assert outbox.drain() == 1
    assert [m.to for m in sent_mail()] == [["htx@example.vn"]]


def test_a_failed_delivery_waits_for_its_backoff_before_the_next_attempt(monkeypatch):
    def server_down(*args, **kwargs):
        raise ConnectionRefusedError("no SMTP server")

    monkeypatch.setattr("ocop.messaging.mail.send_mail", server_down)
    with transaction.atomic():
        mail.queue(to=["htx@example.vn"], subject="s", body="b")
    outbox.drain()
    assert outbox.drain() == 0
    assert OutboxDelivery.objects.get().attempts == 1


def test_while_one_delivery_is_under_way_the_next_is_free_for_another_drain():
    """Drains run side by side (one per worker process): a slow marketplace must not hold back Saleor's delisting
    because one drain leased both."""
    seen_by_another_drain = []

    def slow_destination(event):
        other = outbox._claim()  # what a second drain would claim meanwhile
        seen_by_another_drain.append(other and other.subscriber)
        if other is not None:
            outbox.deliver(other)

    outbox.subscribe("test.two", "a-slow-destination", slow_destination)
    outbox.subscribe("test.two", "b-gate", lambda event: None)
    try:
        with transaction.atomic():
            outbox.record("test.two", key=1, payload={})
        outbox.drain()
    finally:
        outbox.unsubscribe("test.two", "a-slow-destination")
        outbox.unsubscribe("test.two", "b-gate")

    assert seen_by_another_drain == ["b-gate"]
    assert set(OutboxDelivery.objects.filter(event__topic="test.two").values_list("status", flat=True)) == {"done"}
