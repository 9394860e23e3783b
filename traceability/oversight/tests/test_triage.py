"""The OCOP office triages reports: statuses, assignment, answers to the reporter, an append-only history."""

import pytest
from django.db import DatabaseError, transaction

from catalog import permissions as roles
from catalog.tests.fixtures import sent_mail
from traceability.oversight.models import Report, ReportEvent

pytestmark = pytest.mark.django_db


def test_the_office_moves_a_report_through_its_statuses_and_each_step_is_in_the_history(
    client, office_user, stored_report, product
):
    report = stored_report(product=product)
    client.force_login(office_user)

    for status in ("investigating", "confirmed"):
        response = client.post(f"/oversight/reports/{report.pk}/", {"action": "status", "status": status, "note": "ok"})
        assert response.status_code == 302

    report.refresh_from_db()
    assert report.status == Report.Status.CONFIRMED
    steps = [(e.action, e.from_status, e.to_status) for e in report.events.all()]
    assert steps == [
        ("received", "", "new"),
        ("status", "new", "investigating"),
        ("status", "investigating", "confirmed"),
    ]
    assert report.events.last().actor == office_user


def test_a_new_report_cannot_jump_to_confirmed(client, office_user, stored_report):
    report = stored_report()
    client.force_login(office_user)

    response = client.post(f"/oversight/reports/{report.pk}/", {"action": "status", "status": "confirmed"})

    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == Report.Status.NEW


def test_a_report_is_assigned_to_a_member_of_the_office(client, office_user, member, stored_report):
    colleague = member("colleague", roles.OCOP_OFFICE)
    outsider = member("outsider", roles.COMMUNE_OFFICER)
    report = stored_report()
    client.force_login(office_user)

    client.post(f"/oversight/reports/{report.pk}/", {"action": "assign", "assignee": colleague.pk})
    refused = client.post(f"/oversight/reports/{report.pk}/", {"action": "assign", "assignee": outsider.pk})

    report.refresh_from_db()
    assert report.assigned_to == colleague
    assert refused.status_code == 200 and "assignee" in refused.context["forms"]["assign"].errors
    assert report.events.filter(action=ReportEvent.Action.ASSIGNED, assigned_to=colleague).exists()


def test_the_answer_is_emailed_to_the_reporter_in_their_language_after_commit(
    client, office_user, stored_report, mailoutbox, django_capture_on_commit_callbacks
):
    # given a report written in English, answered by staff browsing in Vietnamese
    report = stored_report(email="nguoi.mua@example.vn")
    Report.objects.filter(pk=report.pk).update(language="en")
    client.force_login(office_user)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(
            f"/oversight/reports/{report.pk}/",
            {"action": "answer", "text": "Cảm ơn, chúng tôi đã kiểm tra."},
            HTTP_ACCEPT_LANGUAGE="vi",
        )

    assert len(callbacks) == 1
    assert [m.to for m in sent_mail()] == [["nguoi.mua@example.vn"]]
    assert mailoutbox[0].subject == f"OCOP Đắk Lắk: answer to your report {report.reference}"
    assert mailoutbox[0].body == "Cảm ơn, chúng tôi đã kiểm tra."
    assert report.events.get(action=ReportEvent.Action.ANSWERED).emailed_to == "nguoi.mua@example.vn"


def test_no_email_is_sent_while_the_transaction_is_open(
    client, office_user, stored_report, mailoutbox, django_capture_on_commit_callbacks
):
    report = stored_report(email="a@example.vn")
    client.force_login(office_user)

    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"/oversight/reports/{report.pk}/", {"action": "answer", "text": "Trả lời"})

    assert mailoutbox == []


def test_a_report_without_contact_cannot_be_answered(client, office_user, stored_report, mailoutbox):
    report = stored_report()
    client.force_login(office_user)

    response = client.post(f"/oversight/reports/{report.pk}/", {"action": "answer", "text": "Trả lời"})

    assert response.status_code == 200 and not report.events.filter(action="answered").exists()


def test_the_report_history_cannot_be_rewritten(stored_report):
    event = stored_report().events.get()

    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportEvent.objects.filter(pk=event.pk).update(text="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportEvent.objects.filter(pk=event.pk).delete()


def test_staff_pages_need_a_signed_in_user_with_the_triage_permission(client, member, stored_report):
    report = stored_report()
    producer_user = member("seller", roles.PRODUCER)

    anonymous = client.get(f"/oversight/reports/{report.pk}/")
    client.force_login(producer_user)
    producer = client.get(f"/oversight/reports/{report.pk}/")
    listing = client.get("/oversight/reports/")

    assert anonymous.status_code == 302 and "/portal/applications/login/" in anonymous["Location"]
    assert producer.status_code == listing.status_code == 403


def test_a_mail_server_failure_after_commit_keeps_the_answer_and_the_page_works(
    client, office_user, stored_report, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    report = stored_report(email="a@example.vn")
    client.force_login(office_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/oversight/reports/{report.pk}/", {"action": "answer", "text": "Trả lời"})

    assert response.status_code == 302
    assert report.events.filter(action=ReportEvent.Action.ANSWERED).exists()
