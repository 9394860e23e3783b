"""Every refusal gives a clear, coded message and changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from catalog.applications import services
from catalog.applications.error_codes import ApplicationErrorCode as Code
from catalog.applications.models import Application, ApplicationStep, CouncilScore, DocumentKind, LevelSeat
from catalog.applications.tests.fixtures import ALL_CRITERIA_MET, DISTRICT, ON_148, ON_1489
from catalog.models import Certificate, CertificationDecision, Evaluation, Level, PreAssessment

Status = Application.Status


def _snapshot(application):
    """Everything a refusal must leave as it was."""
    application.refresh_from_db()
    return {
        "status": application.status,
        "level": application.current_level,
        "steps": ApplicationStep.objects.filter(application=application).count(),
        "scores": CouncilScore.objects.count(),
        "pre_assessments": PreAssessment.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "decisions": CertificationDecision.objects.count(),
        "certificates": Certificate.objects.count(),
        "documents": application.documents.count(),
    }


def _refused(code, call):
    with pytest.raises(ValidationError) as refusal:
        call()
    codes = [
        error.code
        for errors in getattr(refusal.value, "error_dict", {"": [refusal.value]}).values()
        for error in (errors if isinstance(errors, list) else [errors])
    ]
    assert code in codes or refusal.value.code == code, codes
    return " ".join(refusal.value.messages)


def test_submitting_without_the_required_documents_is_refused_naming_them(draft_application, producer_user):
    application = draft_application(complete=False)
    before = _snapshot(application)

    message = _refused(
        Code.MISSING_DOCUMENTS, lambda: services.submit_application(application=application, actor=producer_user)
    )

    for kind in DocumentKind.objects.filter(required=True):
        assert kind.local_name in message
    assert _snapshot(application) == before == {**before, "status": Status.DRAFT}


def test_a_total_below_50_closes_the_application_and_no_decision_can_follow(
    scoring_application,
    province_council,
):
    # given a council total of 45 (2★)
    application = scoring_application()
    services.record_council_score(
        application=application,
        level=Level.PROVINCE,
        score_a=20,
        score_b=10,
        score_c=15,
        actor=province_council["member"],
    )
    application = services.close_scoring(
        application=application, level=Level.PROVINCE, on=datetime.date(2025, 10, 1), actor=province_council["chair"]
    )
    # then the application is closed as not qualified
    assert application.status == Status.NOT_QUALIFIED and application.evaluation.stars == 2
    before = _snapshot(application)

    # when the authority tries to certify it anyway, or the council tries to score again
    message = _refused(
        Code.NOT_QUALIFIED,
        lambda: services.issue_decision(
            application=application,
            level=Level.PROVINCE,
            number="9/QĐ-UBND",
            signed_on=datetime.date(2025, 10, 2),
            actor=province_council["authority"],
        ),
    )
    _refused(
        Code.NOT_QUALIFIED,
        lambda: services.record_council_score(
            application=application,
            level=Level.PROVINCE,
            score_a=40,
            score_b=25,
            score_c=35,
            actor=province_council["member"],
        ),
    )

    # then nothing changed and the message says why
    assert "50" in message
    assert _snapshot(application) == before


def test_the_province_cannot_score_before_the_commune_pre_assessment(
    district_commune,
    submitted_application,
    province_council,
):
    application = submitted_application(applied_on=ON_148)
    before = _snapshot(application)

    message = _refused(
        Code.OUT_OF_TURN,
        lambda: services.record_council_score(
            application=application,
            level=Level.PROVINCE,
            score_a=30,
            score_b=20,
            score_c=25,
            actor=province_council["member"],
        ),
    )

    assert "commune" in message.lower()
    assert _snapshot(application) == before


def test_the_district_has_no_part_under_1489(district_commune, scoring_application, seat):
    application = scoring_application(applied_on=ON_1489)
    district_member = seat("d-member", Level.DISTRICT, DISTRICT, LevelSeat.Role.MEMBER)
    district_chair = seat("d-chair", Level.DISTRICT, DISTRICT, LevelSeat.Role.CHAIR)
    before = _snapshot(application)

    message = _refused(
        Code.LEVEL_NOT_IN_RULE_SET,
        lambda: services.record_council_score(
            application=application, level=Level.DISTRICT, score_a=30, score_b=20, score_c=25, actor=district_member
        ),
    )
    _refused(
        Code.LEVEL_NOT_IN_RULE_SET,
        lambda: services.close_scoring(
            application=application, level=Level.DISTRICT, on=datetime.date(2025, 10, 1), actor=district_chair
        ),
    )

    assert "1489/QĐ-TTg" in message
    assert _snapshot(application) == before


def test_the_district_cannot_decide_while_the_province_is_scoring(
    district_commune,
    scoring_application,
    district_council,
    province_council,
):
    application = scoring_application(applied_on=ON_148)
    services.record_council_score(
        application=application,
        level=Level.DISTRICT,
        score_a=32,
        score_b=20,
        score_c=23,
        actor=district_council["member"],
    )
    application = services.close_scoring(
        application=application, level=Level.DISTRICT, on=datetime.date(2024, 4, 1), actor=district_council["chair"]
    )
    before = _snapshot(application)

    _refused(
        Code.OUT_OF_TURN,
        lambda: services.issue_decision(
            application=application,
            level=Level.DISTRICT,
            number="1/QĐ-UBND",
            signed_on=datetime.date(2024, 4, 2),
            actor=district_council["authority"],
        ),
    )

    assert _snapshot(application) == before


def test_a_commune_officer_of_another_commune_cannot_pre_assess(submitted_application, other_commune_officer):
    application = submitted_application()
    before = _snapshot(application)

    _refused(
        Code.NOT_ALLOWED,
        lambda: services.record_commune_pre_assessment(
            application=application, criteria=ALL_CRITERIA_MET, on=ON_1489, actor=other_commune_officer
        ),
    )

    assert _snapshot(application) == before


def test_only_the_chair_closes_the_scoring(scoring_application, province_council):
    application = scoring_application()
    services.record_council_score(
        application=application,
        level=Level.PROVINCE,
        score_a=30,
        score_b=20,
        score_c=25,
        actor=province_council["member"],
    )
    before = _snapshot(application)

    _refused(
        Code.NOT_ALLOWED,
        lambda: services.close_scoring(
            application=application,
            level=Level.PROVINCE,
            on=datetime.date(2025, 10, 1),
            actor=province_council["member"],
        ),
    )

    assert _snapshot(application) == before


def test_the_chair_cannot_close_a_scoring_nobody_scored(scoring_application, province_council):
    application = scoring_application()
    before = _snapshot(application)

    _refused(
        Code.NO_SCORES,
        lambda: services.close_scoring(
            application=application,
            level=Level.PROVINCE,
            on=datetime.date(2025, 10, 1),
            actor=province_council["chair"],
        ),
    )

    assert _snapshot(application) == before


def test_scores_above_the_rule_sets_maximum_are_refused(scoring_application, province_council):
    application = scoring_application()
    before = _snapshot(application)

    message = _refused(
        Code.SCORE_OUT_OF_RANGE,
        lambda: services.record_council_score(
            application=application,
            level=Level.PROVINCE,
            score_a=41,
            score_b=20,
            score_c=25,
            actor=province_council["member"],
        ),
    )

    assert "40" in message
    assert _snapshot(application) == before


def test_a_self_score_above_the_maximum_is_refused(producer, product, producer_user):
    with pytest.raises(ValidationError) as refusal:
        services.create_application(
            producer=producer,
            product=product,
            actor=producer_user,
            applied_on=ON_1489,
            self_assessment={"self_score_b": 26},
        )

    assert "self_score_b" in refusal.value.error_dict
    assert not Application.objects.exists()


def test_another_producers_account_cannot_touch_the_application(
    draft_application,
    other_producer_user,
    make_upload,
    producer,
    product,
):
    application = draft_application()
    before = _snapshot(application)
    kind = DocumentKind.objects.get(code="other")

    _refused(Code.NOT_ALLOWED, lambda: services.submit_application(application=application, actor=other_producer_user))
    _refused(
        Code.NOT_ALLOWED,
        lambda: services.add_document(
            application=application, kind=kind, upload=make_upload(), actor=other_producer_user
        ),
    )
    _refused(
        Code.NOT_ALLOWED,
        lambda: services.create_application(
            producer=producer, product=product, actor=other_producer_user, applied_on=ON_1489
        ),
    )

    assert _snapshot(application) == before


def test_a_decision_number_already_used_refuses_the_whole_decision(
    scoring_application,
    province_council,
    certify,
    other_product,
):
    certify(other_product, number="5/QĐ-UBND")
    application = scoring_application()
    services.record_council_score(
        application=application,
        level=Level.PROVINCE,
        score_a=30,
        score_b=20,
        score_c=25,
        actor=province_council["member"],
    )
    application = services.close_scoring(
        application=application, level=Level.PROVINCE, on=datetime.date(2025, 10, 1), actor=province_council["chair"]
    )
    before = _snapshot(application)

    _refused(
        "duplicate_decision",
        lambda: services.issue_decision(
            application=application,
            level=Level.PROVINCE,
            number="5/QĐ-UBND",
            signed_on=datetime.date(2025, 10, 2),
            actor=province_council["authority"],
        ),
    )

    assert _snapshot(application) == before


def test_a_district_closing_scoring_after_1489_finds_the_application_moved_to_the_province(
    district_commune,
    scoring_application,
    district_council,
):
    # given an application under 148 at the district, closed after 1489 took effect
    application = scoring_application(applied_on=ON_148)
    services.record_council_score(
        application=application,
        level=Level.DISTRICT,
        score_a=30,
        score_b=20,
        score_c=25,
        actor=district_council["member"],
    )

    _refused(
        Code.LEVEL_NOT_IN_RULE_SET,
        lambda: services.close_scoring(
            application=application, level=Level.DISTRICT, on=datetime.date(2025, 8, 1), actor=district_council["chair"]
        ),
    )

    # the application is not stuck: it moved to the province with a recorded step, and nothing was scored
    application.refresh_from_db()
    assert (application.rule_set.code, application.status, application.current_level) == (
        "1489/QĐ-TTg",
        Status.SCORING,
        Level.PROVINCE,
    )
    step = application.steps.get(action="rule_set.changed")
    assert (step.from_level, step.to_level) == (Level.DISTRICT, Level.PROVINCE)
    assert "148/QĐ-TTg" in step.message and "1489/QĐ-TTg" in step.message
    assert not Evaluation.objects.exists()


def test_responding_to_a_request_with_nothing_is_refused(submitted_application, commune_officer, producer_user):
    application = services.request_documents(
        application=submitted_application(), level=Level.COMMUNE, what="Phiếu kiểm nghiệm", actor=commune_officer
    )
    before = _snapshot(application)

    _refused(Code.REQUIRED, lambda: services.respond_to_request(application=application, actor=producer_user))

    assert _snapshot(application) == before == {**before, "status": Status.DOCUMENTS_REQUESTED}


def test_a_second_open_application_for_the_same_product_is_refused(draft_application, producer, product, producer_user):
    first = draft_application(complete=False)

    message = _refused(
        Code.ALREADY_OPEN,
        lambda: services.create_application(
            producer=producer, product=product, actor=producer_user, applied_on=ON_1489
        ),
    )

    assert f"#{first.pk}" in message
    assert Application.objects.count() == 1
