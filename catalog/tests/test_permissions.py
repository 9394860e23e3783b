"""Object-level rules of the staff site: each role sees and changes only its own rows."""

import datetime

import pytest
from django.urls import reverse

from catalog import permissions
from catalog.evaluation_path import record_path
from catalog.models import PreAssessment, Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune_officer(member, commune):
    return member("canbo", permissions.COMMUNE_OFFICER, commune=commune)


@pytest.fixture
def producer_account(member, producer):
    return member("chuthe", permissions.PRODUCER, producer=producer)


@pytest.fixture
def department_user(member):
    return member("sct", permissions.DEPARTMENT_OF_INDUSTRY_AND_TRADE)


def test_scope_per_role(product, other_product, office_user, commune_officer, producer_account, department_user):
    visible = {
        user.username: set(permissions.scope(Product.objects.all(), user))
        for user in (office_user, commune_officer, producer_account, department_user)
    }
    assert visible == {
        "office": {product, other_product},
        "canbo": {product},
        "chuthe": {product},
        "sct": {product, other_product},
    }


def test_a_producer_cannot_open_another_producers_product_by_url(client, product, other_product, producer_account):
    client.force_login(producer_account)
    assert client.get(reverse("admin:catalog_product_change", args=[product.pk])).status_code == 200
    response = client.get(reverse("admin:catalog_product_change", args=[other_product.pk]))
    assert response.status_code == 302  # the admin redirects unknown/forbidden ids to the index
    listing = client.get(reverse("admin:catalog_product_changelist")).content.decode()
    assert product.name_vi in listing and other_product.name_vi not in listing


def test_a_producer_account_is_read_only(client, product, producer_account):
    client.force_login(producer_account)
    response = client.post(
        reverse("admin:catalog_product_change", args=[product.pk]),
        {"name_vi": "Renamed", "producer": product.producer_id, "group": product.group_id},
    )
    assert response.status_code == 403
    product.refresh_from_db()
    assert product.name_vi == "Cà phê bột Buôn Ma Thuột"


def test_the_department_reads_everything_and_changes_nothing(client, product, department_user):
    client.force_login(department_user)
    assert client.get(reverse("admin:catalog_product_change", args=[product.pk])).status_code == 200
    assert client.post(reverse("admin:catalog_product_change", args=[product.pk]), {}).status_code == 403
    assert client.get(reverse("admin:catalog_auditlogentry_changelist")).status_code == 200


def test_a_commune_officer_pre_assesses_only_in_their_own_commune(client, product, other_product, commune_officer):
    client.force_login(commune_officer)
    url = reverse("admin:catalog_preassessment_add")
    form = {
        "assessed_on": "2025-08-01",
        "local_raw_materials": "on",
        "local_labour": "on",
        "local_idea": "on",
        "local_identity": "on",
        "notes": "",
    }

    refused = client.post(url, {**form, "product": other_product.pk})
    assert refused.status_code == 200  # the form is shown again: the product is not a valid choice
    assert not PreAssessment.objects.exists()

    accepted = client.post(url, {**form, "product": product.pk})
    assert accepted.status_code == 302
    assessment = PreAssessment.objects.get()
    assert assessment.product == product and assessment.passed and assessment.assessed_by == commune_officer


def test_the_office_issues_a_decision_from_the_staff_site_and_sees_refusals(client, product, office_user):
    client.force_login(office_user)
    url = reverse("admin:catalog_decision_issue")
    data = {
        "number": "88/QĐ-UBND",
        "signed_on": "2024-03-01",
        "authority_level": "district",
        "authority_name": "UBND TP. Buôn Ma Thuột",
        "awards-TOTAL_FORMS": "1",
        "awards-INITIAL_FORMS": "0",
        "awards-MIN_NUM_FORMS": "1",
        "awards-MAX_NUM_FORMS": "1000",
        "awards-0-product": product.pk,
        "awards-0-stars": "4",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "may not certify 4★" in refused.content.decode()
    assert not product.certificates.exists()

    without_evaluation = client.post(url, {**data, "awards-0-stars": "3"})
    assert without_evaluation.status_code == 200
    assert "has no evaluation by the District council" in without_evaluation.content.decode()
    assert not product.certificates.exists()

    record_path(product, stars=3, on=datetime.date(2024, 3, 1), level="district", actor=office_user)
    accepted = client.post(url, {**data, "awards-0-stars": "3"})
    assert accepted.status_code == 302
    product.refresh_from_db()
    assert product.certified_stars == 3 and product.is_listable(datetime.date(2024, 3, 2))
    assert product.current_certificate.evaluation.level == "district"


def test_the_office_records_an_old_decision_as_history_from_the_staff_site(client, product, office_user):
    client.force_login(office_user)
    response = client.post(
        reverse("admin:catalog_decision_issue"),
        {
            "number": "12/QĐ-UBND",
            "signed_on": "2024-03-01",
            "authority_level": "district",
            "authority_name": "UBND TP. Buôn Ma Thuột",
            "stated_valid_until": "2027-02-28",
            "history": "on",
            "awards-TOTAL_FORMS": "1",
            "awards-INITIAL_FORMS": "0",
            "awards-MIN_NUM_FORMS": "1",
            "awards-MAX_NUM_FORMS": "1000",
            "awards-0-product": product.pk,
            "awards-0-stars": "3",
        },
    )
    assert response.status_code == 302
    certificate = product.certificates.get()
    assert certificate.decision.history and certificate.evaluation is None
    assert certificate.valid_until == datetime.date(2027, 2, 28)  # the date the decision states


def test_only_the_office_may_issue_decisions(client, commune_officer):
    client.force_login(commune_officer)
    assert client.get(reverse("admin:catalog_decision_issue")).status_code == 403


def test_the_decision_list_offers_issue_revoke_and_import_to_the_office_only(client, office_user, department_user):
    client.force_login(office_user)
    page = client.get(reverse("admin:catalog_certificationdecision_changelist")).content.decode()
    assert reverse("admin:catalog_decision_issue") in page and reverse("catalog:import") in page
    client.force_login(department_user)
    page = client.get(reverse("admin:catalog_certificationdecision_changelist")).content.decode()
    assert reverse("admin:catalog_decision_issue") not in page


def test_revoking_from_the_staff_site(client, certified_product, office_user):
    client.force_login(office_user)
    certificate = certified_product.current_certificate
    response = client.post(
        reverse("admin:catalog_decision_revoke"),
        {
            "number": "1876/QĐ-UBND",
            "signed_on": "2026-08-12",
            "authority_level": "province",
            "authority_name": "UBND tỉnh Đắk Lắk",
            "reason": "Vi phạm",
            "certificates": [certificate.pk],
        },
    )
    assert response.status_code == 302
    certified_product.refresh_from_db()
    assert not certified_product.is_listable()
