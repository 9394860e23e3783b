"""Bulk work has its own lane and quotas (issue #14): issuance, label sheets, syncs and reconciliations go to the
"bulk" queue, the outbox (which delists revoked products) never does; per-producer quotas refuse a request beyond
the day's serials, too many jobs at once or a label sheet too large, with a message saying what is allowed; the
unsigned /saleor-app/register/ is rate limited."""

import importlib
import json
from pathlib import Path

import pytest
from celery import current_app
from django.core.exceptions import ValidationError

from traceability import services
from traceability.models import IssuanceJob, LabelSheetJob

pytestmark = pytest.mark.django_db

BULK = {
    "traceability.tasks.issue_serials",
    "traceability.tasks.build_label_sheet",
    "traceability.tasks.ingest_scans",
    "storefront.saleor_app.tasks.full_sync",
    "storefront.saleor_app.tasks.reconcile_saleor",
    "storefront.tasks.rebuild_search_index",
    "integrations.channel_sales.tasks.pull_marketplace_orders",
}
URGENT = {
    "ocop.outbox.tasks.drain_outbox",
    "catalog.tasks.record_certificate_expiries",
    "storefront.tasks.index_products",
}


def queue_of(task_name: str) -> str:
    route = current_app.amqp.router.route({}, task_name)
    return route["queue"].name


def test_bulk_work_is_routed_to_its_own_queue_and_the_outbox_never_is():
    assert {name: queue_of(name) for name in BULK} == dict.fromkeys(BULK, "bulk")
    assert {name: queue_of(name) for name in URGENT} == dict.fromkeys(URGENT, "celery")
    # every task module of the platform (as the worker's autodiscovery finds them): each task in one of the lanes
    root = Path(__file__).resolve().parents[2]
    for module in root.glob("*/**/tasks.py"):
        if ".venv" not in module.parts:
            importlib.import_module(".".join(module.relative_to(root).with_suffix("").parts))
    ours = {
        name
        for name in current_app.tasks
        if name.split(".")[0] in ("catalog", "traceability", "storefront", "integrations", "ocop")
    }
    assert ours >= BULK | URGENT
    assert {queue_of(name) for name in ours} == {"bulk", "celery"}


def test_each_task_reaches_only_its_own_lanes_queue_in_the_broker():
    """What a -Q celery worker and a -Q bulk worker would each find in Redis: bulk work only in "bulk", the outbox
    only in "celery"."""
    current_app.control.purge()
    with current_app.connection_for_write() as connection:
        current_app.send_task("traceability.tasks.issue_serials", args=[0], connection=connection)
        current_app.send_task("ocop.outbox.tasks.drain_outbox", connection=connection)
        redis = connection.default_channel.client
        waiting = {queue: redis.lrange(queue, 0, -1) for queue in ("celery", "bulk")}
    current_app.control.purge()

    def names(messages):
        return [json.loads(message)["headers"]["task"] for message in messages]

    assert names(waiting["bulk"]) == ["traceability.tasks.issue_serials"]
    assert names(waiting["celery"]) == ["ocop.outbox.tasks.drain_outbox"]


def test_a_worker_started_without_a_queue_serves_both_lanes():
    """Development and the tests run one worker (no -Q): it must consume the bulk queue too."""
    assert {queue.name for queue in current_app.conf.task_queues} == {"celery", "bulk"}


def test_serials_beyond_the_producers_daily_quota_are_refused_with_what_is_left(lot, office_user, settings):
    settings.TRACEABILITY_QUOTA_SERIALS_PER_DAY = 1000
    settings.TRACEABILITY_QUOTA_PENDING_JOBS = 10
    services.start_issuance(lot=lot, count=700, actor=office_user)

    with pytest.raises(ValidationError) as refused:
        services.start_issuance(lot=lot, count=400, actor=office_user)

    assert refused.value.code == "quota_serials_per_day"
    assert refused.value.messages == [
        "A producer may ask for 1,000 serials a day; 700 were asked for today. Ask for at most 300 now, "
        "or the rest tomorrow."
    ]
    services.start_issuance(lot=lot, count=300, actor=office_user)  # exactly what is left is accepted
    assert IssuanceJob.objects.count() == 2


def test_failed_jobs_do_not_use_up_the_quota(lot, office_user, settings):
    settings.TRACEABILITY_QUOTA_SERIALS_PER_DAY = 1000
    job = services.start_issuance(lot=lot, count=1000, actor=office_user)
    IssuanceJob.objects.filter(pk=job.pk).update(status=IssuanceJob.Status.FAILED)

    services.start_issuance(lot=lot, count=1000, actor=office_user)


def test_too_many_jobs_waiting_at_once_are_refused(lot, office_user, settings):
    settings.TRACEABILITY_QUOTA_PENDING_JOBS = 2
    for _ in range(2):
        services.start_issuance(lot=lot, count=10, actor=office_user)

    with pytest.raises(ValidationError) as refused:
        services.start_issuance(lot=lot, count=10, actor=office_user)

    assert refused.value.code == "quota_pending_jobs"
    assert "2 jobs of this producer are already waiting or running (at most 2 at once)" in refused.value.messages[0]
    IssuanceJob.objects.update(status=IssuanceJob.Status.DONE)
    services.start_issuance(lot=lot, count=10, actor=office_user)  # one done: room again


def test_a_label_sheet_larger_than_the_quota_is_refused(lot, issue, office_user, settings):
    settings.TRACEABILITY_QUOTA_LABEL_SHEET = 4
    issue(lot, 5)

    with pytest.raises(ValidationError) as refused:
        services.start_label_sheet(lot=lot, actor=office_user)

    assert refused.value.code == "label_sheet_too_large"
    assert not LabelSheetJob.objects.exists()


def test_the_quota_message_reaches_the_producer_through_the_api(client, lot, trace_staff, settings):
    settings.TRACEABILITY_QUOTA_SERIALS_PER_DAY = 100
    client.force_login(trace_staff("add_issuancejob"))

    response = client.post(f"/trace/lots/{lot.pk}/issuance", {"count": "101"}, HTTP_ACCEPT_LANGUAGE="vi")

    error = response.json()["errors"][0]
    assert response.status_code == 400 and error["code"] == "quota_serials_per_day"
    assert "100 mã" in error["message"]


def test_the_saleor_app_registration_is_rate_limited_per_client(client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "saleor_app.register": {"client": "3/h"}}
    answers = [
        client.post(
            "/saleor-app/register/", "not json", content_type="application/json", REMOTE_ADDR="203.0.113.40"
        ).status_code
        for _ in range(4)
    ]
    other = client.post(
        "/saleor-app/register/", "not json", content_type="application/json", REMOTE_ADDR="203.0.113.41"
    )

    assert answers == [400, 400, 400, 429] and other.status_code == 400
