"""Certification decisions: validity, supersession, revocation, refusals, audit trail and events."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from catalog import audit, events, services
from catalog.evaluation_path import record_path
from catalog.models import (
    AuditLogEntry,
    Certificate,
    CertificationDecision,
    Level,
    PreAssessment,
    Product,
)
from catalog.querysets import local_today
from ocop.outbox.models import OutboxEvent

pytestmark = pytest.mark.django_db


def issue(product, *, stars, level, signed_on, number="100/QĐ-UBND", actor=None, evaluation=None):
    """Issue a decision; without an explicit evaluation, first record the evaluations it rests on."""
    if evaluation is None and signed_on <= local_today():
        record_path(product, stars=stars, on=signed_on, level=level, actor=actor)
    return services.issue_certification(
        number=number,
        signed_on=signed_on,
        authority_level=level,
        authority_name="UBND",
        awards=[services.Award(product=product, stars=stars, evaluation=evaluation)],
        actor=actor,
    )


def test_validity_boundary_day_in_the_listing_rule(product, office_user):
    """Signed 05/12/2023, 36 months from signing: valid through 05/12/2026 (Civil Code Art. 147–148)."""
    issue(product, stars=3, level=Level.DISTRICT, signed_on=datetime.date(2023, 12, 5), actor=office_user)
    product.refresh_from_db()
    assert product.certified_until == datetime.date(2026, 12, 5)
    assert product.is_listable(datetime.date(2026, 12, 5))
    assert Product.objects.listable(datetime.date(2026, 12, 5)).filter(pk=product.pk).exists()
    assert not product.is_listable(datetime.date(2026, 12, 6))
    assert not Product.objects.listable(datetime.date(2026, 12, 6)).filter(pk=product.pk).exists()


def test_148_district_may_not_issue_4_stars(product, office_user):
    with pytest.raises(ValidationError) as refused:
        issue(product, stars=4, level=Level.DISTRICT, signed_on=datetime.date(2024, 3, 1), actor=office_user)
    error = refused.value.error_dict["authority_level"][0]
    assert error.code == "authority_not_allowed"
    assert "Province" in error.message % error.params
    assert not CertificationDecision.objects.exists()


def test_1489_refuses_a_district_decision_after_districts_were_abolished(product, office_user):
    with pytest.raises(ValidationError) as refused:
        issue(product, stars=3, level=Level.DISTRICT, signed_on=datetime.date(2025, 8, 1), actor=office_user)
    assert refused.value.error_dict["authority_level"][0].code == "authority_not_allowed"


def test_1489_province_certifies_3_and_4_stars_but_not_5(product, other_product, office_user):
    issue(product, stars=3, level=Level.PROVINCE, signed_on=datetime.date(2025, 8, 1), actor=office_user)
    issue(
        other_product,
        stars=4,
        level=Level.PROVINCE,
        signed_on=datetime.date(2025, 8, 1),
        number="2/QĐ",
        actor=office_user,
    )
    with pytest.raises(ValidationError):
        issue(
            product,
            stars=5,
            level=Level.PROVINCE,
            signed_on=datetime.date(2025, 9, 1),
            number="3/QĐ",
            actor=office_user,
        )


def test_a_2_star_certificate_is_refused(product, office_user):
    with pytest.raises(ValidationError) as refused:
        issue(product, stars=2, level=Level.PROVINCE, signed_on=datetime.date(2025, 8, 1), actor=office_user)
    assert refused.value.error_dict["stars"][0].code == "stars_not_certifiable"


def test_a_decision_dated_in_the_future_or_duplicated_is_refused(product, office_user):
    with pytest.raises(ValidationError) as refused:
        issue(
            product,
            stars=4,
            level=Level.PROVINCE,
            actor=office_user,
            signed_on=datetime.date.today() + datetime.timedelta(days=1),
        )
    assert refused.value.error_dict["signed_on"][0].code == "future_date"
    issue(product, stars=4, level=Level.PROVINCE, signed_on=datetime.date(2025, 8, 1), actor=office_user)
    with pytest.raises(ValidationError) as refused:
        issue(product, stars=4, level=Level.PROVINCE, signed_on=datetime.date(2025, 8, 1), actor=office_user)
    assert refused.value.error_dict["number"][0].code == "duplicate_decision"


def test_certifying_more_stars_than_the_evaluation_scored_is_refused(product, office_user):
    services.record_pre_assessment(
        product=product,
        assessed_on=datetime.date(2025, 7, 20),
        actor=office_user,
        criteria=dict.fromkeys(PreAssessment.CRITERIA, True),
    )
    evaluation = services.record_evaluation(
        product=product,
        level=Level.PROVINCE,
        evaluated_on=datetime.date(2025, 8, 1),
        score_a=25,
        score_b=15,
        score_c=20,
        actor=office_user,
    )
    assert evaluation.stars == 3
    with pytest.raises(ValidationError) as refused:
        issue(
            product,
            stars=4,
            level=Level.PROVINCE,
            signed_on=datetime.date(2025, 8, 2),
            actor=office_user,
            evaluation=evaluation,
        )
    assert refused.value.code == "stars_not_supported_by_evaluation"


def test_an_upgrade_supersedes_the_old_certificate(product, office_user):
    old = issue(
        product, stars=4, level=Level.PROVINCE, signed_on=datetime.date(2023, 12, 5), number="1/QĐ", actor=office_user
    ).certificates.get()
    new = issue(
        product,
        stars=5,
        level=Level.CENTRAL,
        signed_on=datetime.date(2025, 1, 17),
        number="377/QĐ-BNN-VPĐP",
        actor=office_user,
    ).certificates.get()
    old.refresh_from_db()
    product.refresh_from_db()
    assert old.status == Certificate.Status.SUPERSEDED and old.superseded_by == new
    assert product.current_certificate == new
    assert (product.certified_stars, product.certified_until) == (5, datetime.date(2028, 1, 17))


def test_an_older_decision_recorded_later_is_kept_as_history(product, office_user):
    newer = issue(
        product, stars=4, level=Level.PROVINCE, signed_on=datetime.date(2025, 9, 1), number="2/QĐ", actor=office_user
    ).certificates.get()
    older = issue(
        product, stars=3, level=Level.DISTRICT, signed_on=datetime.date(2024, 1, 10), number="1/QĐ", actor=office_user
    ).certificates.get()
    product.refresh_from_db()
    assert older.status == Certificate.Status.SUPERSEDED and older.superseded_by == newer
    assert product.current_certificate == newer


def test_revocation_delists_at_once_emits_the_event_and_is_audited(certified_product, office_user):
    certificate = certified_product.current_certificate
    assert Product.objects.listable().filter(pk=certified_product.pk).exists()

    decision = services.revoke_certificates(
        number="1876/QĐ-UBND",
        signed_on=datetime.date(2026, 8, 12),
        authority_level=Level.PROVINCE,
        authority_name="UBND tỉnh Đắk Lắk",
        reason="Vi phạm chất lượng",
        certificates=[certificate],
        actor=office_user,
    )

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED and certificate.revocation == decision
    assert not Product.objects.listable().filter(pk=certified_product.pk).exists()
    event = OutboxEvent.objects.filter(topic=events.CERTIFICATE_STATUS_CHANGED).latest("created_at")
    assert event.payload["status"] == "revoked" and event.payload["listable"] is False
    entry = audit.history_of(certificate).get(action="certificate.revoked")
    assert entry.actor == office_user
    assert (entry.before["status"], entry.after["status"]) == ("active", "revoked")


def test_revocation_needs_a_reason_and_an_active_certificate(certified_product, office_user):
    certificate = certified_product.current_certificate
    header = {
        "signed_on": datetime.date(2026, 8, 12),
        "authority_level": Level.PROVINCE,
        "authority_name": "UBND",
        "actor": office_user,
    }
    with pytest.raises(ValidationError) as refused:
        services.revoke_certificates(number="9/QĐ", reason=" ", certificates=[certificate], **header)
    assert "reason" in refused.value.error_dict
    services.revoke_certificates(number="9/QĐ", reason="Hết điều kiện", certificates=[certificate], **header)
    with pytest.raises(ValidationError) as refused:
        services.revoke_certificates(number="10/QĐ", reason="Lần hai", certificates=[certificate], **header)
    assert refused.value.code == "not_revocable"


def test_a_refused_decision_changes_nothing(product, other_product, office_user):
    counts = (
        CertificationDecision.objects.count(),
        Certificate.objects.count(),
        AuditLogEntry.objects.count(),
        OutboxEvent.objects.count(),
    )
    with pytest.raises(ValidationError):
        services.issue_certification(
            number="7/QĐ",
            signed_on=datetime.date(2025, 8, 1),
            authority_level=Level.PROVINCE,
            authority_name="UBND",
            actor=office_user,
            awards=[services.Award(product=product, stars=4), services.Award(product=other_product, stars=5)],
        )
    assert counts == (
        CertificationDecision.objects.count(),
        Certificate.objects.count(),
        AuditLogEntry.objects.count(),
        OutboxEvent.objects.count(),
    )


def test_every_certification_change_is_in_the_audit_trail(product, office_user):
    decision = issue(product, stars=4, level=Level.PROVINCE, signed_on=datetime.date(2025, 8, 1), actor=office_user)
    actions = list(AuditLogEntry.objects.order_by("pk").values_list("action", "actor_label"))
    assert actions == [
        ("pre_assessment.recorded", "office"),
        ("evaluation.recorded", "office"),
        ("decision.issued", "office"),
        ("certificate.issued", "office"),
    ]
    assert audit.history_of(decision).get().after["number"] == "100/QĐ-UBND"


def test_the_audit_trail_refuses_updates_and_deletes_at_the_database(certified_product):
    entry = AuditLogEntry.objects.first()
    for statement in (
        "UPDATE catalog_auditlogentry SET action = 'x' WHERE id = %s",
        "DELETE FROM catalog_auditlogentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    with pytest.raises(ValueError, match="append-only"):
        entry.save()


def test_is_listable_agrees_with_the_queryset_on_every_case(product, office_user):
    """The Python property and the SQL rule give the same answer for every state of a product."""
    cases = []
    product.refresh_from_db()
    cases.append(product)  # never certified
    certificate = issue(
        product, stars=3, level=Level.DISTRICT, signed_on=datetime.date(2023, 12, 5), actor=office_user
    ).certificates.get()
    product.refresh_from_db()
    days = [datetime.date(2023, 12, 5), datetime.date(2026, 12, 5), datetime.date(2026, 12, 6)]
    for day in days:
        assert product.is_listable(day) == Product.objects.listable(day).filter(pk=product.pk).exists()
    services.revoke_certificates(
        number="R/QĐ",
        signed_on=datetime.date(2026, 1, 5),
        authority_level=Level.PROVINCE,
        authority_name="UBND",
        reason="x",
        certificates=[certificate],
        actor=office_user,
    )
    product.refresh_from_db()
    for day in days:
        assert product.is_listable(day) is False
        assert not Product.objects.listable(day).filter(pk=product.pk).exists()
    for stars in (1, 2):
        Product.objects.filter(pk=product.pk).update(certified_stars=stars, certificate_revoked=False)
        product.refresh_from_db()
        assert not product.is_listable(days[0])
        assert not Product.objects.listable(days[0]).filter(pk=product.pk).exists()
