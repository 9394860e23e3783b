"""Fixtures of traceability, building on catalog's: product → lot → items."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from catalog.models import Membership
from traceability import services
from traceability.models import IssuanceJob, Item
from traceability.services import scans


@pytest.fixture
def lot(product, commune, office_user):
    return services.create_lot(
        product=product,
        number="L2026-11",
        produced_on=datetime.date(2026, 11, 1),
        expires_on=datetime.date(2027, 11, 1),
        quantity=100,
        origin_commune=commune,
        actor=office_user,
    )


@pytest.fixture
def issue(office_user):
    """Issue ``count`` serials for a lot synchronously (the task body without the queue)."""

    def _issue(lot, count=3):
        job = IssuanceJob.objects.create(lot=lot, requested=count, created_by=office_user)
        services.run_issuance(job.pk)
        return list(Item.objects.filter(lot=lot).order_by("pk"))

    return _issue


@pytest.fixture
def item(lot, issue):
    return issue(lot, 1)[0]


@pytest.fixture
def label_sheet(lot, issue, producer_user, django_capture_on_commit_callbacks):
    """A label sheet (PDF, a private file) of the producer's lot, asked for on the portal, built at once."""
    issue(lot, 2)
    with django_capture_on_commit_callbacks(execute=False):
        job = services.start_producer_label_sheet(lot=lot, actor=producer_user)
    return services.run_label_sheet(job.pk)


@pytest.fixture
def trace_staff(django_user_model):
    """A staff user holding the given traceability permissions (codenames): province staff who see every lot, or,
    given ``producer``, a producer's account (which sees only that producer's rows)."""

    def _staff(*codenames, username="tracer", producer=None):
        user = django_user_model.objects.create_user(username, password="pw-tracer-123", is_staff=True)
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label="traceability", codename__in=codenames)
        )
        if producer is None:
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label="catalog", codename="view_all_records")
            )
        else:
            Membership.objects.create(user=user, producer=producer)
        return user

    return _staff


@pytest.fixture
def scan_queue(settings):
    """An empty scan queue (Redis list) for this test; scans are pushed at once (no buffering)."""
    settings.TRACEABILITY_SCAN_BUFFER = 1
    scans._buffer.clear()  # scans buffered by earlier tests
    client = scans._queue_client()
    client.delete(scans.SCAN_QUEUE_KEY, scans.SCAN_DROPPED_KEY)
    yield client
    client.delete(scans.SCAN_QUEUE_KEY, scans.SCAN_DROPPED_KEY)
