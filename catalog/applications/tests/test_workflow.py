"""An application from submission to certificate under each rule set, through the platform's own steps."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from catalog.applications import services
from catalog.applications.models import Application, Notice
from catalog.applications.tests.fixtures import ALL_CRITERIA_MET, DISTRICT, ON_148, ON_1489
from catalog.models import Certificate, Evaluation, Level, PreAssessment
from catalog.tests.fixtures import sent_mail

Status = Application.Status


def _score(application, members, scores, level):
    for member, (a, b, c) in zip(members, scores, strict=True):
        services.record_council_score(
            application=application, level=level, score_a=a, score_b=b, score_c=c, actor=member
        )


def test_148_commune_then_district_scores_and_the_district_certifies_3_stars(
    district_commune,
    product,
    producer_user,
    submitted_application,
    commune_officer,
    district_council,
    django_capture_on_commit_callbacks,
):
    # given an application dated under 148, submitted with its dossier
    application = submitted_application(applied_on=ON_148)
    assert (application.rule_set.code, application.status, application.current_level) == (
        "148/QĐ-TTg",
        Status.SUBMITTED,
        Level.COMMUNE,
    )

    # when the commune pre-assesses, two district members score and the chair closes the scoring
    application = services.record_commune_pre_assessment(
        application=application, criteria=ALL_CRITERIA_MET, on=datetime.date(2024, 3, 10), actor=commune_officer
    )
    assert (application.status, application.current_level) == (Status.SCORING, Level.DISTRICT)
    _score(
        application,
        [district_council["member"], district_council["chair"]],
        [(30, 15, 15), (28, 17, 13)],
        Level.DISTRICT,
    )
    application = services.close_scoring(
        application=application, level=Level.DISTRICT, on=datetime.date(2024, 4, 1), actor=district_council["chair"]
    )

    # then the council's score is the mean, recorded in the registry, and the district is to decide 3★
    evaluation = application.evaluation
    assert (evaluation.score_a, evaluation.score_b, evaluation.score_c) == (Decimal(29), Decimal(16), Decimal(14))
    assert (evaluation.total, evaluation.stars, evaluation.level, evaluation.forwarded_to) == (
        Decimal(59),
        3,
        Level.DISTRICT,
        "",
    )
    assert PreAssessment.objects.get(product=product).passed
    assert (application.status, application.current_level) == (Status.AWAITING_DECISION, Level.DISTRICT)

    # when the district committee issues the decision from the application
    with django_capture_on_commit_callbacks(execute=True):
        application = services.issue_decision(
            application=application,
            level=Level.DISTRICT,
            number="12/QĐ-UBND",
            signed_on=datetime.date(2024, 4, 20),
            actor=district_council["authority"],
        )

    # then the product holds a 3★ certificate tied to the council's evaluation, and the producer is told
    certificate = application.certificate
    assert application.status == Status.CERTIFIED
    assert (certificate.stars, certificate.evaluation, certificate.decision.authority_level) == (
        3,
        evaluation,
        Level.DISTRICT,
    )
    assert certificate.decision.authority_name == f"UBND huyện {DISTRICT}"
    product.refresh_from_db()
    assert product.certified_stars == 3
    assert "12/QĐ-UBND" in Notice.objects.filter(user=producer_user).first().message
    assert "12/QĐ-UBND" in sent_mail()[-1].body and mail.outbox[-1].to == ["htx@example.vn"]
    steps = list(application.steps.values_list("action", "to_status", "to_level"))
    assert steps[-5:-1] == [
        ("pre_assessment.passed", Status.SCORING, Level.DISTRICT),
        ("council_score.recorded", Status.SCORING, Level.DISTRICT),
        ("council_score.recorded", Status.SCORING, Level.DISTRICT),
        ("scoring.closed", Status.AWAITING_DECISION, Level.DISTRICT),
    ]
    assert steps[-1] == ("decision.issued", Status.CERTIFIED, Level.DISTRICT)


def test_148_dossier_of_70_or_more_is_forwarded_to_the_province_which_certifies_4_stars(
    district_commune,
    product,
    scoring_application,
    district_council,
    province_council,
):
    # given an application under 148 scored 75 by the district council
    application = scoring_application(applied_on=ON_148)
    _score(application, [district_council["member"]], [(32, 20, 23)], Level.DISTRICT)
    application = services.close_scoring(
        application=application, level=Level.DISTRICT, on=datetime.date(2024, 4, 1), actor=district_council["chair"]
    )

    # then it is forwarded to the province council
    assert application.evaluation.forwarded_to == Level.PROVINCE
    assert (application.status, application.current_level) == (Status.SCORING, Level.PROVINCE)

    # when the province council scores 78 and its committee decides
    _score(
        application,
        [province_council["member"], province_council["chair"]],
        [(33, 21, 24), (33, 21, 24)],
        Level.PROVINCE,
    )
    application = services.close_scoring(
        application=application, level=Level.PROVINCE, on=datetime.date(2024, 5, 2), actor=province_council["chair"]
    )
    assert (application.status, application.current_level) == (Status.AWAITING_DECISION, Level.PROVINCE)
    application = services.issue_decision(
        application=application,
        level=Level.PROVINCE,
        number="45/QĐ-UBND",
        signed_on=datetime.date(2024, 5, 20),
        actor=province_council["authority"],
    )

    # then the product is certified 4★ by the province, from the province's evaluation
    assert application.status == Status.CERTIFIED
    assert (application.certificate.stars, application.certificate.decision.authority_level) == (4, Level.PROVINCE)
    assert application.certificate.evaluation.level == Level.PROVINCE
    assert Evaluation.objects.filter(product=product).count() == 2


def test_1489_commune_then_the_province_scores_and_certifies(
    product,
    scoring_application,
    province_council,
    producer_user,
):
    # given an application dated under 1489: after the commune, the province scores (no district)
    application = scoring_application(applied_on=ON_1489)
    assert (application.rule_set.code, application.current_level) == ("1489/QĐ-TTg", Level.PROVINCE)

    # when the province council scores 62 and the provincial committee decides
    _score(application, [province_council["chair"]], [(26, 16, 20)], Level.PROVINCE)
    application = services.close_scoring(
        application=application, level=Level.PROVINCE, on=datetime.date(2025, 10, 1), actor=province_council["chair"]
    )
    application = services.issue_decision(
        application=application,
        level=Level.PROVINCE,
        number="7/QĐ-UBND",
        signed_on=datetime.date(2025, 10, 15),
        actor=province_council["authority"],
    )

    # then the province certifies 3★ under 1489
    certificate = Certificate.objects.get(product=product)
    assert application.certificate == certificate
    assert (certificate.stars, certificate.decision.authority_level, certificate.decision.rule_set.code) == (
        3,
        Level.PROVINCE,
        "1489/QĐ-TTg",
    )
    assert certificate.decision.authority_name == "UBND tỉnh Đắk Lắk"


def test_a_level_can_request_documents_and_the_producer_is_told_and_responds(
    submitted_application,
    commune_officer,
    producer_user,
    make_upload,
    django_capture_on_commit_callbacks,
):
    from catalog.applications.models import DocumentKind

    application = submitted_application()
    sent_mail().clear()

    # when the commune requests documents
    with django_capture_on_commit_callbacks(execute=True):
        application = services.request_documents(
            application=application, level=Level.COMMUNE, what="Giấy chứng nhận ATTP", actor=commune_officer
        )

    # then the status says so, with an in-app notice and an email that name what is needed
    assert application.status == Status.DOCUMENTS_REQUESTED
    notice = Notice.objects.filter(user=producer_user).first()
    assert "Giấy chứng nhận ATTP" in notice.message and notice.link == f"/portal/applications/{application.pk}/"
    assert len(sent_mail()) == 1 and "Giấy chứng nhận ATTP" in mail.outbox[0].body

    # when the producer uploads the document and responds, it goes back to the commune
    services.add_document(
        application=application,
        kind=DocumentKind.objects.get(code="food_safety"),
        upload=make_upload("attp.pdf"),
        actor=producer_user,
    )
    application = services.respond_to_request(application=application, actor=producer_user)
    assert (application.status, application.current_level, application.requested_documents) == (
        Status.SUBMITTED,
        Level.COMMUNE,
        "",
    )


def test_a_failed_pre_assessment_closes_the_application_as_not_qualified(submitted_application, commune_officer):
    application = submitted_application()

    application = services.record_commune_pre_assessment(
        application=application, criteria={**ALL_CRITERIA_MET, "local_idea": False}, on=ON_1489, actor=commune_officer
    )

    assert application.status == Status.NOT_QUALIFIED
    assert application.pre_assessment.passed is False


def test_a_new_product_sheet_is_created_with_the_application(producer, producer_user, coffee_group):
    application = services.create_application(
        producer=producer,
        actor=producer_user,
        applied_on=ON_1489,
        new_product={"name_vi": "Cà phê nhân xanh", "group": coffee_group, "description_vi": "Robusta"},
        self_assessment={"self_score_a": 20},
    )

    assert application.product.producer == producer and application.product.name_vi == "Cà phê nhân xanh"
    assert application.status == Status.DRAFT and application.rule_set.code == "1489/QĐ-TTg"


def test_1489_a_total_of_90_goes_to_the_central_council_and_the_ministry_certifies_5_stars(
    product,
    scoring_application,
    province_council,
    seat,
):
    from catalog.applications.models import LevelSeat

    central_chair = seat("central-chair", Level.CENTRAL, "", LevelSeat.Role.CHAIR)
    ministry = seat("ministry", Level.CENTRAL, "", LevelSeat.Role.AUTHORITY)
    application = scoring_application(applied_on=ON_1489)
    _score(application, [province_council["chair"]], [(38, 24, 33)], Level.PROVINCE)
    application = services.close_scoring(
        application=application, level=Level.PROVINCE, on=datetime.date(2025, 10, 1), actor=province_council["chair"]
    )
    assert (application.status, application.current_level) == (Status.SCORING, Level.CENTRAL)

    _score(application, [central_chair], [(37, 24, 33)], Level.CENTRAL)
    application = services.close_scoring(
        application=application, level=Level.CENTRAL, on=datetime.date(2025, 12, 1), actor=central_chair
    )
    application = services.issue_decision(
        application=application,
        level=Level.CENTRAL,
        number="377/QĐ-BNNMT-VPĐP",
        signed_on=datetime.date(2026, 1, 17),
        actor=ministry,
    )

    assert (application.certificate.stars, application.certificate.decision.authority_name) == (
        5,
        "Bộ Nông nghiệp và Môi trường",
    )


def test_the_history_cannot_be_edited(draft_application):
    from django.db import DatabaseError, transaction

    from catalog.applications.models import ApplicationStep

    step = draft_application().steps.first()

    with pytest.raises(DatabaseError), transaction.atomic():
        ApplicationStep.objects.filter(pk=step.pk).update(comment="rewritten")
    with pytest.raises(ValueError):
        step.save()

    step.refresh_from_db()
    assert step.comment == ""
