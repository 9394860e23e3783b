"""From a confirmed report or a failed inspection to a revocation that delists the product everywhere."""

import datetime

import pytest

from catalog import events
from catalog import permissions as roles
from catalog.models import Certificate, Product
from ocop.outbox.models import OutboxEvent
from traceability.oversight.models import Report, RevocationProposal

pytestmark = pytest.mark.django_db

DECISION = {
    "number": "99/QĐ-UBND-THUHOI",
    "signed_on": "2026-11-20",
    "authority_level": "province",
    "authority_name": "UBND tỉnh Đắk Lắk",
}


def _confirm(client, report):
    for status in ("investigating", "confirmed"):
        client.post(f"/oversight/reports/{report.pk}/", {"action": "status", "status": status})


def test_a_confirmed_report_leads_to_a_revocation_that_delists_the_product_through_the_registry_event(
    client, office_user, send_report, certified_product
):
    # given a consumer's counterfeit report from the product page, confirmed by the office
    send_report({"product": str(certified_product.pk), "kind": "counterfeit"})
    report = Report.objects.get()
    client.force_login(office_user)
    _confirm(client, report)
    assert certified_product.is_listable()

    # when the office proposes a revocation and a reviewer approves it
    proposed = client.post(
        f"/oversight/reports/{report.pk}/",
        {
            "action": "propose",
            "reason": "Hàng giả được xác nhận",
            "authority_level": "province",
            "authority_name": "UBND tỉnh Đắk Lắk",
        },
    )
    proposal = RevocationProposal.objects.get()
    assert proposed["Location"] == f"/oversight/proposals/{proposal.pk}/"
    approved = client.post(f"/oversight/proposals/{proposal.pk}/", {"verdict": "approve", **DECISION})

    # then the certificate is revoked by a registry decision and the product is no longer listable
    assert approved.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == RevocationProposal.Status.APPROVED
    certificate = Certificate.objects.get(product=certified_product)
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revocation == proposal.decision
    assert proposal.decision.number == DECISION["number"] and proposal.decision.reason == "Hàng giả được xác nhận"
    assert not Product.objects.listable().filter(pk=certified_product.pk).exists()
    certified_product.refresh_from_db()
    assert not certified_product.is_listable()
    # and the registry's event carries the delisting to every subscriber
    event = OutboxEvent.objects.filter(topic=events.CERTIFICATE_STATUS_CHANGED, key=str(certified_product.pk)).last()
    assert event.payload["listable"] is False and event.payload["status"] == "revoked"


def test_a_failed_inspection_can_start_a_revocation(client, office_user, inspect, certified_product):
    inspection = inspect(certified_product.producer, outcome="failed")
    client.force_login(office_user)

    client.post(
        f"/oversight/inspections/{inspection.pk}/",
        {
            "action": "propose",
            "product": certified_product.pk,
            "reason": "Không duy trì điều kiện sản xuất",
            "authority_level": "province",
        },
    )

    proposal = RevocationProposal.objects.get()
    assert proposal.cause == RevocationProposal.Cause.FAILED_INSPECTION and proposal.inspection == inspection


def test_a_report_not_confirmed_cannot_start_a_revocation(client, office_user, stored_report, certified_product):
    report = stored_report(product=certified_product)
    client.force_login(office_user)

    response = client.post(
        f"/oversight/reports/{report.pk}/", {"action": "propose", "reason": "x", "authority_level": "province"}
    )

    assert response.status_code == 200 and not RevocationProposal.objects.exists()


def test_a_reviewer_without_the_decision_permission_cannot_approve(
    client, office_user, member, stored_report, certified_product
):
    from traceability.oversight import services

    report = stored_report(product=certified_product)
    services.change_status(report=report, status="investigating", actor=office_user)
    report = services.change_status(report=report, status="confirmed", actor=office_user)
    proposal = services.propose_revocation(
        product=certified_product, report=report, reason="Hàng giả", actor=office_user
    )
    viewer = member("dit", roles.DEPARTMENT_OF_INDUSTRY_AND_TRADE)
    client.force_login(viewer)

    response = client.post(f"/oversight/proposals/{proposal.pk}/", {"verdict": "approve", **DECISION})

    assert response.status_code == 403
    assert Certificate.objects.get(product=certified_product).status == Certificate.Status.ACTIVE


def test_a_refused_decision_changes_nothing_and_a_rejection_keeps_the_certificate(
    client, office_user, stored_report, certified_product
):
    from traceability.oversight import services

    report = stored_report(product=certified_product)
    services.change_status(report=report, status="investigating", actor=office_user)
    report = services.change_status(report=report, status="confirmed", actor=office_user)
    proposal = services.propose_revocation(
        product=certified_product, report=report, reason="Hàng giả", actor=office_user
    )
    client.force_login(office_user)

    future = client.post(
        f"/oversight/proposals/{proposal.pk}/", {"verdict": "approve", **DECISION, "signed_on": "2099-01-01"}
    )
    rejected = client.post(
        f"/oversight/proposals/{proposal.pk}/",
        {"verdict": "reject", "authority_level": "province", "note": "Chưa đủ căn cứ"},
    )

    assert future.status_code == 200 and future.context["form"].errors
    assert rejected.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == RevocationProposal.Status.REJECTED and proposal.decision is None
    assert Certificate.objects.get(product=certified_product).status == Certificate.Status.ACTIVE
    assert certified_product.is_listable(datetime.date(2026, 11, 30))
