"""Applications open when the rule set changed (148/QĐ-TTg → 1489/QĐ-TTg) move to the new levels with a step."""

import datetime

import pytest

from catalog import audit
from catalog.applications import services
from catalog.applications.models import Application
from catalog.applications.tests.fixtures import ON_148
from catalog.models import Level

pytestmark = pytest.mark.django_db
Status = Application.Status
AFTER_1489 = datetime.date(2025, 8, 1)


def _scored(application, council, level, parts, on):
    """One member scores, the chair closes the council's scoring on ``on``."""
    a, b, c = parts
    services.record_council_score(
        application=application, level=level, score_a=a, score_b=b, score_c=c, actor=council["member"]
    )
    return services.close_scoring(application=application, level=level, on=on, actor=council["chair"])


def _decided(application, council, number, on):
    return services.issue_decision(
        application=application, level=Level.PROVINCE, number=number, signed_on=on, actor=council["authority"]
    )


def test_an_application_awaiting_a_district_decision_goes_to_the_province_council(
    district_commune,
    scoring_application,
    district_council,
    province_council,
):
    application = _scored(
        scoring_application(applied_on=ON_148),
        district_council,
        Level.DISTRICT,
        (25, 15, 20),
        datetime.date(2024, 4, 1),
    )
    assert (application.status, application.current_level) == (Status.AWAITING_DECISION, Level.DISTRICT)

    # the district committee never signed; the districts were abolished. The daily task moves it on.
    assert services.follow_rule_sets(today=AFTER_1489) == 1
    assert services.follow_rule_sets(today=AFTER_1489) == 0  # idempotent

    application.refresh_from_db()
    assert application.rule_set.code == "1489/QĐ-TTg"
    # under 1489 the province certifies 3★, and the certificate rests on the province council's total
    assert (application.status, application.current_level) == (Status.SCORING, Level.PROVINCE)
    step = application.steps.get(action="rule_set.changed")
    assert (step.from_status, step.to_status) == (Status.AWAITING_DECISION, Status.SCORING)
    assert (step.from_level, step.to_level) == (Level.DISTRICT, Level.PROVINCE)
    entry = audit.history_of(application).get(action="application.rule_set_changed")
    assert entry.before["current_level"] == Level.DISTRICT and entry.after["current_level"] == Level.PROVINCE

    # and it goes on to a certificate at the new levels
    application = _scored(application, province_council, Level.PROVINCE, (25, 15, 20), AFTER_1489)
    application = _decided(application, province_council, "88/QĐ-UBND", AFTER_1489)
    assert application.status == Status.CERTIFIED
    assert application.certificate.evaluation.level == Level.PROVINCE


def test_a_province_decision_awaited_under_148_stays_with_the_province(
    district_commune,
    scoring_application,
    district_council,
    province_council,
):
    application = _scored(
        scoring_application(applied_on=ON_148),
        district_council,
        Level.DISTRICT,
        (30, 20, 25),
        datetime.date(2024, 4, 1),
    )
    application = _scored(application, province_council, Level.PROVINCE, (30, 20, 25), datetime.date(2024, 5, 1))
    assert (application.status, application.current_level) == (Status.AWAITING_DECISION, Level.PROVINCE)

    # signed after 1489 took effect: the province still certifies 4★, on the province council's evaluation
    application = _decided(application, province_council, "89/QĐ-UBND", AFTER_1489)
    assert application.status == Status.CERTIFIED
    assert application.certificate.decision.rule_set.code == "1489/QĐ-TTg"
    assert list(application.steps.filter(action="rule_set.changed").values_list("from_level", "to_level")) == [
        (Level.PROVINCE, Level.PROVINCE)
    ]


def test_an_application_under_the_rule_set_in_force_does_not_move(scoring_application):
    application = scoring_application()
    assert services.follow_rule_sets(today=datetime.date(2025, 10, 1)) == 0
    assert not application.steps.filter(action="rule_set.changed").exists()
