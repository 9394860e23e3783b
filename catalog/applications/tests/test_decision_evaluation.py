"""The decision on an application rests on the certifying level's council total (Decision 148/QĐ-TTg)."""

import datetime

import pytest

from catalog.applications import services
from catalog.applications.models import Application
from catalog.applications.tests.fixtures import ON_148
from catalog.models import Level

pytestmark = pytest.mark.django_db


def test_a_province_total_of_3_stars_is_certified_by_the_district_on_the_districts_evaluation(
    district_commune, scoring_application, district_council, province_council
):
    application = scoring_application(applied_on=ON_148)
    for level, council, parts, day in [
        (Level.DISTRICT, district_council, (30, 20, 25), datetime.date(2024, 4, 1)),  # 75: forwarded
        (Level.PROVINCE, province_council, (25, 15, 20), datetime.date(2024, 5, 1)),  # 60: 3★
    ]:
        services.record_council_score(
            application=application,
            level=level,
            score_a=parts[0],
            score_b=parts[1],
            score_c=parts[2],
            actor=council["member"],
        )
        application = services.close_scoring(application=application, level=level, on=day, actor=council["chair"])
    assert (application.status, application.current_level) == (Application.Status.AWAITING_DECISION, Level.DISTRICT)

    application = services.issue_decision(
        application=application,
        level=Level.DISTRICT,
        number="77/QĐ-UBND",
        signed_on=datetime.date(2024, 6, 1),
        actor=district_council["authority"],
    )

    certificate = application.certificate
    assert (certificate.stars, certificate.evaluation.level) == (3, Level.DISTRICT)
