"""Roles at object level, checked by URL: communes see their own producers, producers their own records,
and reporters' contact details stay with the OCOP office."""

import pytest
from django.utils import timezone

from catalog import permissions as roles
from traceability.models import SerialFlag
from traceability.oversight import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_inspections(inspect, producer, other_producer, office_user):
    mine = inspect(producer, outcome="corrections")
    services.require_correction(inspection=mine, description="Sửa nhãn", due_on=timezone.localdate(), actor=office_user)
    return mine, inspect(other_producer)


def test_a_commune_officer_sees_only_inspections_of_producers_in_their_commune(
    client, member, commune, two_inspections
):
    mine, theirs = two_inspections
    client.force_login(member("xa", roles.COMMUNE_OFFICER, commune=commune))

    assert client.get(f"/oversight/inspections/{mine.pk}/").status_code == 200
    assert client.get(f"/oversight/inspections/{theirs.pk}/").status_code == 404
    listed = list(client.get("/oversight/inspections/").context["inspections"])
    assert listed == [mine]
    assert client.post(f"/oversight/inspections/{mine.pk}/", {"action": "correction"}).status_code == 403


def test_a_producer_sees_its_own_inspections_and_corrections_but_not_others(client, member, producer, two_inspections):
    mine, theirs = two_inspections
    client.force_login(member("htx", roles.PRODUCER, producer=producer))

    own = client.get(f"/oversight/inspections/{mine.pk}/")

    assert own.status_code == 200 and "Sửa nhãn" in own.content.decode()
    assert client.get(f"/oversight/inspections/{theirs.pk}/").status_code == 404


def test_a_producer_never_sees_reporters_contact_details(client, member, producer, product, stored_report):
    report = stored_report(product=product, email="nguoi.bao@example.vn", phone="0912345678", text="Nội dung riêng tư")
    client.force_login(member("htx", roles.PRODUCER, producer=producer))

    history = client.get(f"/oversight/products/{product.pk}/")

    assert history.status_code == 200
    page = history.content.decode()
    assert report.reference in page
    assert "nguoi.bao@example.vn" not in page and "0912345678" not in page and "Nội dung riêng tư" not in page
    assert client.get(f"/oversight/reports/{report.pk}/").status_code == 403
    assert client.get(f"/oversight/reports/{report.pk}/photo").status_code == 403


def test_the_office_sees_the_contact_details(client, office_user, stored_report):
    report = stored_report(email="nguoi.bao@example.vn")
    client.force_login(office_user)

    assert "nguoi.bao@example.vn" in client.get(f"/oversight/reports/{report.pk}/").content.decode()


def test_product_pages_are_scoped(client, member, commune, product, other_product):
    client.force_login(member("xa", roles.COMMUNE_OFFICER, commune=commune))

    assert client.get(f"/oversight/products/{product.pk}/").status_code == 200
    assert client.get(f"/oversight/products/{other_product.pk}/").status_code == 404


def test_province_figures_are_for_province_wide_roles_only(client, member, commune, office_user):
    client.force_login(member("xa", roles.COMMUNE_OFFICER, commune=commune))
    assert client.get("/oversight/").status_code == 403
    client.force_login(member("sct", roles.DEPARTMENT_OF_INDUSTRY_AND_TRADE))
    assert client.get("/oversight/").status_code == 200


def test_the_product_page_tells_its_whole_history_in_time_order(
    client, office_user, certified_product, item, stored_report, inspect
):
    # given a certified product with an inspection, a confirmed counterfeit report and a scan flag
    inspect(certified_product.producer)
    report = stored_report(product=certified_product)
    services.change_status(report=report, status="investigating", actor=office_user)
    services.change_status(report=report, status="confirmed", actor=office_user)
    SerialFlag.objects.create(item=item, reason=SerialFlag.Reason.FAR_APART, detail="BMT — Hà Nội, 40 phút")
    client.force_login(office_user)

    page = client.get(f"/oversight/products/{certified_product.pk}/")

    entries = page.context["entries"]
    kinds = [entry.kind for entry in entries]
    assert {"certificate", "listing", "inspection", "report", "scan_flag"} <= set(kinds)
    assert [entry.at for entry in entries] == sorted(entry.at for entry in entries)
    signals = page.context["signals"]
    assert (signals.confirmed_counterfeit, signals.scan_flags) == (1, 1)
    dashboard = client.get("/oversight/").context["signals"]
    assert [(p.pk, s.confirmed_counterfeit, s.scan_flags) for p, s in dashboard] == [(certified_product.pk, 1, 1)]
