import datetime
import html
import json
import re

import pytest

from catalog import services as catalog_services
from catalog.models import Level, Product
from traceability import services
from traceability.identifiers import display_serial, item_path, new_serial


def path_of(item):
    lot = item.lot
    return item_path(gtin=lot.product.gtin, lot=lot.number, serial=item.serial, expires_on=lot.expires_on)


def revoke(product, office_user, *, number="12/QĐ-UBND-REV"):
    return catalog_services.revoke_certificates(
        number=number,
        signed_on=datetime.date(2026, 10, 1),
        authority_level=Level.PROVINCE,
        authority_name="UBND tỉnh Đắk Lắk",
        reason="Không tái đánh giá đúng hạn",
        certificates=[product.current_certificate],
        actor=office_user,
    )


def test_certified_item_shows_genuine_banner_and_everything_the_circular_requires(client, item, certify):
    certificate = certify(item.lot.product, stars=4)

    response = client.get(path_of(item), HTTP_ACCEPT_LANGUAGE="vi")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="genuine"' in page
    assert "Cà phê bột Buôn Ma Thuột" in page
    assert "HTX Cà phê Buôn Ma Thuột" in page and "Phường Buôn Ma Thuột" in page  # producer and address
    assert display_serial(item.serial) in page and "08934602001238" in page
    assert "L2026-11" in page and "01/11/2026" in page and "01/11/2027" in page  # lot, produced, expiry
    assert certificate.decision.number in page and "UBND tỉnh Đắk Lắk" in page
    assert "01/09/2028" in page  # valid until: 36 months from signing on 01/09/2025, counted from the next day
    assert "★★★★<" in page


def test_a_random_code_is_unknown_and_warns_the_buyer(client, item, certify):
    certify(item.lot.product)
    invented = new_serial()

    response = client.get(f"/01/08934602001238/10/L2026-11/21/{invented}")

    assert response.status_code == 404
    assert 'data-status="unknown"' in response.content.decode()


def test_a_real_serial_under_another_gtin_is_unknown(client, item, certify):
    certify(item.lot.product)

    response = client.get(f"/01/08934602001245/10/L2026-11/21/{item.serial}")

    assert 'data-status="unknown"' in response.content.decode()


def test_expired_certificate_shows_expired(client, item, certify):
    # valid through 01/06/2025: 36 months from signing, counted from the next day (Civil Code Art. 147–148)
    certify(item.lot.product, stars=4, signed_on=datetime.date(2022, 6, 1))

    page = client.get(path_of(item)).content.decode()

    assert 'data-status="expired"' in page
    assert "01/06/2025" in page


def test_revocation_shows_on_the_very_next_scan_even_with_the_product_part_cached(
    client, item, certify, office_user, settings
):
    settings.TRACEABILITY_FRAGMENT_TTL = 3600  # cache the product part for an hour
    product = item.lot.product
    certify(product)
    assert 'data-status="genuine"' in client.get(path_of(item)).content.decode()

    product.refresh_from_db()
    revoke(product, office_user)
    page = client.get(path_of(item)).content.decode()

    assert 'data-status="revoked"' in page
    assert "12/QĐ-UBND-REV" in page and "Không tái đánh giá đúng hạn" in page


def test_recertification_shows_on_the_next_scan(client, item, certify, office_user, settings):
    settings.TRACEABILITY_FRAGMENT_TTL = 3600
    product = item.lot.product
    certify(product)
    product.refresh_from_db()
    revoke(product, office_user)
    assert 'data-status="revoked"' in client.get(path_of(item)).content.decode()

    certify(product, stars=5, signed_on=datetime.date(2026, 11, 1), number="99/QĐ-BNN-VPĐP")
    page = client.get(path_of(item)).content.decode()

    assert 'data-status="genuine"' in page and "99/QĐ-BNN-VPĐP" in page


def test_product_without_gtin_is_served_by_the_short_uri(client, other_product, certify, office_user, issue):
    certify(other_product)
    lot = services.create_lot(
        product=other_product, number="MO-1", produced_on=datetime.date(2026, 10, 1), actor=office_user
    )
    item = issue(lot, 1)[0]

    response = client.get(f"/q/{display_serial(item.serial).lower()}")

    assert path_of(item) == f"/q/{item.serial}"
    assert response.status_code == 200 and 'data-status="genuine"' in response.content.decode()


def test_page_language_follows_the_browser_and_the_switch(client, item, certify):
    certify(item.lot.product)

    english = client.get(path_of(item), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    vietnamese = client.get(path_of(item), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    link = html.unescape(re.search(r'<a href="([^"]+)" hreflang="en"', vietnamese).group(1))
    client.get(link, HTTP_ACCEPT_LANGUAGE="vi")  # the page's switch
    switched = client.get(path_of(item), HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    assert '<html lang="en">' in english and "Buon Ma Thuot ground coffee" in english
    assert '<html lang="vi">' in vietnamese
    assert '<html lang="en">' in switched


def test_uncertified_product_is_not_shown_as_certified(client, item):
    page = client.get(path_of(item)).content.decode()

    assert 'data-status="not_certified"' in page


def test_every_scan_is_queued_for_logging_with_the_sales_point(client, item, scan_queue):
    client.get(path_of(item) + "&sp=BMT-AIRPORT", HTTP_USER_AGENT="Mozilla/5.0 test")

    queued = [json.loads(x) for x in scan_queue.lrange(services.SCAN_QUEUE_KEY, 0, -1)]
    assert [(q["s"], q["i"], q["sp"], q["ua"]) for q in queued] == [
        (item.serial, item.pk, "BMT-AIRPORT", "Mozilla/5.0 test")
    ]


def test_other_products_of_the_producer_are_linked(client, item, certify, producer, coffee_group):
    sister = Product.objects.create(producer=producer, name_vi="Cà phê hạt rang", group=coffee_group)
    certify(item.lot.product)
    certify(sister)

    page = client.get(path_of(item)).content.decode()

    assert "Cà phê hạt rang" in page


def banner_text(page: str) -> str:
    """The banner's words as a reader sees them, first word first."""
    banner = page.split('role="status"', 1)[1].split("</div>\n</div>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", banner.split("</span>", 1)[1]).split())


def test_product_level_code_shows_the_product_and_its_live_certificate_without_a_warning(client, item, certify):
    certificate = certify(item.lot.product, stars=4)

    response = client.get("/01/08934602001238", HTTP_ACCEPT_LANGUAGE="vi")

    page = response.content.decode()
    assert response.status_code == 200 and 'data-status="genuine"' in page
    assert "Cà phê bột Buôn Ma Thuột" in page and "HTX Cà phê Buôn Ma Thuột" in page
    assert certificate.decision.number in page and "★★★★<" in page
    assert f"data-valid-until>{certificate.valid_until:%d/%m/%Y}<" in page
    assert 'data-level="product"' in page and "data-serial" not in page
    assert "không phải hàng thật" not in page and "We did not issue" not in page


def test_lot_level_code_shows_the_lots_dates(client, item, certify):
    certify(item.lot.product)

    page = client.get("/01/08934602001238/10/L2026-11", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'data-status="genuine"' in page and 'data-level="lot"' in page
    assert "data-lot>L2026-11<" in page
    assert "data-produced-on>01/11/2026<" in page and "data-expires-on>01/11/2027<" in page
    assert "data-lot-unregistered" not in page


def test_a_lot_the_producer_never_registered_is_a_milder_notice_not_a_counterfeit_warning(client, item, certify):
    certify(item.lot.product)

    response = client.get("/01/08934602001238/10/X-9999", HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200 and 'data-status="genuine"' in page
    assert "data-lot-unregistered" in page and "X-9999" in page
    assert "has not registered lot" in page and "may not be genuine" not in page
    assert "data-produced-on" not in page


def test_the_unregistered_lot_number_is_escaped(client, item, certify):
    certify(item.lot.product)

    page = client.get("/01/08934602001238/10/%3Cb%3E").content.decode()

    assert "&lt;b&gt;" in page and "<b>" not in page


@pytest.mark.parametrize("state", ["expired", "revoked", "not_certified"])
def test_red_and_orange_banners_never_begin_with_genuine(client, item, certify, office_user, state):
    product = item.lot.product
    if state == "expired":
        certify(product, stars=4, signed_on=datetime.date(2022, 6, 1))
    elif state == "revoked":
        certify(product)
        product.refresh_from_db()
        revoke(product, office_user)

    text = banner_text(client.get(path_of(item), HTTP_ACCEPT_LANGUAGE="en").content.decode())

    assert not text.lower().startswith("genuine") and "genuine" not in text.lower().split("—")[0]
    assert "The code was issued by HTX Cà phê Buôn Ma Thuột." in text
    if state == "expired":
        assert text.startswith("No longer OCOP-certified") and "Valid until 01/06/2025" in text
    if state == "revoked":
        assert text.startswith("No longer OCOP-certified") and "12/QĐ-UBND-REV" in text
    if state == "not_certified":
        assert text.startswith("Not OCOP-certified")


def test_vietnamese_banners_never_begin_with_genuine_either(client, item, certify):
    certify(item.lot.product, stars=4, signed_on=datetime.date(2022, 6, 1))

    text = banner_text(client.get(path_of(item), HTTP_ACCEPT_LANGUAGE="vi").content.decode())

    assert not text.lower().startswith("chính hãng") and not text.lower().startswith("hàng thật")
    assert "HTX Cà phê Buôn Ma Thuột" in text


def test_the_brand_is_shown(client, item, certify):
    product = item.lot.product
    product.brand = "Ban Mê Xanh"
    product.save()
    certify(product)

    page = client.get(path_of(item)).content.decode()

    assert "data-brand>Ban Mê Xanh<" in page
