"""The pipeline of potential products: a commune officer records them in their own commune, links the application
the producer later files, and the stage follows that application; counts by commune, group and year."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from catalog.applications.models import Application
from catalog.models import ProductGroup
from catalog.programme import querysets, services
from catalog.programme.models import PotentialProduct

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(commune):
    def _record(officer, *, idea="Cà phê rang xay Arabica", group="1", recorded_on=datetime.date(2026, 3, 2), **kw):
        return services.record_potential_product(
            actor=officer,
            potential=PotentialProduct(
                holder=kw.pop("holder", "Hộ Y Bhin"),
                idea=idea,
                group=ProductGroup.objects.get(code=group),
                recorded_on=recorded_on,
                **kw,
            ),
        )

    return _record


def test_an_officer_records_in_their_own_commune_and_the_other_commune_sees_nothing(
    record, commune, commune_officer, other_commune_officer, client
):
    potential = record(commune_officer)
    theirs = record(other_commune_officer, idea="Mật ong hoa cà phê")

    assert potential.commune == commune and theirs.commune != commune
    client.force_login(commune_officer)
    page = client.get("/programme/pipeline/").content.decode()
    assert "Cà phê rang xay Arabica" in page and "Mật ong hoa cà phê" not in page
    assert client.get(f"/programme/pipeline/{theirs.pk}/").status_code == 404
    with pytest.raises(ValidationError):
        theirs.idea = "changed"
        services.record_potential_product(potential=theirs, actor=commune_officer)


def test_the_stage_follows_the_linked_application(record, commune_officer, submitted_application):
    potential = record(commune_officer)
    stage = lambda: querysets.with_stage().get(pk=potential.pk).stage  # noqa: E731
    assert stage() == "potential"

    application = submitted_application()
    services.link_application(potential=potential, application=application, actor=commune_officer)
    assert stage() == "applied"
    Application.objects.filter(pk=application.pk).update(status=Application.Status.AWAITING_DECISION)
    assert stage() == "evaluated"
    Application.objects.filter(pk=application.pk).update(status=Application.Status.CERTIFIED)
    assert stage() == "certified"


def test_an_application_of_another_commune_cannot_be_linked(record, other_commune_officer, submitted_application):
    potential = record(other_commune_officer)
    with pytest.raises(ValidationError):
        services.link_application(potential=potential, application=submitted_application(), actor=other_commune_officer)
    assert querysets.with_stage().get(pk=potential.pk).application is None


def test_counts_by_commune_group_and_year(record, commune_officer, other_commune_officer, submitted_application):
    linked = record(commune_officer)
    record(commune_officer, idea="Rượu cần", group="2", recorded_on=datetime.date(2025, 6, 1))
    record(other_commune_officer, idea="Mật ong", dropped=True)
    services.link_application(potential=linked, application=submitted_application(), actor=commune_officer)

    by_year = {row["key"]: row for row in querysets.pipeline_counts(by="year")}
    by_group = {row["key"]: row["total"] for row in querysets.pipeline_counts(by="group")}
    by_commune = {
        row["label"]: (row["potential"], row["applied"], row["dropped"])
        for row in querysets.pipeline_counts(by="commune")
    }

    assert (by_year[2026]["applied"], by_year[2026]["dropped"], by_year[2026]["total"]) == (1, 1, 2)
    assert by_year[2025]["potential"] == 1
    assert by_group == {"1": 2, "2": 1}
    assert by_commune == {"Phường Buôn Ma Thuột": (1, 1, 0), "Xã Ea Kao": (0, 0, 1)}
