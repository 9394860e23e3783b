"""Fixtures of the Saleor app: a contract fake of Saleor on 127.0.0.1, an installed instance, a store listing."""

from decimal import Decimal

import pytest

from storefront.models import ProductListing

from .. import services
from ..models import SaleorInstance
from .fake_saleor import FakeSaleor, load_schema


@pytest.fixture(scope="session")
def saleor_schema():
    return load_schema()


@pytest.fixture
def fake_saleor(saleor_schema):
    fake = FakeSaleor().start()
    yield fake
    fake.stop()


@pytest.fixture
def saleor_configured(settings, fake_saleor):
    settings.SALEOR_API_URL = fake_saleor.url
    settings.SALEOR_CHANNELS = []
    settings.SALEOR_WAREHOUSE = ""
    return fake_saleor


@pytest.fixture
def saleor_instance(db, saleor_configured):
    """An installed instance with the fake's key set cached and the store's setup done."""
    fake = saleor_configured
    instance = SaleorInstance(api_url=fake.url, domain=f"127.0.0.1:{fake.port}", app_id="QXBwOjE=", jwks=fake.jwks)
    instance.token = fake.app_token
    instance.save()
    services.ensure_setup(instance)
    return instance


@pytest.fixture
def store_listing(certified_product):
    return ProductListing.objects.create(product=certified_product, price=Decimal("185000"), stock=40, sku="CF-BMT-500")


@pytest.fixture
def synced_product(saleor_instance, store_listing):
    """The certified product, pushed to Saleor and published; returns its mapping."""
    services.sync_product(instance=saleor_instance, product=store_listing.product)
    return saleor_instance.products.get(product=store_listing.product)


@pytest.fixture
def revoke_certificate(office_user):
    """Revoke a product's active certificate by a provincial decision."""
    import datetime

    from catalog import services as catalog_services
    from catalog.models import Certificate, Level

    counter = {"n": 0}

    def _revoke(product):
        counter["n"] += 1
        return catalog_services.revoke_certificates(
            number=f"{counter['n']}/QĐ-UBND-SALEOR",
            signed_on=datetime.date(2026, 11, 1),
            authority_level=Level.PROVINCE,
            authority_name="UBND tỉnh Đắk Lắk",
            reason="Vi phạm an toàn thực phẩm",
            certificates=[Certificate.objects.get(product=product, status=Certificate.Status.ACTIVE)],
            actor=office_user,
        )

    return _revoke
