"""The consumers' pages, on the default (PostgreSQL) search backend."""

import datetime
import re

import pytest
from django.urls import reverse

from catalog import services
from catalog.models import Level

pytestmark = pytest.mark.django_db

ADDRESS = {
    "email": "khach@example.com",
    "first_name": "H'Hen",
    "last_name": "Niê",
    "phone": "0905 123 456",
    "street": "12 Lê Duẩn",
    "city": "Phường Buôn Ma Thuột",
    "province": "Đắk Lắk",
}


@pytest.fixture
def store(store_catalogue, settings):
    from storefront import search

    settings.ELASTICSEARCH_URL = ""
    settings.LANGUAGE_CODE = "vi"  # the site's default: these pages are asserted with their Vietnamese names
    search.get_backend().rebuild()
    return store_catalogue


@pytest.fixture
def english(settings):
    """For tests asserting the English wording of messages (their Vietnamese is the translators' business)."""
    settings.LANGUAGE_CODE = "en"


def listed(response) -> list[str]:
    """Product names in the result grid, in order."""
    grid = response.content.decode().split('id="results"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'<a href="/products/\d+/">([^<]+)</a>', grid)


def revoke(product, office_user, number="70/QĐ-UBND-REVOKE"):
    services.revoke_certificates(
        number=number,
        signed_on=datetime.date(2026, 11, 1),
        authority_level=Level.PROVINCE,
        authority_name="UBND tỉnh Đắk Lắk",
        reason="Vi phạm",
        certificates=[product.current_certificate],
        actor=office_user,
    )


def test_home_features_sellable_products_only(client, store):
    response = client.get(reverse("storefront:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Cà phê bột Buôn Ma Thuột" in html
    assert "Cà phê chồn Ea Tu" not in html
    assert "Cà phê hạt Krông Pắc" not in html


def test_search_box_folds_accents_and_hides_unlisted(client, store):
    response = client.get(reverse("storefront:product_list"), {"q": "ca phe"})

    found = listed(response)
    assert {"Cà phê bột Buôn Ma Thuột", "Mật ong hoa cà phê"} <= set(found)
    assert "Cà phê chồn Ea Tu" not in found
    assert "Cà phê hạt Krông Pắc" not in found


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stars": "5"}, ["Trà đường phèn"]),
        ({"group": "2", "sort": "name"}, ["Rượu cần Buôn Đôn", "Trà đường phèn"]),
        (
            {"price_min": "100000", "price_max": "260000", "sort": "price"},
            ["Cà phê bột Buôn Ma Thuột", "Mật ong hoa cà phê"],
        ),
        ({"sort": "-price"}, ["Rượu cần Buôn Đôn", "Mật ong hoa cà phê", "Cà phê bột Buôn Ma Thuột", "Trà đường phèn"]),
        ({"sort": "stars"}, ["Trà đường phèn", "Cà phê bột Buôn Ma Thuột", "Rượu cần Buôn Đôn", "Mật ong hoa cà phê"]),
    ],
)
def test_listing_filters_and_sorts(client, store, params, expected):
    response = client.get(reverse("storefront:product_list"), params)

    assert listed(response) == expected


def test_listing_filters_by_commune_and_producer(client, store, other_commune, producer):
    by_commune = client.get(reverse("storefront:product_list"), {"commune": other_commune.pk, "sort": "name"})
    by_producer = client.get(reverse("storefront:product_list"), {"producer": producer.pk, "sort": "name"})

    assert listed(by_commune) == ["Mật ong hoa cà phê", "Rượu cần Buôn Đôn"]
    assert listed(by_producer) == ["Cà phê bột Buôn Ma Thuột", "Trà đường phèn"]


def test_producers_are_offered_within_the_chosen_commune(client, store, commune, producer, other_producer):
    anywhere = client.get(reverse("storefront:product_list")).content.decode()
    in_commune = client.get(reverse("storefront:product_list"), {"commune": commune.pk}).content.decode()
    from_a_link = client.get(reverse("storefront:product_list"), {"producer": producer.pk}).content.decode()

    assert 'name="producer"' not in anywhere and f">{producer.name}</option>" not in anywhere
    assert f'<option value="{producer.pk}">{producer.name}</option>' in in_commune
    assert f">{other_producer.name}</option>" not in in_commune
    assert f'<input type="hidden" name="producer" value="{producer.pk}"' in from_a_link  # kept when filters change


def test_listing_paginates(client, store, monkeypatch):
    monkeypatch.setattr("storefront.forms.PAGE_SIZE", 3)
    monkeypatch.setattr("storefront.views.PAGE_SIZE", 3)

    first = client.get(reverse("storefront:product_list"), {"sort": "name"})
    second = client.get(reverse("storefront:product_list"), {"sort": "name", "page": "2"})

    assert len(listed(first)) == 3
    assert 'rel="next"' in first.content.decode()
    assert listed(second) == ["Trà đường phèn"]


def test_a_listing_past_what_is_counted_says_more_than_and_pages_only_that_far(client, store, monkeypatch):
    monkeypatch.setattr("storefront.search.base.MAX_HITS", 3)
    monkeypatch.setattr("storefront.views.MAX_PAGE", 1)
    monkeypatch.setattr("storefront.forms.PAGE_SIZE", 3)
    monkeypatch.setattr("storefront.views.PAGE_SIZE", 3)

    page = client.get(reverse("storefront:product_list"), {"sort": "name"})
    english = client.get(reverse("storefront:product_list"), {"sort": "name"}, HTTP_ACCEPT_LANGUAGE="en")

    assert "Hơn 3 sản phẩm" in page.content.decode() and "More than 3 products" in english.content.decode()
    assert len(listed(page)) == 3 and 'rel="next"' not in page.content.decode()


def test_product_page_shows_certificate_price_and_stock(client, store):
    coffee = store["coffee"]

    response = client.get(reverse("storefront:product", args=[coffee.pk]))

    html = response.content.decode()
    certificate = coffee.current_certificate
    assert response.status_code == 200
    assert certificate.decision.number in html
    assert certificate.valid_until.strftime("%d/%m/%Y") in html
    assert "UBND tỉnh Đắk Lắk" in html
    assert "120.000 ₫" in html
    assert "HTX Cà phê Buôn Ma Thuột" in html
    assert 'action="/cart/add/"' in html


def test_out_of_stock_product_cannot_be_added(client, store):
    response = client.get(reverse("storefront:product", args=[store["wine"].pk]))

    assert response.status_code == 200
    assert 'action="/cart/add/"' not in response.content.decode()


def test_never_certified_product_page_is_not_found(client, store):
    response = client.get(reverse("storefront:product", args=[store["uncertified"].pk]))

    assert response.status_code == 404


def test_revoked_product_page_is_gone(client, store, english):
    response = client.get(reverse("storefront:product", args=[store["revoked"].pk]))

    assert response.status_code == 410
    assert "no longer OCOP-certified" in response.content.decode()
    assert "150.000" not in response.content.decode()


def test_language_switch_shows_english_names(client, store):
    coffee = store["coffee"]
    page = reverse("storefront:product", args=[coffee.pk])

    before = client.get(page).content.decode()
    switched = client.post(reverse("set_language"), {"language": "en", "next": page})
    after = client.get(page).content.decode()

    assert '<html lang="vi"' in before
    assert "<h1>Cà phê bột Buôn Ma Thuột</h1>" in before
    assert switched.status_code == 302
    assert '<html lang="en"' in after
    assert "<h1>Buon Ma Thuot ground coffee</h1>" in after


def test_gift_combo_shown_only_while_all_products_are_listable(client, gift_combo, office_user, store):
    shown = client.get(reverse("storefront:combo_list")).content.decode()
    revoke(gift_combo.items.get(product__name_vi="Mật ong hoa cà phê").product, office_user)
    hidden = client.get(reverse("storefront:combo_list")).content.decode()
    detail = client.get(reverse("storefront:combo", args=[gift_combo.slug]))

    assert "Quà Tết Đắk Lắk" in shown
    assert "620.000 ₫" in shown  # 120,000 + 2 × 250,000
    assert "Quà Tết Đắk Lắk" not in hidden
    assert detail.status_code == 404


def test_combo_goes_into_the_cart(client, gift_combo, settings):
    settings.LANGUAGE_CODE = "vi"
    client.post(reverse("storefront:combo_add", args=[gift_combo.slug]))

    html = client.get(reverse("storefront:cart")).content.decode()
    assert "Cà phê bột Buôn Ma Thuột" in html  # listed among the combo's items
    assert f'name="combo-{gift_combo.slug}" value="1"' in html  # one combo, not loose products
    assert "620.000 ₫" in html  # no stated price: the sum of its items


def test_cart_refuses_a_product_that_is_not_for_sale(client, store, english):
    response = client.post(reverse("storefront:cart_add"), {"product": store["uncertified"].pk, "quantity": 1})

    cart = client.get(reverse("storefront:cart")).content.decode()
    assert response.status_code == 302
    assert "Cà phê chồn Ea Tu" not in cart
    assert "Your cart is empty." in cart


def test_product_revoked_while_in_cart_cannot_be_checked_out(client, store, english, office_user, monkeypatch):
    monkeypatch.setattr("storefront.checkout.online_checkout_available", lambda: True)
    started = []
    monkeypatch.setattr("storefront.checkout.start_saleor_checkout", lambda **kw: started.append(kw))
    client.post(reverse("storefront:cart_add"), {"product": store["coffee"].pk, "quantity": 2})
    revoke(store["coffee"], office_user)

    cart = client.get(reverse("storefront:cart")).content.decode()
    response = client.post(reverse("storefront:checkout"), ADDRESS)

    assert "No longer OCOP-certified" in cart
    assert "No longer OCOP-certified" in response.content.decode()
    assert started == []


def test_checkout_hands_the_cart_to_saleor_when_connected(client, store, english, monkeypatch):
    monkeypatch.setattr("storefront.checkout.online_checkout_available", lambda: True)
    started = []
    monkeypatch.setattr(
        "storefront.checkout.start_saleor_checkout", lambda **kw: started.append(kw) or {"id": "Q2hlY2tvdXQ6MQ=="}
    )
    client.post(reverse("storefront:cart_add"), {"product": store["coffee"].pk, "quantity": 2})

    response = client.post(reverse("storefront:checkout"), ADDRESS)

    assert "Your checkout has been created in Saleor." in response.content.decode()
    assert [(line.product.pk, line.quantity) for line in started[0]["lines"]] == [(store["coffee"].pk, 2)]
    assert started[0]["email"] == "khach@example.com"
    assert started[0]["address"]["province"] == "Đắk Lắk"


def test_saleor_refusal_is_shown_to_the_shopper(client, store, monkeypatch):
    from storefront.checkout import CheckoutRefused

    def refuse(**kwargs):
        raise CheckoutRefused("Not enough stock.")

    monkeypatch.setattr("storefront.checkout.online_checkout_available", lambda: True)
    monkeypatch.setattr("storefront.checkout.start_saleor_checkout", refuse)
    client.post(reverse("storefront:cart_add"), {"product": store["coffee"].pk, "quantity": 1})

    response = client.post(reverse("storefront:checkout"), ADDRESS)

    assert "Not enough stock." in response.content.decode()


def test_checkout_without_saleor_says_so_and_places_no_order(client, store, english, monkeypatch):
    started = []
    monkeypatch.setattr("storefront.checkout.start_saleor_checkout", lambda **kw: started.append(kw))
    client.post(reverse("storefront:cart_add"), {"product": store["coffee"].pk, "quantity": 1})

    response = client.post(reverse("storefront:checkout"), ADDRESS)

    assert response.status_code == 200
    assert "Online checkout needs a Saleor connection" in response.content.decode()
    assert started == []
