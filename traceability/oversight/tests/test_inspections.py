"""Producer inspections: the checklist as data, evidence, corrections with deadlines that turn overdue."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.querysets import local_today
from traceability.oversight import services
from traceability.oversight.models import ChecklistItem, Correction, Inspection, InspectionPlan
from traceability.oversight.tests.fixtures import png_bytes

pytestmark = pytest.mark.django_db


def test_the_office_records_an_inspection_with_its_checklist(client, office_user, producer, product):
    client.force_login(office_user)
    items = list(ChecklistItem.objects.all())
    assert {item.area for item in items} == {"production", "quality", "labelling", "ocop_mark"}
    form = {
        "producer": producer.pk,
        "products": [product.pk],
        "kind": "planned",
        "inspected_on": "2026-11-10",
        "team": "Nguyễn Văn A (VP OCOP)\nTrần Thị B (Sở NN)",
        "findings": "Nhãn thiếu hạn dùng",
        "outcome": "corrections",
    }
    form.update({f"check_{item.code}": "pass" for item in items})
    form["check_L1"], form["note_L1"] = "fail", "Thiếu hạn sử dụng"

    response = client.post("/oversight/inspections/new/", form)

    inspection = Inspection.objects.get()
    assert response["Location"] == f"/oversight/inspections/{inspection.pk}/"
    assert inspection.checks.count() == len(items)
    assert inspection.checks.get(item__code="L1").note == "Thiếu hạn sử dụng"
    assert list(inspection.products.all()) == [product]


def test_an_inspection_missing_a_checklist_answer_is_refused(client, office_user, producer):
    client.force_login(office_user)

    response = client.post(
        "/oversight/inspections/new/",
        {
            "producer": producer.pk,
            "kind": "planned",
            "inspected_on": "2026-11-10",
            "team": "A",
            "outcome": "passed",
        },
    )

    assert response.status_code == 200 and not Inspection.objects.exists()


def test_a_correction_past_its_deadline_without_completion_shows_as_overdue(client, office_user, inspect, producer):
    # given corrections: one past due and open, one past due but completed, one due today
    today = local_today()
    inspection = inspect(producer, outcome="corrections", on=today - datetime.timedelta(days=40))
    late = services.require_correction(
        inspection=inspection, description="Sửa nhãn", due_on=today - datetime.timedelta(days=1), actor=office_user
    )
    done = services.require_correction(
        inspection=inspection, description="Vệ sinh xưởng", due_on=today - datetime.timedelta(days=5), actor=office_user
    )
    done = services.record_follow_up(
        correction=done, follow_up="Đã khắc phục", completed_on=today - datetime.timedelta(days=6), actor=office_user
    )
    due_today = services.require_correction(
        inspection=inspection, description="Kiểm nghiệm lại", due_on=today, actor=office_user
    )

    # then only the open one past its deadline is overdue — from the dates, without any job having run
    assert list(Correction.objects.overdue()) == [late]
    assert late.is_overdue() and not done.is_overdue() and not due_today.is_overdue()
    # and tomorrow the one due today is overdue too
    assert set(Correction.objects.overdue(today + datetime.timedelta(days=1))) == {late, due_today}
    client.force_login(office_user)
    page = client.get(f"/oversight/inspections/{inspection.pk}/").content.decode()
    assert page.count("data-overdue") == 1
    figures = client.get("/oversight/").context["figures"]
    assert figures["corrections_overdue"] == 1


def test_completing_a_late_correction_clears_the_overdue_mark(client, office_user, inspect, producer):
    today = local_today()
    inspection = inspect(producer, outcome="corrections", on=today - datetime.timedelta(days=30))
    late = services.require_correction(
        inspection=inspection, description="Sửa nhãn", due_on=today - datetime.timedelta(days=3), actor=office_user
    )
    client.force_login(office_user)

    client.post(
        f"/oversight/inspections/{inspection.pk}/",
        {
            "action": "follow_up",
            "correction": late.pk,
            f"c{late.pk}-follow_up": "Đã in nhãn mới",
            f"c{late.pk}-completed_on": today.isoformat(),
        },
    )

    late.refresh_from_db()
    assert late.completed_on == today and "Đã in nhãn mới" in late.follow_up
    assert not Correction.objects.overdue().exists()


def test_evidence_files_are_sniffed_and_stored(client, office_user, inspect, producer):
    inspection = inspect(producer)
    client.force_login(office_user)

    client.post(
        f"/oversight/inspections/{inspection.pk}/",
        {"action": "evidence", "file": SimpleUploadedFile("anh.png", png_bytes()), "description": "Xưởng"},
    )
    refused = client.post(
        f"/oversight/inspections/{inspection.pk}/",
        {"action": "evidence", "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")},
    )

    evidence = inspection.evidence.get()
    assert evidence.content_type == "image/png" and evidence.original_name == "anh.png"
    assert refused.status_code == 200 and refused.context["forms"]["evidence"].errors
    download = client.get(f"/oversight/evidence/{evidence.pk}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == png_bytes()


def test_province_figures_count_inspections_against_the_plan_reports_and_revocations(
    client, office_user, inspect, producer, stored_report
):
    InspectionPlan.objects.create(year=2026, planned_inspections=4)
    inspect(producer, on=datetime.date(2026, 3, 1))
    inspect(producer, on=datetime.date(2026, 6, 1), outcome="failed")
    inspect(producer, on=datetime.date(2026, 7, 1), kind="unplanned")
    inspect(producer, on=datetime.date(2025, 7, 1))
    stored_report(kind="quality")
    dismissed = stored_report(kind="counterfeit")
    services.change_status(report=dismissed, status="dismissed", actor=office_user)
    client.force_login(office_user)

    figures = client.get("/oversight/?year=2026").context["figures"]

    assert (figures["planned_done"], figures["planned_target"], figures["planned_share"]) == (2, 4, 50)
    assert figures["unplanned_done"] == 1 and figures["inspections_failed"] == 1
    rows = {row["kind"]: row for row in figures["reports_by_type"]}
    assert rows["Quality problem"]["new"] == 1 and rows["Suspected counterfeit"]["dismissed"] == 1
