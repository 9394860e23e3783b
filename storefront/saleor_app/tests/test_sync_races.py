"""A first sync queued by the install and ``saleor_app_register`` may run at the same time; a lost mapping must
not make a second copy of a product in Saleor. And paid orders carry the lot number when it is unambiguous."""

import datetime

from django.utils import timezone

from storefront.saleor_app import services
from storefront.saleor_app.models import SaleorInstance, SaleorProduct
from storefront.saleor_app.services import setup as saleor_setup

from .fake_saleor import MutationErrors, _err


def test_a_product_already_in_saleor_under_our_reference_is_adopted_not_duplicated(
    saleor_configured, saleor_instance, synced_product
):
    # Given the mapping was lost (another sync made the product, or our database was restored)
    saleor_id = synced_product.saleor_product_id
    SaleorProduct.objects.all().delete()

    services.sync_product(instance=saleor_instance, product=synced_product.product)

    mapping = SaleorProduct.objects.get(product=synced_product.product)
    assert (mapping.saleor_product_id, mapping.published) == (saleor_id, True)
    assert list(saleor_configured.products) == [saleor_id]
    assert len(saleor_configured.variants) == 1


def test_a_category_created_meanwhile_by_a_concurrent_setup_is_reused(db, saleor_configured, monkeypatch):
    # Given another process creates the category between our lookup and our create (Saleor answers UNIQUE)
    fake = saleor_configured
    instance = SaleorInstance(api_url=fake.url)
    instance.token = fake.app_token
    instance.save()
    real_first_node, real_create = saleor_setup._first_node, fake.r_categoryCreate
    lookups = []

    def first_node(connection):
        lookups.append(connection)
        if len(lookups) == 1:
            fake.categories["Q2F0ZWdvcnk6OTk="] = {"id": "Q2F0ZWdvcnk6OTk=", "slug": "ocop", "name": "OCOP"}
            return None
        return real_first_node(connection)

    def category_create(args, app):
        if any(c["slug"] == args["input"]["slug"] for c in fake.categories.values()):
            raise MutationErrors([_err("UNIQUE", "slug", "Category with this Slug already exists.")])
        return real_create(args, app)

    monkeypatch.setattr(saleor_setup, "_first_node", first_node)
    monkeypatch.setattr(fake, "r_categoryCreate", category_create)

    setup = services.ensure_setup(instance)

    assert setup["category"] == "Q2F0ZWdvcnk6OTk="
    assert len(fake.categories) == 1


def paid_order(instance, mapping, number="77"):
    return services.record_order(
        instance=instance,
        event="order_fully_paid",
        payload={
            "order": {
                "id": f"T3JkZXI6{number}",
                "number": number,
                "userEmail": "lan@example.vn",
                "lines": [{"productSku": "CF-BMT-500", "quantity": 1, "variant": {"id": mapping.saleor_variant_id}}],
            }
        },
    )


def test_the_lot_number_is_filled_when_the_product_has_one_current_lot(saleor_instance, synced_product):
    from traceability.models import Lot

    today = timezone.localdate()
    Lot.objects.create(
        product=synced_product.product,
        number="OLD-2025",
        produced_on=today.replace(year=2025),
        expires_on=today - datetime.timedelta(days=1),
    )
    Lot.objects.create(
        product=synced_product.product,
        number="L-2026-11",
        produced_on=today,
        expires_on=today + datetime.timedelta(days=365),
    )

    [line] = paid_order(saleor_instance, synced_product).lines.all()

    assert line.lot_number == "L-2026-11"


def test_the_lot_number_stays_blank_when_several_lots_are_current(saleor_instance, synced_product):
    from traceability.models import Lot

    today = timezone.localdate()
    for number in ("L-A", "L-B"):
        Lot.objects.create(product=synced_product.product, number=number, produced_on=today)

    [line] = paid_order(saleor_instance, synced_product, number="78").lines.all()

    assert line.lot_number == ""
