"""The producers' lot pages: own lots only (another producer's lot, job or code is a 404 by URL), validated lots,
serial issuance within the lot's quantity, label sheets and QR downloads."""

import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.querysets import local_today
from traceability import services
from traceability.models import IssuanceJob, LabelSheetJob, Lot


@pytest.fixture
def others_lot(other_product, commune, office_user, issue):
    lot = services.create_lot(
        product=other_product,
        number="MO-01",
        produced_on=datetime.date(2026, 10, 1),
        quantity=10,
        origin_commune=commune,
        actor=office_user,
    )
    issue(lot, 2)
    return lot


@pytest.fixture
def queued(monkeypatch):
    """Jobs queued to Celery (after commit) are collected instead of sent."""
    sent = []
    monkeypatch.setattr("traceability.services.lots._queue", lambda name, *args: sent.append((name, *args)))
    return sent


def lot_form(product, **overrides):
    data = {
        "product": product.pk,
        "number": "CF-2026-01",
        "produced_on": "2026-11-20",
        "expires_on": "2027-11-20",
        "quantity": "500",
        "origin_commune": product.producer.commune_id,
        "notes": "Arabica, Cầu Đất",
    }
    data.update(overrides)
    return data


def test_a_producer_creates_a_lot_for_its_product_and_sees_it_listed(client, producer_user, product):
    client.force_login(producer_user)

    response = client.post("/portal/lots/", lot_form(product))

    lot = Lot.objects.get(product=product, number="CF-2026-01")
    assert response.status_code == 302 and response["Location"] == f"/portal/lots/{lot.pk}/"
    assert (lot.quantity, lot.produced_on, lot.origin_commune) == (
        500,
        datetime.date(2026, 11, 20),
        product.producer.commune,
    )
    listing = client.get("/portal/lots/").content.decode()
    assert "CF-2026-01" in listing and product.name_vi in listing


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"produced_on": (local_today() + datetime.timedelta(days=1)).isoformat(), "expires_on": ""}, "produced_on"),
        ({"expires_on": "2026-01-01"}, "expires_on"),
        ({"quantity": "0"}, "quantity"),
        ({"number": "lot with spaces"}, "number"),
    ],
)
def test_a_lot_with_invalid_dates_quantity_or_number_is_refused_and_nothing_is_created(
    client,
    producer_user,
    product,
    overrides,
    field,
):
    client.force_login(producer_user)

    response = client.post("/portal/lots/", lot_form(product, **overrides))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Lot.objects.exists()


def test_a_producer_cannot_create_a_lot_for_another_producers_product(client, producer_user, other_product):
    client.force_login(producer_user)

    response = client.post("/portal/lots/", lot_form(other_product))

    assert response.context["form"].errors["product"]
    assert not Lot.objects.exists()


def test_a_duplicate_lot_number_for_the_same_product_is_refused(client, producer_user, product, lot):
    client.force_login(producer_user)

    response = client.post("/portal/lots/", lot_form(product, number=lot.number.lower()))

    assert response.context["form"].errors["number"]
    assert Lot.objects.count() == 1


def test_a_producer_never_reaches_another_producers_lot_jobs_or_codes(
    client,
    producer_user,
    others_lot,
    office_user,
    queued,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    job = IssuanceJob.objects.get(lot=others_lot)
    label_job = services.run_label_sheet(services.start_label_sheet(lot=others_lot, actor=office_user).pk)
    serial = others_lot.items.first().serial
    client.force_login(producer_user)

    with django_capture_on_commit_callbacks(execute=True):
        for path in (
            f"/portal/lots/{others_lot.pk}/",
            f"/portal/lots/{others_lot.pk}/qr.zip",
            f"/portal/lots/issuance/{job.pk}/",
            f"/portal/lots/labels/{label_job.pk}/download/",
            f"/portal/lots/items/{serial}/qr.svg",
            f"/portal/lots/items/{serial}/qr.png",
        ):
            assert client.get(path).status_code == 404, path
        assert client.post(f"/portal/lots/{others_lot.pk}/issuance/", {"count": "1"}).status_code == 404
        assert client.post(f"/portal/lots/{others_lot.pk}/labels/").status_code == 404
    assert "MO-01" not in client.get("/portal/lots/").content.decode()
    assert IssuanceJob.objects.filter(lot=others_lot).count() == 1
    assert LabelSheetJob.objects.filter(lot=others_lot).count() == 1
    assert queued == []


def test_the_lot_pages_need_a_producer_account(client, office_user, lot):
    assert client.get("/portal/lots/")["Location"].startswith("/portal/applications/login/")
    client.force_login(office_user)
    assert client.get(f"/portal/lots/{lot.pk}/").status_code == 403


def test_serial_issuance_is_queued_after_commit_and_its_progress_shown(
    client,
    producer_user,
    lot,
    queued,
    django_capture_on_commit_callbacks,
):
    client.force_login(producer_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portal/lots/{lot.pk}/issuance/", {"count": "3"})

    job = IssuanceJob.objects.get(lot=lot)
    assert queued == [("issue_serials", job.pk)]
    pending = client.get(f"/portal/lots/{lot.pk}/").content.decode()
    assert "0/3" in pending and 'id="busy"' in pending
    services.run_issuance(job.pk)  # what the worker does
    assert client.get(f"/portal/lots/issuance/{job.pk}/").json() == {
        "id": job.pk,
        "status": "done",
        "issued": 3,
        "requested": 3,
        "progress": 1.0,
    }
    done = client.get(f"/portal/lots/{lot.pk}/").content.decode()
    assert "3/3" in done and 'id="busy"' not in done
    assert lot.items.count() == 3


def test_serials_beyond_the_lots_quantity_are_refused(client, producer_user, lot, queued, issue):
    issue(lot, 98)
    client.force_login(producer_user)

    response = client.post(f"/portal/lots/{lot.pk}/issuance/", {"count": "3"}, follow=True)

    assert "ask for 1 to 2" in response.content.decode()
    assert IssuanceJob.objects.filter(lot=lot).count() == 1
    assert queued == []


def test_a_producer_downloads_its_label_sheet_and_qr_codes(
    client, producer_user, lot, issue, queued, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    items = issue(lot, 2)
    client.force_login(producer_user)

    client.post(f"/portal/lots/{lot.pk}/labels/")
    job = LabelSheetJob.objects.get(lot=lot)
    refused = client.post(f"/portal/lots/{lot.pk}/labels/", follow=True).content.decode()
    services.run_label_sheet(job.pk)
    pdf = client.get(f"/portal/lots/labels/{job.pk}/download/")
    svg = client.get(f"/portal/lots/items/{items[0].serial}/qr.svg")
    png = client.get(f"/portal/lots/items/{items[0].serial}/qr.png?ec=H")
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/portal/lots/{lot.pk}/qr.zip").content))

    assert "already being prepared" in refused and LabelSheetJob.objects.filter(lot=lot).count() == 1
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert svg["Content-Type"] == "image/svg+xml" and f"/21/{items[0].serial}" in svg.content.decode()
    assert png.content.startswith(b"\x89PNG")
    assert sorted(archive.namelist()) == sorted([f"{item.serial}.svg" for item in items] + ["serials.csv"])
    assert items[1].serial in archive.read("serials.csv").decode()


def test_the_lot_list_costs_the_same_queries_however_many_lots(client, producer_user, product, office_user):
    def make_lots(start, count):
        for n in range(start, start + count):
            services.create_lot(
                product=product, number=f"L-{n}", produced_on=datetime.date(2026, 11, 1), quantity=10, actor=office_user
            )

    client.force_login(producer_user)
    make_lots(0, 1)
    with CaptureQueriesContext(connection) as few:
        one = client.get("/portal/lots/")
    make_lots(1, 6)
    with CaptureQueriesContext(connection) as many:
        seven = client.get("/portal/lots/")

    assert one.status_code == seven.status_code == 200
    assert all(f"L-{n}" in seven.content.decode() for n in range(7))  # every lot listed…
    assert len(many) == len(few)  # …for the same number of queries


def test_a_lot_too_large_for_a_zip_is_sent_to_the_label_sheet(client, producer_user, lot, issue, monkeypatch):
    monkeypatch.setattr("storefront.portal.lots.MAX_QR_ZIP", 1)
    issue(lot, 2)
    client.force_login(producer_user)

    response = client.get(f"/portal/lots/{lot.pk}/qr.zip", follow=True)

    assert response["Content-Type"].startswith("text/html")
    assert "print them from the label sheet" in response.content.decode()
