"""The one sellable rule (``Product.objects.sellable()``): listable by the registry and listed in the store."""

import pytest

from catalog.models import Product
from integrations.feeds.documents import feed_offers
from storefront.models import ProductListing

pytestmark = pytest.mark.django_db


def test_sellable_is_listable_with_a_store_listing(store_catalogue):
    coffee, honey, tea = store_catalogue["coffee"], store_catalogue["honey"], store_catalogue["tea"]
    ProductListing.objects.filter(product=tea).delete()  # listable, but the store has no price for it

    sellable = set(Product.objects.sellable().values_list("pk", flat=True))

    # Listed but not listable (never certified, revoked): not sellable; listable without a listing: not sellable.
    assert sellable == {coffee.pk, honey.pk, store_catalogue["wine"].pk}
    assert Product.objects.listable().filter(pk=tea.pk).exists()


def test_the_feeds_offer_exactly_the_sellable_products(store_catalogue):
    ProductListing.objects.filter(product=store_catalogue["tea"]).delete()

    offered = {offer.product_id for offer in feed_offers()}

    assert offered == set(Product.objects.sellable().values_list("pk", flat=True))
