"""The programme's rows follow the one scoping rule at every entry point: the staff site, the /programme/ pages,
the producers' portal and the office's reports. An object outside the user's scope answers 404, as an unknown
id does; a list leaves it out.

The world: commune A (ours) and commune B, each with a producer, a potential product and a report of the same
period; both producers selected for one event, each with its post-event sales.
"""

import dataclasses
import datetime
from decimal import Decimal

import pytest

from catalog import permissions
from catalog.models import ProductGroup
from catalog.programme.models import (
    CommuneReport,
    Event,
    EventSale,
    Participation,
    PotentialProduct,
    ReportingPeriod,
)

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class World:
    ours: PotentialProduct
    theirs: PotentialProduct
    our_report: CommuneReport
    their_report: CommuneReport
    our_participation: Participation
    their_participation: Participation


@pytest.fixture
def world(commune, other_commune, producer, other_producer, certified_product, other_product, certify):
    certify(other_product, stars=3)
    group = ProductGroup.objects.get(code="1")
    ours = PotentialProduct.objects.create(
        commune=commune, holder="Hộ A", idea="Cà phê chồn A", group=group, recorded_on=datetime.date(2026, 10, 1)
    )
    theirs = PotentialProduct.objects.create(
        commune=other_commune, holder="Hộ B", idea="Mật ong B", group=group, recorded_on=datetime.date(2026, 10, 1)
    )
    period = ReportingPeriod.objects.create(
        kind=ReportingPeriod.Kind.MONTHLY,
        title="Tháng 10/2026",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 10, 31),
        deadline=datetime.date(2026, 11, 10),
    )
    period.communes.set([commune, other_commune])
    figures = {"producers": 1, "certified_products": 1, "new_products": 0, "potential_products": 1, "applications": 0}
    our_report = CommuneReport.objects.create(period=period, commune=commune, difficulties="Khó khăn A", **figures)
    their_report = CommuneReport.objects.create(
        period=period, commune=other_commune, difficulties="Khó khăn B", **figures
    )
    event = Event.objects.create(
        name_vi="Hội chợ",
        kind=Event.Kind.FAIR,
        organiser="Sở",
        place="BMT",
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 11, 3),
        status=Event.Status.SELECTED,
    )
    participations = []
    for owner, product in ((producer, certified_product), (other_producer, other_product)):
        participation = Participation.objects.create(
            event=event, producer=owner, booth=str(owner.pk), status=Participation.Status.SELECTED
        )
        participation.products.set([product])
        EventSale.objects.create(participation=participation, product=product, quantity=1, revenue=Decimal(1000))
        participations.append(participation)
    return World(ours, theirs, our_report, their_report, *participations)


@pytest.fixture
def officer(member, commune):
    return member("scoped-officer", permissions.COMMUNE_OFFICER, commune=commune)


def test_a_commune_officer_sees_only_its_commune_in_the_staff_site_and_the_pages(world, officer, client):
    client.force_login(officer)

    admin_list = client.get("/admin/programme/potentialproduct/").content.decode()
    reports = client.get("/admin/programme/communereport/").content.decode()

    assert "Cà phê chồn A" in admin_list and "Mật ong B" not in admin_list
    assert client.get(f"/admin/programme/potentialproduct/{world.theirs.pk}/change/").status_code in (302, 404)
    assert f"/admin/programme/communereport/{world.our_report.pk}/" in reports
    assert f"/admin/programme/communereport/{world.their_report.pk}/" not in reports
    assert client.get(f"/programme/pipeline/{world.theirs.pk}/").status_code == 404
    assert "Khó khăn B" not in client.get(f"/programme/reports/{world.our_report.period_id}/").content.decode()
    assert client.get("/admin/programme/participation/").status_code == 403  # not the commune's business


def test_a_producer_reaches_only_its_own_participation(world, producer_user, client):
    client.force_login(producer_user)

    page = client.get(f"/portal/events/{world.our_participation.event_id}/").content.decode()

    assert f"/portal/events/participations/{world.our_participation.pk}/" in page
    assert f"/portal/events/participations/{world.their_participation.pk}/" not in page
    assert client.post(f"/portal/events/participations/{world.their_participation.pk}/withdraw/").status_code == 404
    assert client.get("/programme/pipeline/").status_code == 403
    assert client.get("/dashboards/sales/").status_code == 403


def test_the_office_sees_every_commune_and_the_public_nothing_of_the_staff_side(world, office_user, client):
    public = client.get(f"/programme/reports/{world.our_report.period_id}/")
    assert public.status_code == 302 and "/login/" in public["Location"]

    client.force_login(office_user)
    page = client.get("/programme/pipeline/").content.decode()
    assert "Cà phê chồn A" in page and "Mật ong B" in page
