"""A certificate rests on its evaluation; evaluations follow the order of the levels of the rule set in force."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog import audit, services
from catalog.evaluation_path import record_path
from catalog.models import Certificate, CertificationDecision, Evaluation, Level, PreAssessment, Product

pytestmark = pytest.mark.django_db

D = datetime.date
ALL_MET = dict.fromkeys(PreAssessment.CRITERIA, True)


def evaluate(product, level, on, total, actor):
    return services.record_evaluation(
        product=product,
        level=level,
        evaluated_on=on,
        actor=actor,
        score_a=total * Decimal("0.4"),
        score_b=total * Decimal("0.25"),
        score_c=total * Decimal("0.35"),
    )


def decide(product, *, stars, level, on, number="9/QĐ-UBND", actor, history=False, evaluation=None):
    return services.issue_certification(
        number=number,
        signed_on=on,
        authority_level=level,
        authority_name="UBND tỉnh Đắk Lắk",
        awards=[services.Award(product=product, stars=stars, evaluation=evaluation)],
        actor=actor,
        history=history,
    )


def test_a_new_certificate_without_an_evaluation_is_refused(product, office_user):
    with pytest.raises(ValidationError) as refused:
        decide(product, stars=4, level=Level.PROVINCE, on=D(2025, 9, 1), actor=office_user)
    assert refused.value.code == "evaluation_required"
    assert not CertificationDecision.objects.exists()
    product.refresh_from_db()
    assert not product.is_listable(D(2025, 9, 2))


def test_the_certificate_rests_on_the_certifying_councils_total(product, office_user):
    evaluation = record_path(product, stars=4, on=D(2025, 9, 1), actor=office_user)
    certificate = decide(product, stars=4, level=Level.PROVINCE, on=D(2025, 9, 2), actor=office_user).certificates.get()
    assert certificate.evaluation == evaluation
    assert (evaluation.level, evaluation.total, evaluation.stars) == (Level.PROVINCE, Decimal("80"), 4)
    assert audit.history_of(certificate).get(action="certificate.issued").after["evaluation"] == evaluation.pk


def test_an_evaluation_at_another_level_does_not_support_the_decision(product, office_user):
    """Under 148 a 4★ certificate rests on the province council's total, not on the district's."""
    services.record_pre_assessment(product=product, assessed_on=D(2024, 4, 1), criteria=ALL_MET, actor=office_user)
    district = evaluate(product, Level.DISTRICT, D(2024, 5, 1), Decimal("80"), office_user)
    assert district.forwarded_to == Level.PROVINCE
    with pytest.raises(ValidationError) as refused:
        decide(product, stars=4, level=Level.PROVINCE, on=D(2024, 6, 1), actor=office_user, evaluation=district)
    assert refused.value.code == "stars_not_supported_by_evaluation"
    with pytest.raises(ValidationError) as refused:  # nor is it picked by itself
        decide(product, stars=4, level=Level.PROVINCE, on=D(2024, 6, 1), actor=office_user)
    assert refused.value.code == "evaluation_required"


def test_one_evaluation_supports_one_certificate(product, office_user):
    record_path(product, stars=4, on=D(2025, 9, 1), actor=office_user)
    decide(product, stars=4, level=Level.PROVINCE, on=D(2025, 9, 2), actor=office_user)
    with pytest.raises(ValidationError) as refused:
        decide(product, stars=4, level=Level.PROVINCE, on=D(2025, 9, 3), number="10/QĐ-UBND", actor=office_user)
    assert refused.value.code == "evaluation_required"


def test_records_imported_as_history_are_marked_and_need_no_evaluation(product, office_user):
    decision = decide(product, stars=4, level=Level.PROVINCE, on=D(2024, 8, 27), actor=office_user, history=True)
    certificate = decision.certificates.get()
    assert decision.history and certificate.evaluation is None
    assert audit.history_of(decision).get(action="decision.recorded_as_history").after["history"] is True
    product.refresh_from_db()
    assert product.is_listable(D(2026, 11, 30))


def test_no_province_evaluation_under_148_without_the_districts(product, office_user):
    services.record_pre_assessment(product=product, assessed_on=D(2024, 4, 1), criteria=ALL_MET, actor=office_user)
    with pytest.raises(ValidationError) as refused:
        evaluate(product, Level.PROVINCE, D(2024, 5, 1), Decimal("80"), office_user)
    assert refused.value.error_dict["level"][0].code == "evaluation_out_of_order"
    below = evaluate(product, Level.DISTRICT, D(2024, 5, 1), Decimal("65"), office_user)
    assert below.forwarded_to == ""
    with pytest.raises(ValidationError):  # a district total below 70 is not forwarded to the province
        evaluate(product, Level.PROVINCE, D(2024, 5, 2), Decimal("80"), office_user)
    evaluate(product, Level.DISTRICT, D(2024, 5, 3), Decimal("75"), office_user)
    assert evaluate(product, Level.PROVINCE, D(2024, 5, 4), Decimal("80"), office_user).stars == 4
    assert Evaluation.objects.filter(product=product).count() == 3


def test_the_first_scoring_level_needs_the_communes_passed_pre_assessment(product, office_user):
    with pytest.raises(ValidationError) as refused:
        evaluate(product, Level.PROVINCE, D(2025, 9, 1), Decimal("80"), office_user)
    assert refused.value.error_dict["level"][0].code == "pre_assessment_required"
    services.record_pre_assessment(
        product=product, assessed_on=D(2025, 8, 1), actor=office_user, criteria={**ALL_MET, "local_idea": False}
    )
    with pytest.raises(ValidationError):
        evaluate(product, Level.PROVINCE, D(2025, 9, 1), Decimal("80"), office_user)
    services.record_pre_assessment(product=product, assessed_on=D(2025, 8, 2), criteria=ALL_MET, actor=office_user)
    assert evaluate(product, Level.PROVINCE, D(2025, 9, 1), Decimal("80"), office_user).level == Level.PROVINCE


def test_under_1489_the_province_scores_first(product, office_user):
    """Districts are gone: a province evaluation after 06/07/2025 needs no district evaluation."""
    evaluation = record_path(product, stars=3, on=D(2025, 9, 1), actor=office_user)
    assert evaluation.level == Level.PROVINCE
    assert not Evaluation.objects.filter(product=product, level=Level.DISTRICT).exists()
    certificate = decide(product, stars=3, level=Level.PROVINCE, on=D(2025, 9, 1), actor=office_user).certificates.get()
    assert certificate.status == Certificate.Status.ACTIVE
    assert Product.objects.listable(D(2025, 9, 2)).filter(pk=product.pk).exists()
