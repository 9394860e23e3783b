"""Gift combos are charged at their stated price: whole or not at all, never with an unlistable item."""

from decimal import Decimal

import pytest
from django.urls import reverse

from storefront import combos
from storefront.cart import Cart, CartError
from storefront.models import GiftCombo, GiftComboItem


@pytest.fixture
def priced_combo(gift_combo):
    """Coffee 120.000 ₫ + 2 × honey 250.000 ₫ = 620.000 ₫ at list prices, sold for 500.000 ₫."""
    gift_combo.price = Decimal(500000)
    gift_combo.save()
    return gift_combo


def test_the_combo_price_is_spread_over_its_items_to_the_dong(priced_combo):
    parts = combos.parts(priced_combo)
    assert sum(p.unit_price * p.quantity for p in parts) == Decimal(500000)
    by_name = {p.product.name_vi: (p.quantity, p.unit_price) for p in parts}
    assert by_name["Cà phê bột Buôn Ma Thuột"] == (1, Decimal(96774 + 2))  # 120/620 of 500.000, + the remainder
    assert by_name["Mật ong hoa cà phê"] == (2, Decimal(201612))


def test_a_remainder_no_single_item_can_take_splits_a_line(store_catalogue):
    combo = GiftCombo.objects.create(slug="doi", name_vi="Đôi", price=Decimal(333333))
    GiftComboItem.objects.create(combo=combo, product=store_catalogue["coffee"], quantity=2)
    GiftComboItem.objects.create(combo=combo, product=store_catalogue["tea"], quantity=3)
    parts = combos.parts(combo)
    assert sum(p.unit_price * p.quantity for p in parts) == Decimal(333333)
    assert sum(p.quantity for p in parts) == 5 and all(p.unit_price >= 0 for p in parts)


def test_the_cart_charges_the_combo_at_its_price(client, priced_combo):
    response = client.post(reverse("storefront:combo_add", args=[priced_combo.slug]))
    assert response.url == reverse("storefront:cart")
    page = client.get(reverse("storefront:cart")).content.decode()
    assert "500.000 ₫" in page and "620.000 ₫" not in page
    assert client.session["storefront_cart_combos"] == {priced_combo.slug: 1}
    assert client.session.get("storefront_cart", {}) == {}  # not split into loose products


def test_adding_a_combo_is_all_or_nothing(rf, priced_combo, store_catalogue):
    honey = store_catalogue["honey"].store_listing
    honey.stock = 1  # the combo needs 2
    honey.save()
    request = rf.get("/")
    request.session = {}
    cart = Cart(request.session)
    with pytest.raises(CartError, match="Mật ong"):
        cart.add_combo(priced_combo.slug)
    assert cart.combos == {} and cart.items == {}


def test_a_combo_with_an_unlistable_item_cannot_be_bought(client, rf, priced_combo, store_catalogue):
    GiftComboItem.objects.create(combo=priced_combo, product=store_catalogue["revoked"])
    assert client.post(reverse("storefront:combo_add", args=[priced_combo.slug])).status_code == 404
    request = rf.get("/")
    request.session = {}
    with pytest.raises(CartError, match="Krông Pắc"):
        Cart(request.session).add_combo(priced_combo.slug)


def test_a_combo_whose_item_lapses_in_the_cart_blocks_the_checkout(client, priced_combo, store_catalogue):
    client.post(reverse("storefront:combo_add", args=[priced_combo.slug]))
    GiftComboItem.objects.create(combo=priced_combo, product=store_catalogue["revoked"])
    page = client.get(reverse("storefront:cart")).content.decode()
    assert "Krông Pắc" in page and reverse("storefront:checkout") not in page.split("</table>")[1]


def test_a_combo_checkout_in_saleor_costs_the_combo_price(
    saleor_configured, saleor_instance, priced_combo, store_catalogue
):
    from storefront.saleor_app import checkout, services

    fake = saleor_configured
    for name in ("coffee", "honey"):
        services.sync_product(instance=saleor_instance, product=store_catalogue[name])
    address = checkout.VietnamAddress(
        first_name="Lan",
        last_name="Nguyễn",
        street="12 Lê Duẩn",
        city="Buôn Ma Thuột",
        province="Đắk Lắk",
        phone="+84905123456",
    )

    created = checkout.create_checkout(lines=[], combos=[(priced_combo, 2)], email="lan@example.vn", address=address)

    assert Decimal(str(created["totalPrice"]["gross"]["amount"])) == Decimal(1000000)  # 2 × 500.000, not 1.240.000
    call = next(c for c in fake.calls if c["field"] == "checkoutCreate")
    assert call["auth"] and all(
        line["forceNewLine"] and line["price"] >= 0 for line in call["variables"]["input"]["lines"]
    )


def test_only_our_app_may_set_a_line_price_in_saleor(saleor_configured, saleor_instance):
    from storefront.saleor_app import documents
    from storefront.saleor_app.client import SaleorClient, SaleorError

    variables = {"input": {"channel": "ocop-vnd", "lines": [{"variantId": "x", "quantity": 1, "price": 1}]}}
    with pytest.raises(SaleorError):
        SaleorClient(saleor_configured.url).mutate(documents.CHECKOUT_CREATE, variables, auth=False)
