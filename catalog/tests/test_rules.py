"""Star bands, rule sets by date, the authority that may certify, and forwarding."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from catalog import services
from catalog.models import Level, PreAssessment, RuleSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def pre_assessed(product, office_user):
    """The commune's passed pre-assessment, which the first scoring level needs."""
    return services.record_pre_assessment(
        product=product,
        assessed_on=datetime.date(2019, 9, 1),
        actor=office_user,
        criteria=dict.fromkeys(PreAssessment.CRITERIA, True),
    )


VECTORS = json.loads((Path(__file__).parent / "data" / "ocop_stars.json").read_text())


@pytest.mark.parametrize("case", VECTORS["ocop_stars"], ids=lambda c: str(c["total"]))
@pytest.mark.parametrize("code", ["148/QĐ-TTg", "1489/QĐ-TTg"])
def test_star_bands_match_the_vectors(case, code):
    assert RuleSet.objects.get(code=code).stars_for_total(Decimal(str(case["total"]))) == case["stars"]


@pytest.mark.parametrize(
    ("on", "code"),
    [
        (datetime.date(2020, 5, 1), "1048/QĐ-TTg"),
        (datetime.date(2023, 2, 23), "1048/QĐ-TTg"),
        (datetime.date(2023, 2, 24), "148/QĐ-TTg"),
        (datetime.date(2025, 7, 5), "148/QĐ-TTg"),
        (datetime.date(2025, 7, 6), "1489/QĐ-TTg"),
        (datetime.date(2026, 11, 30), "1489/QĐ-TTg"),
    ],
)
def test_the_rule_set_is_chosen_by_date(on, code):
    assert RuleSet.objects.in_force(on).code == code


def test_a_future_decision_is_a_data_change(product, office_user, pre_assessed):
    future = RuleSet.objects.create(
        code="999/QĐ-TTg",
        name="Hypothetical 2026 amendment",
        effective_from=datetime.date(2026, 6, 1),
        max_score_a=40,
        max_score_b=30,
        max_score_c=30,
    )
    for stars, low in [(1, 0), (2, 30), (3, 50), (4, 70), (5, 90)]:
        future.star_bands.create(stars=stars, min_total=low)
    future.level_rules.create(level=Level.COMMUNE, sequence=1)
    future.level_rules.create(
        level=Level.PROVINCE, sequence=2, evaluates=True, certifies_min_stars=3, certifies_max_stars=5
    )

    evaluation = services.record_evaluation(
        product=product,
        level=Level.PROVINCE,
        evaluated_on=datetime.date(2026, 7, 1),
        score_a=38,
        score_b=28,
        score_c=25,
        actor=office_user,
    )
    assert evaluation.rule_set == future
    assert evaluation.stars == 5
    decision = services.issue_certification(
        number="1/QĐ-UBND-2026",
        signed_on=datetime.date(2026, 7, 2),
        authority_level=Level.PROVINCE,
        authority_name="UBND tỉnh Đắk Lắk",
        awards=[services.Award(product=product, stars=5)],
        actor=office_user,
    )
    assert decision.rule_set == future


def test_148_district_evaluation_forwards_70_points_to_the_province(product, office_user, pre_assessed):
    evaluation = services.record_evaluation(
        product=product,
        level=Level.DISTRICT,
        evaluated_on=datetime.date(2024, 5, 1),
        score_a=30,
        score_b=20,
        score_c=Decimal("20.5"),
        actor=office_user,
    )
    assert evaluation.rule_set.code == "148/QĐ-TTg"
    assert evaluation.total == Decimal("70.5")
    assert evaluation.stars == 4
    assert evaluation.forwarded_to == Level.PROVINCE


def test_148_district_evaluation_below_70_stays_at_the_district(product, office_user, pre_assessed):
    evaluation = services.record_evaluation(
        product=product,
        level=Level.DISTRICT,
        evaluated_on=datetime.date(2024, 5, 1),
        score_a=25,
        score_b=15,
        score_c=20,
        actor=office_user,
    )
    assert (evaluation.stars, evaluation.forwarded_to) == (3, "")


def test_1489_province_forwards_90_points_to_the_central_level(product, office_user, pre_assessed):
    evaluation = services.record_evaluation(
        product=product,
        level=Level.PROVINCE,
        evaluated_on=datetime.date(2025, 9, 1),
        score_a=38,
        score_b=24,
        score_c=33,
        actor=office_user,
    )
    assert (evaluation.total, evaluation.stars, evaluation.forwarded_to) == (Decimal("95"), 5, Level.CENTRAL)


def test_1489_has_no_district_level(product, office_user):
    with pytest.raises(ValidationError) as refused:
        services.record_evaluation(
            product=product,
            level=Level.DISTRICT,
            evaluated_on=datetime.date(2025, 9, 1),
            score_a=30,
            score_b=20,
            score_c=25,
            actor=office_user,
        )
    assert refused.value.error_dict["level"][0].code == "level_not_evaluating"


def test_scores_are_bounded_by_the_weights_of_the_rule_set_in_force(product, office_user, pre_assessed):
    # Part C is worth 40 under the 2019 criteria but 35 under Decision 148.
    old = services.record_evaluation(
        product=product,
        level=Level.DISTRICT,
        evaluated_on=datetime.date(2021, 5, 1),
        score_a=30,
        score_b=20,
        score_c=38,
        actor=office_user,
    )
    assert old.rule_set.code == "1048/QĐ-TTg" and old.total == 88
    with pytest.raises(ValidationError) as refused:
        services.record_evaluation(
            product=product,
            level=Level.PROVINCE,
            evaluated_on=datetime.date(2025, 9, 1),
            score_a=30,
            score_b=20,
            score_c=38,
            actor=office_user,
        )
    assert refused.value.error_dict["score_c"][0].code == "score_out_of_range"


def test_an_evaluation_dated_in_the_future_is_refused(product, office_user):
    with pytest.raises(ValidationError) as refused:
        services.record_evaluation(
            product=product,
            level=Level.PROVINCE,
            evaluated_on=datetime.date.today() + datetime.timedelta(days=3),
            score_a=30,
            score_b=20,
            score_c=25,
            actor=office_user,
        )
    assert refused.value.error_dict["evaluated_on"][0].code == "future_date"


def test_pre_assessment_passes_only_with_all_four_local_criteria(product, office_user):
    criteria = {"local_raw_materials": True, "local_labour": True, "local_idea": True, "local_identity": True}
    passed = services.record_pre_assessment(
        product=product, assessed_on=datetime.date(2025, 8, 1), criteria=criteria, actor=office_user
    )
    failed = services.record_pre_assessment(
        product=product,
        assessed_on=datetime.date(2025, 8, 1),
        criteria={**criteria, "local_idea": False},
        actor=office_user,
    )
    assert passed.passed and not failed.passed
    assert passed.commune == product.producer.commune


GTIN_VECTORS = json.loads((Path(__file__).parent / "data" / "gtin.json").read_text())


@pytest.mark.parametrize("case", GTIN_VECTORS["gtin_check_digit"], ids=lambda c: c["data"])
def test_gtin_check_digit_matches_the_vectors(case):
    from catalog.validators import gtin_check_digit, normalize_gtin

    assert gtin_check_digit(case["data"]) == case["check"]
    assert normalize_gtin(case["data"] + str(case["check"])) == (case["data"] + str(case["check"])).zfill(14)


@pytest.mark.parametrize("value", GTIN_VECTORS["gtin_invalid"])
def test_invalid_gtins_of_the_vectors_are_refused(value):
    from catalog.validators import normalize_gtin

    with pytest.raises(ValidationError):
        normalize_gtin(value)
