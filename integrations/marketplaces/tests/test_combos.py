"""Gift combos on the marketplaces: pushed as bundles where the adapter can, else skipped with a logged reason;
never offered with an item that may not be sold."""

import logging
from decimal import Decimal

import pytest

from integrations.marketplaces import combos
from integrations.marketplaces.adapters import ADAPTERS
from storefront.models import GiftCombo, GiftComboItem


@pytest.fixture
def priced_combo(gift_combo):
    gift_combo.price = Decimal(500000)
    gift_combo.save()
    return gift_combo


@pytest.mark.parametrize("kind", sorted(ADAPTERS))
def test_platforms_without_bundles_skip_combos_with_a_logged_reason(kind, make_destination, priced_combo, caplog):
    destination = make_destination(kind, "https://api.example.invalid")
    with caplog.at_level(logging.INFO, logger="integrations.combos"):
        [result] = combos.push_combos(destination)
    assert result.outcome == "skipped" and result.reason == ADAPTERS[kind].bundles_unsupported
    assert priced_combo.slug in caplog.text and result.reason in caplog.text


class BundleAdapter:
    bundles_unsupported = ""

    def __init__(self):
        self.pushed = []

    def push_bundle(self, bundle, *, request_id):
        self.pushed.append(bundle)
        return f"B-{bundle.slug}"


def test_a_platform_with_bundles_gets_the_combo_at_its_price_and_never_an_unlistable_one(
    make_destination, priced_combo, store_catalogue
):
    other = GiftCombo.objects.create(slug="co-hang-thu-hoi", name_vi="Có hàng bị thu hồi", price=Decimal(100000))
    GiftComboItem.objects.create(combo=other, product=store_catalogue["revoked"])
    adapter = BundleAdapter()

    results = {r.slug: r for r in combos.push_combos(make_destination("shopee", "https://x.invalid"), adapter=adapter)}

    assert results[priced_combo.slug].outcome == "pushed" and results["co-hang-thu-hoi"].outcome == "not_offered"
    [bundle] = adapter.pushed
    assert bundle.price == Decimal(500000)
    assert sorted(quantity for _sku, quantity in bundle.items) == [1, 2]
