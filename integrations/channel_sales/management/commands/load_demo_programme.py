"""Load the programme part of the demo (idempotent): partners and a coffee tour, the Buôn Ma Thuột Coffee Festival
and two fairs with their participants, potential products in three communes, a completed quarter of commune
reports (and an open month to answer), and sales in every channel over that quarter.

Every row is found by a natural key before it is made, so running it again changes nothing. The store orders
belong to an inactive demo Saleor instance and the marketplace orders to disabled demo shops: nothing is ever
sent to them.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from catalog import demo_data
from catalog.models import Commune, Producer, Product, ProductGroup
from catalog.programme import services as programme
from catalog.programme.models import (
    CommuneReport,
    Event,
    EventSale,
    Participation,
    Partner,
    PotentialProduct,
    ReportingPeriod,
    TourRoute,
    TourStop,
)
from catalog.querysets import local_today
from integrations.marketplaces.adapters.base import PulledLine, PulledOrder
from integrations.models import Destination, SalesPoint, SalesReport
from integrations.salespoints import services as points
from storefront.saleor_app.models import SaleorInstance, SaleorOrder

from ... import services

PARTNERS = [
    ("association", "Hiệp hội Cà phê Buôn Ma Thuột", "Trịnh Đức Minh", "https://example.invalid/hiephoi"),
    ("distributor", "Công ty CP Phân phối Nông sản Tây Nguyên", "Phạm Thu Trang", ""),
    ("tour_operator", "Công ty Du lịch Cao nguyên Xanh", "Y Phôn Knul", "https://example.invalid/caonguyenxanh"),
    ("expert", "TS. Nguyễn Văn Minh (chuyên gia bao bì, nhãn hiệu)", "Nguyễn Văn Minh", ""),
]
TOUR = ("Hành trình cà phê Buôn Ma Thuột", "Buon Ma Thuot coffee trail", ["thuanan", "htxcuorđang", "tieueatul"])

# (key, name vi, name en, kind, level, place, lat, lon, start, end, status, organiser)
EVENTS = [
    (
        "festival",
        "Lễ hội Cà phê Buôn Ma Thuột lần thứ 9",
        "9th Buon Ma Thuot Coffee Festival",
        "festival",
        "national",
        "Quảng trường 10/3, TP. Buôn Ma Thuột",
        "12.679700",
        "108.037800",
        datetime.date(2027, 3, 9),
        datetime.date(2027, 3, 13),
        "selected",
        "UBND tỉnh Đắk Lắk",
    ),
    (
        "fair-q3",
        "Hội chợ Thương mại – OCOP Đắk Lắk 2026",
        "Dak Lak Trade and OCOP Fair 2026",
        "fair",
        "provincial",
        "Trung tâm Hội nghị tỉnh, TP. Buôn Ma Thuột",
        "12.682000",
        "108.044000",
        datetime.date(2026, 8, 20),
        datetime.date(2026, 8, 24),
        "selected",
        "Sở Công Thương tỉnh Đắk Lắk",
    ),
    (
        "fair-region",
        "Hội chợ OCOP khu vực Tây Nguyên 2027",
        "Central Highlands OCOP Fair 2027",
        "fair",
        "regional",
        "Công viên Đồng Xanh, TP. Pleiku",
        "13.983000",
        "108.000000",
        datetime.date(2027, 1, 14),
        datetime.date(2027, 1, 18),
        "open",
        "Bộ Công Thương",
    ),
]
#: Producers taking part in each event: (producer key, booth or "" for an application not decided yet).
PARTICIPANTS = {
    "festival": [("thuanan", "A01"), ("htxcuorđang", "A02"), ("tieueatul", "A03"), ("matongpl", "B01")],
    "fair-q3": [("thuanan", "12"), ("matongpl", "14"), ("ruoucan", "15"), ("saurieng", "")],
    "fair-region": [("macca", "")],
}
#: Fair sales reported after the completed fair: (producer key, product index in its listable products, qty).
FAIR_SALES = [("thuanan", 0, 180), ("thuanan", 1, 95), ("matongpl", 0, 140), ("ruoucan", 0, 60)]

# Potential products in three communes: (commune key, holder, idea, group code, raw materials, recorded, dropped)
POTENTIAL = [
    ("eatul", "Hộ bà H'Ngăm Niê", "Tiêu xanh ngâm muối", "1", "Hồ tiêu xanh Ea Tul", datetime.date(2026, 3, 12), False),
    (
        "eatul",
        "Tổ hợp tác Cà phê sạch Ea Tul",
        "Cà phê hòa tan 3 trong 1",
        "1",
        "Cà phê Robusta",
        datetime.date(2026, 7, 5),
        False,
    ),
    ("eatul", "Hộ ông Y Krông", "Rượu sim rừng", "2", "Sim rừng", datetime.date(2026, 9, 20), True),
    (
        "eakao",
        "HTX Nông nghiệp Ea Kao",
        "Bột ca cao nguyên chất",
        "1",
        "Hạt ca cao Ea Kao",
        datetime.date(2026, 5, 18),
        False,
    ),
    ("eakao", "Hộ bà Lê Thị Sen", "Chuối sấy dẻo", "1", "Chuối tiêu hồng", datetime.date(2026, 10, 2), False),
    (
        "krongnang",
        "Hộ ông Trần Văn Tư",
        "Mật ong bạc hà",
        "1",
        "Mật ong rừng Krông Năng",
        datetime.date(2026, 8, 1),
        False,
    ),
]

QUARTER = ("Báo cáo quý III/2026", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), datetime.date(2026, 10, 10))
#: Communes of the quarter that did not answer it (the office's "who has not reported").
NOT_ANSWERED = {"tuyhoa"}

DEMO_SALEOR = "https://saleor.demo.invalid/graphql/"
SHOPS = [("shopee", "Shopee — OCOP Đắk Lắk (demo)"), ("lazada", "Lazada — OCOP Đắk Lắk (demo)")]
QUARTER_MONTHS = (datetime.date(2026, 7, 1), datetime.date(2026, 8, 1), datetime.date(2026, 9, 1))


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


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
            partners = self._partners(producers)
            events = {key: self._event(key, office, partners, producers, today) for key, *_rest in EVENTS}
            self._fair_sales(events["fair-q3"], producers)
            self._potential(communes)
            quarter = self._quarter(office, communes)
            self._open_month(office, today)
            store, market, point_lines = self._store(), self._marketplaces(), self._points()
        self.stdout.write(
            f"Demo programme: {len(events)} events (a coffee festival, two fairs), {len(partners)} partners, "
            f"{PotentialProduct.objects.count()} potential products in "
            f"{PotentialProduct.objects.values('commune').distinct().count()} communes, "
            f"{quarter.reports.count()}/{quarter.communes.count()} communes reported {quarter.title}, "
            f"{store} store orders, {market} marketplace orders and {point_lines} sales-point lines in 07–09/2026."
        )

    # Partners and the tour ------------------------------------------------------------------------------------
    def _partners(self, producers) -> dict[str, Partner]:
        partners = {}
        for kind, name, contact, website in PARTNERS:
            partners[kind], _created = Partner.objects.get_or_create(
                name=name, defaults={"kind": kind, "contact_person": contact, "website": website}
            )
        coffee = Product.objects.listable().filter(producer__in=[producers["thuanan"], producers["htxcuorđang"]])
        partners["distributor"].products.add(*coffee)
        name_vi, name_en, stops = TOUR
        tour, _created = TourRoute.objects.get_or_create(
            name_vi=name_vi,
            defaults={
                "operator": partners["tour_operator"],
                "name_en": name_en,
                "url": "https://example.invalid/caonguyenxanh/ca-phe",
            },
        )
        for order, key in enumerate(stops, start=1):
            TourStop.objects.get_or_create(tour=tour, producer=producers[key], defaults={"order": order})
        return partners

    # Events ---------------------------------------------------------------------------------------------------
    def _event(self, key, office, partners, producers, today) -> Event:
        _key, name_vi, name_en, kind, level, place, lat, lon, starts, ends, status, organiser = next(
            row for row in EVENTS if row[0] == key
        )
        event = Event.objects.filter(name_vi=name_vi).first()
        if event is not None:
            return event
        event = Event.objects.create(
            name_vi=name_vi,
            name_en=name_en,
            kind=kind,
            level=level,
            place=place,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            starts_on=starts,
            ends_on=ends,
            organiser=organiser,
            created_by=office,
            applications_close_on=min(starts - datetime.timedelta(days=20), max(starts, today)),
            description_vi=f"{name_vi} — gian hàng sản phẩm OCOP Đắk Lắk.",
            description_en=f"{name_en}.",
            status=status,
        )
        event.partners.add(partners["association"])
        for producer_key, booth in PARTICIPANTS[key]:
            producer = producers[producer_key]
            participation = Participation.objects.create(
                event=event,
                producer=producer,
                booth=booth,
                note="",
                status=Participation.Status.SELECTED if booth else Participation.Status.APPLIED,
                decided_by=office if booth else None,
                decided_at=timezone.now() if booth else None,
            )
            participation.products.set(Product.objects.listable().filter(producer=producer).order_by("pk")[:2])
        return event

    def _fair_sales(self, fair: Event, producers) -> None:
        for producer_key, index, quantity in FAIR_SALES:
            participation = fair.participations.get(producer=producers[producer_key])
            product = participation.products.order_by("pk")[index]
            price = getattr(getattr(product, "store_listing", None), "price", None) or Decimal(120000)
            EventSale.objects.get_or_create(
                participation=participation,
                product=product,
                defaults={"quantity": quantity, "revenue": quantity * price},
            )
            if participation.reported_at is None:
                participation.contacts = 6 + quantity % 7
                participation.reported_at = _aware(fair.ends_on + datetime.timedelta(days=3))
                participation.save(update_fields=["contacts", "reported_at"])

    # The pipeline ---------------------------------------------------------------------------------------------
    def _potential(self, communes) -> None:
        officer = get_user_model().objects.filter(username="canboxa").first()
        for commune_key, holder, idea, group, materials, recorded, dropped in POTENTIAL:
            PotentialProduct.objects.get_or_create(
                commune=communes[commune_key],
                idea=idea,
                defaults={
                    "holder": holder,
                    "group": ProductGroup.objects.get(code=group),
                    "raw_materials": materials,
                    "recorded_on": recorded,
                    "dropped": dropped,
                    "recorded_by": officer,
                    "guidance": "Hướng dẫn hoàn thiện hồ sơ, bao bì và công bố chất lượng.",
                },
            )

    # Reports from communes ------------------------------------------------------------------------------------
    def _quarter(self, office, communes) -> ReportingPeriod:
        title, starts, ends, deadline = QUARTER
        period = ReportingPeriod.objects.filter(title=title).first()
        if period is None:
            period = ReportingPeriod.objects.create(
                kind=ReportingPeriod.Kind.QUARTERLY,
                title=title,
                starts_on=starts,
                ends_on=ends,
                deadline=deadline,
                created_by=office,
            )
            asked = programme.communes_to_report()
            period.communes.set(asked)
            officer = get_user_model().objects.filter(username="canboxa").first()
            silent = {communes[key].pk for key in NOT_ANSWERED}
            for commune in asked:
                if commune.pk in silent:
                    continue
                CommuneReport.objects.create(
                    period=period,
                    commune=commune,
                    submitted_by=officer,
                    trainings=1,
                    trainees=25,
                    activities="Tuyên truyền, tập huấn OCOP.",
                    **programme.prefill(period, commune),
                )
        return period

    def _open_month(self, office, today) -> None:
        month_end = today.replace(day=1) - datetime.timedelta(days=1)
        title = f"Báo cáo tháng {month_end:%m/%Y}"
        if not ReportingPeriod.objects.filter(title=title).exists():
            programme.open_period(
                period=ReportingPeriod(
                    kind=ReportingPeriod.Kind.MONTHLY,
                    title=title,
                    starts_on=month_end.replace(day=1),
                    ends_on=month_end,
                    deadline=month_end + datetime.timedelta(days=10),
                ),
                actor=office,
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
                    "paid_at": _aware(month + datetime.timedelta(days=number)),
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
                    _aware(QUARTER_MONTHS[(number + offset) % 3] + datetime.timedelta(days=number)),
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
