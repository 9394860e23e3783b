"""Load the sales-point part of the demo (idempotent): an operator, three approved OCOP sales points in
Buôn Ma Thuột with assortments of listable products, last month's sales reports and the operator's account.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog import demo_data
from catalog.models import Product
from catalog.querysets import local_today
from integrations.models import OperatorOrganisation, PointOperatorMembership, SalesPoint, SalesReport
from integrations.salespoints import services
from integrations.salespoints.permissions import POINT_OPERATOR

OPERATOR = {
    "name": "Công ty CP Dịch vụ Thương mại OCOP Tây Nguyên",
    "contact_person": "Lê Thị Thu Hà",
    "phone": "0262 3850 123",
    "email": "diemban@example.invalid",
    "address": "12 Lê Duẩn, TP. Buôn Ma Thuột, Đắk Lắk",
}
OPERATOR_USER = "diemban"
DEPARTMENT_USER = "socongthuong"
LICENCE = {
    "licence_number": "125/QĐ-SCT",
    "licence_date": datetime.date(2025, 11, 3),
    "licence_issuer": "Sở Công Thương tỉnh Đắk Lắk",
}

# (code, name, kind, address, latitude, longitude, run by the demo operator, which listable products: slice)
POINTS = [
    (
        "bmt-airport",
        "Điểm bán OCOP Cảng hàng không Buôn Ma Thuột",
        SalesPoint.Kind.AIRPORT,
        "Cảng hàng không Buôn Ma Thuột, phường Tân Lập, Đắk Lắk",
        "12.668000",
        "108.120000",
        True,
        slice(None, None, 2),
    ),
    (
        "bmt-bus-station",
        "Điểm bán OCOP Bến xe Buôn Ma Thuột",
        SalesPoint.Kind.BUS_STATION,
        "Bến xe Buôn Ma Thuột, phường Tân An, Đắk Lắk",
        "12.700000",
        "108.060000",
        True,
        slice(1, None, 3),
    ),
    (
        "bmt-showroom",
        "Trung tâm trưng bày sản phẩm OCOP Đắk Lắk",
        SalesPoint.Kind.SHOWROOM,
        "Phường Buôn Ma Thuột, Đắk Lắk",
        "12.682000",
        "108.044000",
        False,
        slice(None),
    ),
]
#: Products per point on the demo sales report.
REPORTED_PRODUCTS = 5


class Command(BaseCommand):
    help = "Load demo OCOP sales points, their assortments, a month of sales reports and an operator account."

    def handle(self, *args, **options):
        demo_data.refuse_outside_development(self)
        today = local_today()
        demo_products = Product.objects.filter(name_vi__in=[row[1] for row in demo_data.PRODUCTS])
        if not demo_products.exists():
            raise CommandError("The demo registry is not loaded: run 'manage.py load_demo' first.")
        users = get_user_model()
        department = users.objects.filter(username=DEPARTMENT_USER).first()
        with transaction.atomic():
            organisation, _created = OperatorOrganisation.objects.get_or_create(
                name=OPERATOR["name"], defaults={k: v for k, v in OPERATOR.items() if k != "name"}
            )
            operator = self._operator_user(users, organisation)
        listable = list(demo_products.listable(today).order_by("pk"))
        month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        points = []
        for code, name, kind, address, latitude, longitude, operated, products in POINTS:
            point = SalesPoint.objects.filter(code=code).first()
            if point is None:
                point, _token = services.create_sales_point(
                    code=code,
                    name=name,
                    kind=kind,
                    address=address,
                    latitude=Decimal(latitude),
                    longitude=Decimal(longitude),
                    operator=organisation if operated else None,
                    status=SalesPoint.Status.APPROVED,
                    actor=department,
                    **LICENCE,
                )
            assigned = set(point.assortment.values_list("product_id", flat=True))
            for product in listable[products]:
                if product.pk not in assigned:
                    services.assign_product(point=point, product=product, actor=department)
            self._report(point, month, operator if operated else department)
            points.append(point)
        self.stdout.write(
            f"Demo sales points: {len(points)} approved points run by {organisation.name} and the Department, "
            f"{sum(p.assortment.count() for p in points)} assortment lines, "
            f"{SalesReport.objects.filter(point__in=points, month=month).count()} sales report lines "
            f"for {month:%m/%Y}."
        )
        self.stdout.write(f"Demo operator account (password '{demo_data.DEMO_PASSWORD}'):")
        self.stdout.write(f"    {OPERATOR_USER} — {POINT_OPERATOR} ({organisation.name})")

    def _operator_user(self, users, organisation):
        user, created = users.objects.get_or_create(username=OPERATOR_USER, defaults={"is_staff": True})
        if created:
            user.set_password(demo_data.DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=POINT_OPERATOR))
        PointOperatorMembership.objects.get_or_create(user=user, organisation=organisation)
        return user

    def _report(self, point: SalesPoint, month: datetime.date, actor) -> None:
        """Last month's stock and sales of the first products of the point, reported once."""
        if point.sales_reports.filter(month=month).exists():
            return
        rows = []
        products = point.products.select_related("store_listing").order_by("pk")[:REPORTED_PRODUCTS]
        for row, product in enumerate(products, start=1):
            sold = 8 + (product.pk * 7) % 30
            listing = getattr(product, "store_listing", None)
            unit_price = listing.price if listing is not None else Decimal(100000)
            rows.append(
                (
                    row,
                    {
                        "point": point.code,
                        "product": product.pk,
                        "month": f"{month:%Y-%m}",
                        "quantity_sold": sold,
                        "revenue": sold * unit_price,
                        "closing_stock": 5 + product.pk % 20,
                    },
                )
            )
        if rows:
            services.record_sales(rows=rows, points=[point], source=SalesReport.Source.FORM, actor=actor)
