import pytest

from tests.worker import wait_until
from traceability.models import EpcisEvent, IssuanceJob, Item


def test_issuing_serials_needs_the_permission(client, lot, trace_staff):
    client.force_login(trace_staff("view_issuancejob"))

    response = client.post(f"/trace/lots/{lot.pk}/issuance", {"count": "10"})

    assert response.status_code == 403
    assert not IssuanceJob.objects.exists()


def test_anonymous_cannot_see_progress(client, lot):
    job = IssuanceJob.objects.create(lot=lot, requested=5)

    assert client.get(f"/trace/issuance/{job.pk}").status_code == 401


def test_request_is_refused_outside_limits(client, lot, trace_staff):
    client.force_login(trace_staff("add_issuancejob"))

    response = client.post(f"/trace/lots/{lot.pk}/issuance", {"count": "0"})

    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "too_many"


def test_issuance_in_batches_records_progress_and_commissioning(lot, office_user, settings, issue):
    settings.TRACEABILITY_ISSUANCE_BATCH = 4

    items = issue(lot, 10)

    job = IssuanceJob.objects.get()
    assert (job.status, job.issued, len({i.serial for i in items})) == ("done", 10, 10)
    commissioning = EpcisEvent.objects.filter(biz_step="commissioning")
    assert commissioning.count() == 3  # batches of 4, 4, 2
    assert sum(len(e.document["epcList"]) for e in commissioning) == 10


def test_rerunning_a_finished_job_issues_nothing_more(lot, issue):
    from traceability import services

    issue(lot, 5)
    services.run_issuance(IssuanceJob.objects.get().pk)

    assert Item.objects.count() == 5


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_issues_thousands_of_serials_with_visible_progress(
    celery_worker_process, client, lot, trace_staff, settings
):
    client.force_login(trace_staff("add_issuancejob", "view_issuancejob"))

    started = client.post(f"/trace/lots/{lot.pk}/issuance", {"count": "3000"})
    progress_url = started.json()["url"]
    final = wait_until(lambda: (d := client.get(progress_url).json())["status"] in ("done", "failed") and d, timeout=60)

    assert started.status_code == 202
    assert final["status"] == "done" and final["issued"] == 3000 and final["progress"] == 1.0
    assert Item.objects.filter(lot=lot).values("serial").distinct().count() == 3000
