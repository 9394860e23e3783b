"""Reporting periods: the office opens one, communes answer through a form prefilled from the registry, the office
sees who has not reported and reminds them; a commune sees only its own answer."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from catalog.applications.models import Notice
from catalog.models import ProductGroup
from catalog.programme import services
from catalog.programme.models import CommuneReport, PotentialProduct, ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter(programme_office, commune, other_commune, commune_officer, other_commune_officer):
    period = ReportingPeriod(
        kind=ReportingPeriod.Kind.QUARTERLY,
        title="Báo cáo quý IV/2026",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
        deadline=datetime.date(2027, 1, 10),
    )
    return services.open_period(period=period, actor=programme_office)


def test_opening_a_period_asks_every_commune_with_an_officer_and_tells_them(quarter, commune, other_commune):
    assert set(quarter.communes.all()) == {commune, other_commune}
    assert set(Notice.objects.filter(key="programme.period.opened").values_list("user__username", flat=True)) == {
        "commune-officer",
        "ea-kao-officer",
    }


def test_the_form_is_prefilled_from_the_registry(quarter, commune, certified_product, commune_officer, client):
    PotentialProduct.objects.create(
        commune=commune,
        holder="Hộ A",
        idea="Cà phê chồn",
        group=ProductGroup.objects.get(code="1"),
        recorded_on=datetime.date(2026, 11, 2),
    )
    client.force_login(commune_officer)

    page = client.get(f"/programme/reports/{quarter.pk}/").content.decode()

    figures = services.prefill(quarter, commune)
    assert figures == {
        "producers": 1,
        "certified_products": 1,
        "new_products": 0,
        "potential_products": 1,
        "applications": 0,
    }
    assert 'name="certified_products" value="1"' in page and 'name="potential_products" value="1"' in page


def test_a_commune_answers_and_the_office_sees_who_has_not(
    quarter, commune, other_commune, commune_officer, other_commune_officer, programme_office, client
):
    values = {
        "producers": 3,
        "certified_products": 4,
        "new_products": 1,
        "potential_products": 2,
        "applications": 1,
        "trainings": 2,
        "trainees": 45,
        "activities": "Tập huấn",
        "difficulties": "",
        "proposals": "",
    }
    with pytest.raises(ValidationError):
        services.submit_report(period=quarter, commune=commune, values=values, actor=other_commune_officer)
    services.submit_report(period=quarter, commune=commune, values=values, actor=commune_officer)

    assert list(services.missing_reports(quarter)) == [other_commune]
    assert services.remind(period=quarter, actor=programme_office) == 1
    assert Notice.objects.filter(key="programme.period.reminder", user=other_commune_officer).exists()
    client.force_login(programme_office)
    page = client.get(f"/programme/reports/{quarter.pk}/").content.decode()
    assert other_commune.name in page.split('id="missing"')[1].split("</ul>")[0]
    client.force_login(other_commune_officer)
    theirs = client.get(f"/programme/reports/{quarter.pk}/").content.decode()
    assert "Tập huấn" not in theirs  # the other commune sees its own form, not this commune's answer


def test_a_commune_not_asked_cannot_open_the_period(programme_office, commune, member, other_commune, client):
    from catalog import permissions

    period = services.open_period(
        period=ReportingPeriod(
            kind=ReportingPeriod.Kind.AD_HOC,
            title="Báo cáo đột xuất",
            starts_on=datetime.date(2026, 11, 1),
            ends_on=datetime.date(2026, 11, 30),
            deadline=datetime.date(2026, 12, 5),
        ),
        communes=[commune],
        actor=programme_office,
    )
    outsider = member("outsider", permissions.COMMUNE_OFFICER, commune=other_commune)
    client.force_login(outsider)

    assert client.get(f"/programme/reports/{period.pk}/").status_code == 404
    assert not CommuneReport.objects.exists()
