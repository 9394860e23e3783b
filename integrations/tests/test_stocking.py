"""Decision 950/QĐ-BCT (18/04/2023): where a point may stand, what it may stock, and what it may claim.

A point stocks OCOP products rated 3★ or more and also the products on the Department's lists (key products,
typical rural industrial and agricultural products, local specialities). Only OCOP products carry the OCOP mark
and stars, on the shelf labels and in the pull API; a revocation takes the claim away at once.
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog import audit
from catalog.models import Product
from integrations import stock_lists
from integrations.models import Assortment, LocationKind, OperatorNotice, SalesPoint, StockListEntry
from integrations.salespoints import services

pytestmark = pytest.mark.django_db

KINDS_950 = {
    "airport",
    "railway_station",
    "bus_station",
    "port",
    "expressway_stop",
    "national_road_stop",
    "shopping_centre",
    "supermarket_corner",
    "market",
    "tourist_site",
    "restaurant",
    "hotel",
    "craft_village",
    "trade_service_centre",
    "industrial_zone",
    "showroom",
    "post_office",
    "commune_cultural_post",
}


@pytest.fixture
def speciality(producer, coffee_group, department_user):
    """A local speciality that is not (or not yet) an OCOP product, on the Department's list."""
    product = Product.objects.create(producer=producer, name_vi="Muối ớt Buôn Ma Thuột", group=coffee_group)
    stock_lists.add_to_list(
        product=product,
        list_code=StockListEntry.List.LOCAL_SPECIALITY,
        reference="Danh mục đặc sản 2026",
        actor=department_user,
    )
    return product


def _pull(client, point):
    response = client.get(
        reverse("integrations:sales_point_assortment"), HTTP_AUTHORIZATION=f"Bearer {point.raw_token}"
    )
    assert response.status_code == 200
    return {item["id"]: item for item in json.loads(response.content)["products"]}


def test_every_location_kind_of_950_is_data_and_a_point_may_stand_there(office_user):
    assert set(LocationKind.objects.values_list("code", flat=True)) == KINDS_950
    post = LocationKind.objects.get(code="post_office")
    assert "Bưu cục" in post.name_vi and "950/QĐ-BCT" in post.basis
    point, _token = services.create_sales_point(
        code="buu-cuc-bmt", name="Bưu cục Buôn Ma Thuột", kind="commune_cultural_post", actor=office_user
    )
    assert SalesPoint.objects.get(pk=point.pk).kind.name_en == "Commune cultural post office"


def test_a_product_on_a_department_list_may_be_stocked_and_one_on_no_list_may_not(
    sales_point,
    speciality,
    other_product,
    office_user,
):
    services.assign_product(point=sales_point, product=speciality, actor=office_user)
    with pytest.raises(ValidationError) as refused:
        services.assign_product(point=sales_point, product=other_product, actor=office_user)
    assert refused.value.code == "not_stockable"
    assert list(Assortment.objects.values_list("product_id", flat=True)) == [speciality.pk]


def test_only_the_department_keeps_the_lists(other_product, office_user):
    with pytest.raises(ValidationError):
        stock_lists.add_to_list(product=other_product, list_code=StockListEntry.List.KEY_PRODUCT, actor=office_user)
    assert not StockListEntry.objects.filter(product=other_product).exists()


def test_only_ocop_products_carry_the_mark_and_stars(
    client,
    sales_point,
    speciality,
    certified_product,
    offer_for,
    office_user,
    department_user,
):
    for product in (speciality, certified_product):
        offer_for(product)
        services.assign_product(point=sales_point, product=product, actor=office_user)

    items = _pull(client, sales_point)
    assert (items[certified_product.pk]["ocop"], items[certified_product.pk]["ocop_stars"]) == (True, 4)
    assert items[certified_product.pk]["basis"] == ["ocop"] and items[certified_product.pk]["certificate"]
    listed = items[speciality.pk]
    assert (listed["ocop"], listed["ocop_stars"], listed["certificate"], listed["certified_until"]) == (
        False,
        None,
        "",
        None,
    )
    assert listed["basis"] == ["local_speciality"]

    client.force_login(department_user)
    page = client.get(reverse("integrations:sales_point_labels", args=[sales_point.pk])).content.decode()
    ocop_label = page.split(f'data-product="{certified_product.pk}"')[1].split('class="label"')[0]
    other_label = page.split(f'data-product="{speciality.pk}"')[1].split('class="label"')[0]
    assert 'data-ocop="yes"' in ocop_label and "OCOP 4 stars" in ocop_label and "<svg" in ocop_label
    assert 'data-ocop="no"' in other_label and "ocop-mark" not in other_label and "stars" not in other_label
    assert "<svg" not in other_label
    assert "Local speciality" in other_label


def test_revocation_removes_the_ocop_claim_at_once_and_a_listed_product_stays(
    client,
    sales_point,
    certified_product,
    offer_for,
    office_user,
    department_user,
    revoke,
    operator_org,
):
    SalesPoint.objects.filter(pk=sales_point.pk).update(operator=operator_org)
    stock_lists.add_to_list(product=certified_product, list_code=StockListEntry.List.KEY_PRODUCT, actor=department_user)
    offer_for(certified_product)
    services.assign_product(point=sales_point, product=certified_product, actor=office_user)
    assert _pull(client, sales_point)[certified_product.pk]["ocop"] is True

    revoke(certified_product)  # the projection runs in the revocation's own transaction

    item = _pull(client, sales_point)[certified_product.pk]
    assert (item["ocop"], item["ocop_stars"], item["basis"]) == (False, None, ["key_product"])
    assert Assortment.objects.filter(product=certified_product).exists()
    assert audit.history_of(certified_product).filter(action="assortment.ocop_claim_removed").exists()
    notice = OperatorNotice.objects.get(product=certified_product)
    assert "OCOP" in notice.title and "key_product" not in notice.message  # the list by its name


def test_a_product_taken_off_its_list_leaves_the_assortments(sales_point, speciality, office_user, department_user):
    services.assign_product(point=sales_point, product=speciality, actor=office_user)
    entry = StockListEntry.objects.get(product=speciality)

    assert stock_lists.remove_from_list(entry=entry, actor=department_user) == [sales_point.pk]

    assert not Assortment.objects.filter(product=speciality).exists()
    entry.refresh_from_db()
    assert entry.removed_on is not None
    assert audit.history_of(entry).filter(action="stock_list.removed").exists()
