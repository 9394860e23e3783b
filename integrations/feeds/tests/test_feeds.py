import csv
import io
from xml.etree import ElementTree as ET  # noqa: S405 - parsing our own output in a test

import pytest
from django.urls import reverse

from integrations.feeds.documents import META_COLUMNS

G = "{http://base.google.com/ns/1.0}"
REQUIRED = ["id", "title", "description", "link", "image_link", "availability", "price", "condition", "brand"]


@pytest.fixture
def catalogue(product, other_product, producer, coffee_group, certify, offer_for, revoke):
    """One listable product with a GTIN, one without, one revoked, one never certified."""
    from catalog.models import Product

    offer_for(product)
    certify(product)
    offer_for(other_product, stock=0)
    certify(other_product, stars=3)
    revoked = Product.objects.create(producer=producer, name_vi="Rượu cần Buôn Đôn", group=coffee_group)
    offer_for(revoked)
    certify(revoked)
    revoke(revoked)
    never = Product.objects.create(producer=producer, name_vi="Trà đường phèn", group=coffee_group)
    offer_for(never)
    for p in (product, other_product):
        p.refresh_from_db()
    return {"with_gtin": product, "without_gtin": other_product, "revoked": revoked, "never": never}


def _items(client):
    response = client.get(reverse("integrations:google_feed"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == "rss" and root.get("version") == "2.0"
    return {item.findtext(f"{G}id"): item for item in root.iter("item")}


def test_google_feed_lists_exactly_the_listable_products_with_required_attributes(client, catalogue):
    items = _items(client)

    expected = {catalogue["with_gtin"].store_listing.sku, catalogue["without_gtin"].store_listing.sku}
    assert set(items) == expected
    for item in items.values():
        for name in REQUIRED:
            assert (item.findtext(f"{G}{name}") or "").strip(), name
        assert len(item.findtext(f"{G}id")) <= 50
        assert item.findtext(f"{G}price") == "150000 VND"
        assert item.findtext(f"{G}availability") in {"in_stock", "out_of_stock"}


def test_google_feed_marks_products_without_gtin(client, catalogue):
    items = _items(client)

    with_gtin = items[catalogue["with_gtin"].store_listing.sku]
    without = items[catalogue["without_gtin"].store_listing.sku]
    assert with_gtin.findtext(f"{G}gtin") == "08934602001238"
    assert with_gtin.find(f"{G}identifier_exists") is None
    assert without.findtext(f"{G}identifier_exists") == "no"
    assert without.find(f"{G}gtin") is None
    assert without.findtext(f"{G}availability") == "out_of_stock"


def test_google_feed_drops_a_product_at_once_when_revoked(client, catalogue, revoke):
    revoke(catalogue["with_gtin"])

    assert set(_items(client)) == {catalogue["without_gtin"].store_listing.sku}


def test_meta_csv_has_the_required_columns_and_only_listable_rows(client, catalogue):
    response = client.get(reverse("integrations:meta_feed"))

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and list(rows[0]) == META_COLUMNS
    assert {"id", "title", "description", "availability", "condition", "price", "link", "image_link", "brand"} <= set(
        META_COLUMNS
    )
    assert {r["id"] for r in rows} == {
        catalogue["with_gtin"].store_listing.sku,
        catalogue["without_gtin"].store_listing.sku,
    }
    assert {r["availability"] for r in rows} == {"in stock", "out of stock"}
    assert all(r["price"] == "150000 VND" for r in rows)
