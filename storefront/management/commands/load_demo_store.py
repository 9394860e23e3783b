"""Load the store part of the demo (idempotent): listings of the demo products, gift combos, search index."""

from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog.models import Product
from storefront import demo_data
from storefront.models import GiftCombo, GiftComboItem, ProductListing
from storefront.search import get_backend


class Command(BaseCommand):
    help = "Load demo store prices, stock and gift combos for the demo registry, and rebuild the search index."

    def handle(self, *args, **options):
        with transaction.atomic():
            products = {p.name_vi: p for p in Product.objects.filter(name_vi__in=demo_data.PRICES).order_by("pk")}
            if not products:
                raise CommandError("The demo registry is not loaded: run 'manage.py load_demo' first.")
            created = self._load_listings(products)
            self._load_combos(products)
        indexed = get_backend().rebuild()
        visible = GiftCombo.objects.visible().count()
        self.stdout.write(
            f"Demo store: {ProductListing.objects.count()} listings ({created} new), "
            f"{Product.objects.sellable().count()} on sale today, "
            f"{visible} gift combos on sale, {indexed} products in the search index."
        )

    def _load_listings(self, products) -> int:
        created = 0
        for index, (name, price) in enumerate(demo_data.PRICES.items()):
            product = products.get(name)
            if product is None:
                continue
            _listing, new = ProductListing.objects.get_or_create(
                product=product,
                defaults={
                    "price": Decimal(price),
                    "stock": 20 + (index * 7) % 50,
                    "sku": f"OCOP-DL-{product.pk:05d}",
                    "featured": index % 4 == 0,
                },
            )
            created += new
        return created

    def _load_combos(self, products) -> None:
        for position, (slug, name_vi, name_en, description_vi, description_en, items) in enumerate(demo_data.COMBOS):
            combo, _created = GiftCombo.objects.get_or_create(
                slug=slug,
                defaults={
                    "name_vi": name_vi,
                    "name_en": name_en,
                    "description_vi": description_vi,
                    "description_en": description_en,
                    "position": position,
                },
            )
            for name, quantity in items:
                product = products[name]
                GiftComboItem.objects.get_or_create(combo=combo, product=product, defaults={"quantity": quantity})
                if not product.is_listable():
                    self.stderr.write(f"Gift combo {slug}: {name} is not listable today, so the combo is hidden.")
