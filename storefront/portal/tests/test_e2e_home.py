"""End to end in headless Chromium: a producer signs in, opens the portal's dashboard, creates a lot and sees it."""

import pytest

from traceability.models import Lot


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_producer_opens_the_dashboard_creates_a_lot_and_sees_it_listed(
    live_server,
    browser_page,
    producer_user,
    certified_product,
):
    page = browser_page

    # given the producer signed in
    page.goto(live_server.url + "/portal/applications/login/")
    page.fill("input[name=username]", "htx-user")
    page.fill("input[name=password]", "pw-htx-user-123")
    page.click("main button[type=submit]")

    # when it opens its dashboard, then its product is there
    page.goto(live_server.url + "/portal/")
    assert certified_product.name_vi in page.locator("#products").inner_text()

    # and when it goes to its lots and creates one
    page.click("#site-nav a[href='/portal/lots/']")
    page.select_option("#new-lot select[name=product]", str(certified_product.pk))
    page.fill("#new-lot input[name=number]", "CF-2026-11")
    page.fill("#new-lot input[name=produced_on]", "2026-11-20")
    page.fill("#new-lot input[name=expires_on]", "2027-11-20")
    page.fill("#new-lot input[name=quantity]", "240")
    page.click("#new-lot button[type=submit]")

    # then the lot's page opens, and the lot is listed among its lots
    assert "CF-2026-11" in page.locator("h1").inner_text()
    page.click("#site-nav a[href='/portal/lots/']")
    row = page.locator("#lots tbody tr", has_text="CF-2026-11")
    assert certified_product.name_vi in row.inner_text() and "240" in row.inner_text()
    assert Lot.objects.get(number="CF-2026-11").product == certified_product
