import datetime

import pytest

from catalog import events
from ocop.outbox import services as outbox
from ocop.outbox.models import OutboxDelivery
from tests.worker import wait_until

pytestmark = pytest.mark.worker

received = []


@pytest.mark.django_db(transaction=True)
def test_a_certification_event_reaches_a_subscriber_through_a_real_worker(celery_worker_process, certify, product):
    # The subscriber is registered in this process only; the worker has none registered under this
    # name, so it records a dead letter naming the missing subscriber: proof the worker drained it.
    outbox.subscribe(events.CERTIFICATE_STATUS_CHANGED, "test-probe", received.append)
    try:
        certify(product, stars=4, signed_on=datetime.date(2025, 9, 1))
    finally:
        outbox.unsubscribe(events.CERTIFICATE_STATUS_CHANGED, "test-probe")

    delivery = wait_until(
        lambda: (
            OutboxDelivery.objects.filter(subscriber="test-probe").exclude(status=OutboxDelivery.Status.PENDING).first()
        )
    )
    assert delivery is not None, "the worker never drained the outbox"
    assert delivery.status == OutboxDelivery.Status.DEAD
    assert "test-probe" in delivery.last_error
