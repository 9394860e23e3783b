"""The read-only GraphQL API: only listable products for the public, filters and pagination."""

import datetime

import pytest

from catalog import services
from catalog.evaluation_path import record_path
from catalog.models import Commune, Level, Producer, Product, ProductGroup

pytestmark = pytest.mark.django_db

PRODUCTS = """
query($stars: Int, $minStars: Int, $group: String, $commune: ID, $producer: ID, $first: Int, $offset: Int) {
  products(stars: $stars, minStars: $minStars, group: $group, commune: $commune, producer: $producer,
           first: $first, offset: $offset) {
    totalCount hasNextPage
    items { nameVi certifiedStars listable producer { name } certificate { stars state decision { number } } }
  }
}
"""


def gql(client, query, **variables):
    response = client.post("/graphql/", {"query": query, "variables": variables}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


@pytest.fixture
def catalogue(producer, other_producer, office_user):
    """Five products: 3★ coffee, 4★ coffee, 5★ honey, one revoked, one expired."""
    coffee, honey = ProductGroup.objects.get(code="1"), ProductGroup.objects.get(code="2")
    made = {}
    for name, owner, group, stars, signed_on, level in [
        ("Cà phê A", producer, coffee, 3, datetime.date(2025, 9, 1), Level.PROVINCE),
        ("Cà phê B", producer, coffee, 4, datetime.date(2025, 9, 2), Level.PROVINCE),
        ("Rượu cần C", other_producer, honey, 5, datetime.date(2025, 9, 3), Level.CENTRAL),
        ("Revoked D", producer, coffee, 4, datetime.date(2025, 9, 4), Level.PROVINCE),
        ("Expired E", other_producer, coffee, 3, datetime.date(2023, 3, 1), Level.DISTRICT),
    ]:
        product = Product.objects.create(producer=owner, name_vi=name, group=group)
        record_path(product, stars=stars, on=signed_on, level=level, actor=office_user)
        services.issue_certification(
            number=f"{name}/QĐ",
            signed_on=signed_on,
            authority_level=level,
            authority_name="UBND",
            awards=[services.Award(product=product, stars=stars)],
            actor=office_user,
        )
        made[name] = product
    services.revoke_certificates(
        number="R/QĐ",
        signed_on=datetime.date(2026, 1, 1),
        authority_level=Level.PROVINCE,
        authority_name="UBND",
        reason="x",
        certificates=[made["Revoked D"].certificates.get()],
        actor=office_user,
    )
    return made


def names(data):
    return [item["nameVi"] for item in data["products"]["items"]]


def test_the_public_sees_only_listable_products(client, catalogue):
    data = gql(client, PRODUCTS)
    assert names(data) == ["Rượu cần C", "Cà phê B", "Cà phê A"]
    assert data["products"]["totalCount"] == 3
    assert all(item["listable"] for item in data["products"]["items"])
    assert data["products"]["items"][0]["certificate"] == {
        "stars": 5,
        "state": "active",
        "decision": {"number": "Rượu cần C/QĐ"},
    }


def test_staff_see_every_product(client, catalogue, office_user):
    client.force_login(office_user)
    assert gql(client, PRODUCTS)["products"]["totalCount"] == 5


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"stars": 4}, ["Cà phê B"]),
        ({"minStars": 4}, ["Rượu cần C", "Cà phê B"]),
        ({"group": "2"}, ["Rượu cần C"]),
    ],
)
def test_filters_by_stars_and_group(client, catalogue, variables, expected):
    assert names(gql(client, PRODUCTS, **variables)) == expected


def test_filters_by_commune_and_producer(client, catalogue, producer, other_producer):
    assert names(gql(client, PRODUCTS, producer=str(producer.pk))) == ["Cà phê B", "Cà phê A"]
    assert names(gql(client, PRODUCTS, commune=str(other_producer.commune_id))) == ["Rượu cần C"]
    empty = Commune.objects.create(name="Xã trống")
    assert names(gql(client, PRODUCTS, commune=str(empty.pk))) == []


def test_pagination(client, catalogue):
    first = gql(client, PRODUCTS, first=2, offset=0)["products"]
    second = gql(client, PRODUCTS, first=2, offset=2)["products"]
    assert (len(first["items"]), first["hasNextPage"]) == (2, True)
    assert (len(second["items"]), second["hasNextPage"]) == (1, False)


def test_page_size_is_bounded(client, catalogue):
    response = client.post(
        "/graphql/", {"query": PRODUCTS, "variables": {"first": 1000}}, content_type="application/json"
    )
    assert "between 1 and 100" in response.json()["errors"][0]["message"]


def test_a_non_listable_product_is_not_found_by_id(client, catalogue):
    query = "query($id: ID!) { product(id: $id) { nameVi } }"
    assert gql(client, query, id=str(catalogue["Revoked D"].pk))["product"] is None
    assert gql(client, query, id=str(catalogue["Cà phê A"].pk))["product"] == {"nameVi": "Cà phê A"}


def test_producers_and_certificates_for_the_public(client, catalogue, producer, other_producer):
    Producer.objects.create(
        kind="household", name="Chưa có sản phẩm", registration_number="40A8009999", commune=producer.commune
    )
    producers = gql(client, "{ producers { items { name address } } }")["producers"]["items"]
    assert {p["name"] for p in producers} == {other_producer.name, producer.name}
    certificates = gql(client, "{ certificates(minStars: 4) { totalCount items { stars product { nameVi } } } }")
    assert certificates["certificates"]["totalCount"] == 2


def test_product_list_query_count_does_not_grow_with_the_page(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        gql(client, PRODUCTS, first=50)
