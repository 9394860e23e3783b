"""The programme part of the demo (``manage.py load_demo_programme``): partners and a coffee tour, the Buôn Ma Thuột
Coffee Festival and two fairs with their participants, potential products in three communes, a completed quarter of
commune reports and an open month to answer.

Every row is found by a natural key before it is made, so loading it again changes nothing.
"""

import datetime
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import Product, ProductGroup

from . import models, services

PARTNERS = [
    ("association", "Hiệp hội Cà phê Buôn Ma Thuột", "Trịnh Đức Minh", "https://example.invalid/hiephoi"),
    ("distributor", "Công ty CP Phân phối Nông sản Tây Nguyên", "Phạm Thu Trang", ""),
    ("tour_operator", "Công ty Du lịch Cao nguyên Xanh", "Y Phôn Knul", "https://example.invalid/caonguyenxanh"),
    ("expert", "TS. Nguyễn Văn Minh (chuyên gia bao bì, nhãn hiệu)", "Nguyễn Văn Minh", ""),
]
TOUR = ("Hành trình cà phê Buôn Ma Thuột", "Buon Ma Thuot coffee trail", ["thuanan", "htxcuorđang", "tieueatul"])

# The events by key, their fields in three tables: the names ...
EVENT_NAMES = {
    "festival": ("Lễ hội Cà phê Buôn Ma Thuột lần thứ 9", "9th Buon Ma Thuot Coffee Festival"),
    "fair-q3": ("Hội chợ Thương mại – OCOP Đắk Lắk 2026", "Dak Lak Trade and OCOP Fair 2026"),
    "fair-region": ("Hội chợ OCOP khu vực Tây Nguyên 2027", "Central Highlands OCOP Fair 2027"),
}
# ... where ...
EVENT_PLACES = {
    "festival": ("Quảng trường 10/3, TP. Buôn Ma Thuột", Decimal("12.679700"), Decimal("108.037800")),
    "fair-q3": ("Trung tâm Hội nghị tỉnh, TP. Buôn Ma Thuột", Decimal("12.682000"), Decimal("108.044000")),
    "fair-region": ("Công viên Đồng Xanh, TP. Pleiku", Decimal("13.983000"), Decimal("108.000000")),
}
# ... and what and when.
EVENTS = {
    "festival": ("festival", "national", "selected", "UBND tỉnh Đắk Lắk", date(2027, 3, 9), date(2027, 3, 13)),
    "fair-q3": ("fair", "provincial", "selected", "Sở Công Thương tỉnh Đắk Lắk", date(2026, 8, 20), date(2026, 8, 24)),
    "fair-region": ("fair", "regional", "open", "Bộ Công Thương", date(2027, 1, 14), date(2027, 1, 18)),
}
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
    ("eatul", "Hộ bà H'Ngăm Niê", "Tiêu xanh ngâm muối", "1", "Hồ tiêu xanh Ea Tul", date(2026, 3, 12), False),
    (
        "eatul",
        "Tổ hợp tác Cà phê sạch Ea Tul",
        "Cà phê hòa tan 3 trong 1",
        "1",
        "Cà phê Robusta",
        date(2026, 7, 5),
        False,
    ),
    ("eatul", "Hộ ông Y Krông", "Rượu sim rừng", "2", "Sim rừng", date(2026, 9, 20), True),
    ("eakao", "HTX Nông nghiệp Ea Kao", "Bột ca cao nguyên chất", "1", "Hạt ca cao Ea Kao", date(2026, 5, 18), False),
    ("eakao", "Hộ bà Lê Thị Sen", "Chuối sấy dẻo", "1", "Chuối tiêu hồng", date(2026, 10, 2), False),
    ("krongnang", "Hộ ông Trần Văn Tư", "Mật ong bạc hà", "1", "Mật ong rừng Krông Năng", date(2026, 8, 1), False),
]

QUARTER = ("Báo cáo quý III/2026", date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 10))
#: Communes of the quarter that did not answer it (the office's "who has not reported").
NOT_ANSWERED = {"tuyhoa"}


EVENT_FIELDS = (
    (EVENT_NAMES, ("name_vi", "name_en")),
    (EVENT_PLACES, ("place", "latitude", "longitude")),
    (EVENTS, ("kind", "level", "status", "organiser", "starts_on", "ends_on")),
)


def aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _officer():
    return get_user_model().objects.filter(username="canboxa").first()


# Partners and the tour --------------------------------------------------------------------------------------------
def load_partners(producers) -> dict[str, models.Partner]:
    partners = {}
    for kind, name, contact, website in PARTNERS:
        partners[kind], _created = models.Partner.objects.get_or_create(
            name=name, defaults={"kind": kind, "contact_person": contact, "website": website}
        )
    coffee = Product.objects.listable().filter(producer__in=[producers["thuanan"], producers["htxcuorđang"]])
    partners["distributor"].products.add(*coffee)
    name_vi, name_en, stops = TOUR
    tour, _created = models.TourRoute.objects.get_or_create(
        name_vi=name_vi,
        defaults={
            "operator": partners["tour_operator"],
            "name_en": name_en,
            "url": "https://example.invalid/caonguyenxanh/ca-phe",
        },
    )
    for order, key in enumerate(stops, start=1):
        models.TourStop.objects.get_or_create(tour=tour, producer=producers[key], defaults={"order": order})
    return partners


# Events -----------------------------------------------------------------------------------------------------------
def load_event(key, office, partners, producers, today) -> models.Event:
    fields = {name: value for table, names in EVENT_FIELDS for name, value in zip(names, table[key], strict=True)}
    event = models.Event.objects.filter(name_vi=fields["name_vi"]).first()
    if event is not None:
        return event
    starts = fields["starts_on"]
    event = models.Event.objects.create(
        **fields,
        applications_close_on=min(starts - datetime.timedelta(days=20), max(starts, today)),
        description_vi=f"{fields['name_vi']} — gian hàng sản phẩm OCOP Đắk Lắk.",
        description_en=f"{fields['name_en']}.",
        created_by=office,
    )
    event.partners.add(partners["association"])
    for producer_key, booth in PARTICIPANTS[key]:
        producer = producers[producer_key]
        participation = models.Participation.objects.create(
            event=event,
            producer=producer,
            booth=booth,
            note="",
            status=models.Participation.Status.SELECTED if booth else models.Participation.Status.APPLIED,
            decided_by=office if booth else None,
            decided_at=timezone.now() if booth else None,
        )
        participation.products.set(Product.objects.listable().filter(producer=producer).order_by("pk")[:2])
    return event


def load_fair_sales(fair: models.Event, producers) -> None:
    for producer_key, index, quantity in FAIR_SALES:
        participation = fair.participations.get(producer=producers[producer_key])
        product = participation.products.order_by("pk")[index]
        price = getattr(getattr(product, "store_listing", None), "price", None) or Decimal(120000)
        models.EventSale.objects.get_or_create(
            participation=participation,
            product=product,
            defaults={"quantity": quantity, "revenue": quantity * price},
        )
        if participation.reported_at is None:
            participation.contacts = 6 + quantity % 7
            participation.reported_at = aware(fair.ends_on + datetime.timedelta(days=3))
            participation.save(update_fields=["contacts", "reported_at"])


# The pipeline -----------------------------------------------------------------------------------------------------
def load_potential(communes) -> None:
    officer = _officer()
    for commune_key, holder, idea, group, materials, recorded, dropped in POTENTIAL:
        models.PotentialProduct.objects.get_or_create(
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


# Reports from communes --------------------------------------------------------------------------------------------
def load_quarter(office, communes) -> models.ReportingPeriod:
    title, starts, ends, deadline = QUARTER
    period = models.ReportingPeriod.objects.filter(title=title).first()
    if period is not None:
        return period
    period = models.ReportingPeriod.objects.create(
        kind=models.ReportingPeriod.Kind.QUARTERLY,
        title=title,
        starts_on=starts,
        ends_on=ends,
        deadline=deadline,
        created_by=office,
    )
    asked = services.communes_to_report()
    period.communes.set(asked)
    officer = _officer()
    silent = {communes[key].pk for key in NOT_ANSWERED}
    for commune in asked:
        if commune.pk not in silent:
            models.CommuneReport.objects.create(
                period=period,
                commune=commune,
                submitted_by=officer,
                trainings=1,
                trainees=25,
                activities="Tuyên truyền, tập huấn OCOP.",
                **services.prefill(period, commune),
            )
    return period


def open_last_month(office, today) -> None:
    month_end = today.replace(day=1) - datetime.timedelta(days=1)
    title = f"Báo cáo tháng {month_end:%m/%Y}"
    if not models.ReportingPeriod.objects.filter(title=title).exists():
        services.open_period(
            period=models.ReportingPeriod(
                kind=models.ReportingPeriod.Kind.MONTHLY,
                title=title,
                starts_on=month_end.replace(day=1),
                ends_on=month_end,
                deadline=month_end + datetime.timedelta(days=10),
            ),
            actor=office,
        )
