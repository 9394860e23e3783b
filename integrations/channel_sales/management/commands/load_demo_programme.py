"""Load the programme part of the demo (idempotent): the programme's rows (catalog/programme/demo.py: partners,
a coffee tour, a festival and two fairs, potential products, commune reports) and sales in every channel over the
quarter of those reports.

Every row is found by a natural key before it is made, so running it again changes nothing. The store orders
belong to an inactive demo Saleor instance and the marketplace orders to disabled demo shops: nothing is ever
sent to them.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog import demo_data
from catalog.models import Commune, Producer, Product
from catalog.programme import demo
from catalog.programme.models import PotentialProduct
from catalog.querysets import local_today
from integrations.marketplaces.adapters.base import PulledLine, PulledOrder
from integrations.models import Destination, SalesPoint, SalesReport
from integrations.salespoints import services as points
from storefront.saleor_app.models import SaleorInstance, SaleorOrder

from ... import services

DEMO_SALEOR = "https://saleor.demo.invalid/graphql/"
SHOPS = [("shopee", "Shopee — OCOP Đắk Lắk (demo)"), ("lazada", "Lazada — OCOP Đắk Lắk (demo)")]
QUARTER_MONTHS = (datetime.date(2026, 7, 1), datetime.date(2026, 8, 1), datetime.date(2026, 9, 1))


class Command(BaseCommand):
    help = "Load the demo programme: events, partners, potential products, commune reports, sales in every channel."

    def handle(self, *args, **options):
        demo_data.refuse_outside_development(self)
        users = get_user_model()
        office = users.objects.filter(username="vanphong").first()
        if office is None or not Product.objects.filter(name_vi=demo_data.PRODUCTS[0][1]).exists():
            raise CommandError("The demo registry is not loaded: run 'manage.py load_demo' first.")
        producers = {
            key: Producer.objects.get(registration_number=number)
            for key, _kind, _name, number, _rep, _commune in demo_data.PRODUCERS
        }
        communes = {
            key: Commune.objects.get(name=name, district="")  # the demo's communes are those since 07/2025
            for key, (name, _former) in demo_data.COMMUNES.items()
        }
        today = local_today()
        with transaction.atomic():
            partners = demo.load_partners(producers)
            events = {key: demo.load_event(key, office, partners, producers, today) for key in demo.EVENTS}
            demo.load_fair_sales(events["fair-q3"], producers)
            demo.load_potential(communes)
            quarter = demo.load_quarter(office, communes)
            demo.open_last_month(office, today)
            store, market, point_lines = self._store(), self._marketplaces(), self._points()
        self.stdout.write(
            f"Demo programme: {len(events)} events (a coffee festival, two fairs), {len(partners)} partners, "
            f"{PotentialProduct.objects.count()} potential products in "
            f"{PotentialProduct.objects.values('commune').distinct().count()} communes, "
            f"{quarter.reports.count()}/{quarter.communes.count()} communes reported {quarter.title}, "
            f"{store} store orders, {market} marketplace orders and {point_lines} sales-point lines in 07–09/2026."
        )

    # Sales in every channel over the quarter --------------------------------------------------------------------
    def _products(self) -> list[Product]:
        return list(
            Product.objects.listable()
            .filter(store_listing__isnull=False)
            .select_related("store_listing")
            .order_by("pk")[:6]
        )

    def _store(self) -> int:
        instance, _created = SaleorInstance.objects.get_or_create(api_url=DEMO_SALEOR, defaults={"is_active": False})
        for number, product in enumerate(self._products() * 2, start=1):
            month = QUARTER_MONTHS[number % 3]
            order, created = SaleorOrder.objects.get_or_create(
                instance=instance,
                saleor_id=f"demo-order-{number}",
                defaults={
                    "number": f"DL{number:04d}",
                    "status": SaleorOrder.Status.PAID,
                    "paid_at": demo.aware(month + datetime.timedelta(days=number)),
                    "currency": "VND",
                    "email": "khach@example.invalid",
                },
            )
            if created:
                quantity = 1 + number % 3
                order.lines.create(
                    product=product,
                    sku=product.store_listing.sku,
                    quantity=quantity,
                    unit_price=product.store_listing.price,
                    currency="VND",
                )
                order.total = quantity * product.store_listing.price
                order.save(update_fields=["total"])
        return instance.orders.count()

    def _marketplaces(self) -> int:
        count = 0
        for offset, (kind, name) in enumerate(SHOPS):
            shop, _created = Destination.objects.get_or_create(
                name=name, defaults={"kind": kind, "enabled": False, "base_url": f"https://{kind}.demo.invalid"}
            )
            orders = [
                PulledOrder(
                    f"{kind.upper()}-{number}",
                    "COMPLETED",
                    number % 5 == 4,
                    demo.aware(QUARTER_MONTHS[(number + offset) % 3] + datetime.timedelta(days=number)),
                    (
                        PulledLine(
                            product.store_listing.sku,
                            1 + (number + offset) % 4,
                            product.store_listing.price * Decimal("0.95"),
                        ),
                    ),
                )
                for number, product in enumerate(self._products(), start=1)
            ]
            services.record_orders(shop, orders)
            count += shop.orders.count()
        return count

    def _points(self) -> int:
        department = get_user_model().objects.filter(username="socongthuong").first()
        lines = 0
        for point in SalesPoint.objects.filter(status=SalesPoint.Status.APPROVED, code__startswith="bmt-"):
            products = list(point.products.select_related("store_listing").order_by("pk")[:3])
            rows = []
            for month in QUARTER_MONTHS:
                for product in products:
                    if SalesReport.objects.filter(point=point, product=product, month=month).exists():
                        continue
                    sold = 5 + (product.pk * month.month) % 17
                    price = getattr(getattr(product, "store_listing", None), "price", None) or Decimal(100000)
                    rows.append(
                        (
                            len(rows) + 1,
                            {
                                "point": point.code,
                                "product": product.pk,
                                "month": f"{month:%Y-%m}",
                                "quantity_sold": sold,
                                "revenue": sold * price,
                                "closing_stock": 10,
                            },
                        )
                    )
            if rows:
                points.record_sales(rows=rows, points=[point], source=SalesReport.Source.FORM, actor=department)
            lines += SalesReport.objects.filter(point=point, month__in=QUARTER_MONTHS).count()
        return lines
