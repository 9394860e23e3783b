"""Fixtures of the integrations: store offers, destinations, sales points."""

from decimal import Decimal

import pytest

from integrations.models import Destination, SalesPoint
from integrations.salespoints import services

SHOPEE_CREDENTIALS = {
    "partner_id": "2001887",
    "partner_key": "testkey",
    "shop_id": "14701711",
    "access_token": "testtoken",
    "refresh_token": "refresh-1",
}
LAZADA_CREDENTIALS = {
    "app_key": "123456",
    "app_secret": "helloworld",
    "access_token": "test",
    "refresh_token": "refresh-1",
}
TIKTOK_CREDENTIALS = {
    "app_key": "tts-key",
    "app_secret": "tts-secret",
    "access_token": "tts-token",
    "refresh_token": "refresh-1",
    "shop_cipher": "ROW_cipher",
}
TIKI_CREDENTIALS = {"client_id": "tiki-client", "client_secret": "tiki-secret"}
CREDENTIALS = {
    "shopee": SHOPEE_CREDENTIALS,
    "lazada": LAZADA_CREDENTIALS,
    "tiktok": TIKTOK_CREDENTIALS,
    "tiki": TIKI_CREDENTIALS,
}


@pytest.fixture
def offer_for():
    """Give a product a store offer (price, stock, SKU)."""
    from storefront.models import ProductListing

    def _offer(product, *, price=Decimal("150000"), stock=12, sku=None):
        return ProductListing.objects.create(
            product=product, price=price, stock=stock, sku=sku or f"OCOP-DL-{product.pk:05d}", weight_grams=250
        )

    return _offer


@pytest.fixture
def make_destination(db):
    def _make(kind, base_url, *, name=None, options=None, rate_per_second=50.0, burst=50):
        destination = Destination(
            kind=kind,
            name=name or f"{kind} shop",
            base_url=base_url,
            options=options or {},
            rate_per_second=rate_per_second,
            burst=burst,
        )
        destination.set_credentials(dict(CREDENTIALS[kind]))
        destination.save()
        return destination

    return _make


@pytest.fixture
def sales_point(office_user):
    point, token = services.create_sales_point(
        code="bmt-airport",
        name="Quầy OCOP Cảng hàng không Buôn Ma Thuột",
        kind=SalesPoint.Kind.AIRPORT,
        address="Sân bay Buôn Ma Thuột",
        webhook_url="http://127.0.0.1:9/hook",
        webhook_secret="point-secret",
        actor=office_user,
    )
    point.raw_token = token
    return point


@pytest.fixture
def revoke(office_user):
    """Revoke a product's current certificate by a provincial decision."""
    import datetime

    from catalog import services as catalog_services
    from catalog.models import Certificate, Level

    counter = {"n": 0}

    def _revoke(product):
        counter["n"] += 1
        certificate = Certificate.objects.get(product=product, status=Certificate.Status.ACTIVE)
        return catalog_services.revoke_certificates(
            number=f"{counter['n']}/QĐ-UBND-THUHOI",
            signed_on=datetime.date(2026, 11, 1),
            authority_level=Level.PROVINCE,
            authority_name="UBND tỉnh Đắk Lắk",
            reason="Không tái đánh giá đúng hạn",
            certificates=[certificate],
            actor=office_user,
        )

    return _revoke


@pytest.fixture
def platform():
    """Start a local marketplace of a given kind; all are shut down after the test."""
    from integrations.marketplaces.tests.platforms import PLATFORMS

    started = []

    def _start(kind):
        server = PLATFORMS[kind]()
        started.append(server)
        return server

    yield _start
    for server in started:
        server.close()


def deliver_due():
    """Run the outbox until nothing is due (what the workers do), in this process."""
    from ocop.outbox import services as outbox

    for _ in range(20):
        if not outbox.drain() and not _due():
            break


def _due():
    from django.utils import timezone

    from ocop.outbox.models import OutboxDelivery

    return OutboxDelivery.objects.filter(status="pending", next_attempt_at__lte=timezone.now()).exists()


def make_due():
    """Let the backoff pass: every pending delivery is due now."""
    from django.utils import timezone

    from ocop.outbox.models import OutboxDelivery

    OutboxDelivery.objects.filter(status="pending").update(next_attempt_at=timezone.now())


# Sales-point management: operators, roles ------------------------------------------------------------------
@pytest.fixture
def point_roles(db):
    """The role groups with their integrations permissions (transactional tests flush them)."""
    from django.apps import apps

    apps.get_app_config("catalog").ensure_roles()
    apps.get_app_config("integrations").ensure_roles()


@pytest.fixture
def operator_org(db):
    from integrations.models import OperatorOrganisation

    return OperatorOrganisation.objects.create(
        name="Công ty CP Dịch vụ Hàng không Tây Nguyên",
        contact_person="Nguyễn Thị Lan",
        phone="0262 3950 000",
        email="ocop@taynguyen-airport.vn",
    )


@pytest.fixture
def other_org(db):
    from integrations.models import OperatorOrganisation

    return OperatorOrganisation.objects.create(name="HTX Du lịch Buôn Đôn", email="buondon@example.vn")


@pytest.fixture
def department_user(point_roles, member):
    from catalog.permissions import DEPARTMENT_OF_INDUSTRY_AND_TRADE

    return member("department", DEPARTMENT_OF_INDUSTRY_AND_TRADE)


@pytest.fixture
def make_operator(point_roles, django_user_model):
    """A user of a sales-point operator organisation (role group + membership)."""
    from django.contrib.auth.models import Group

    from integrations.models import PointOperatorMembership
    from integrations.salespoints.permissions import POINT_OPERATOR

    def _make(username, organisation, *, email=""):
        user = django_user_model.objects.create_user(
            username, password=f"pw-{username}-123", email=email, is_staff=True
        )
        user.groups.add(Group.objects.get(name=POINT_OPERATOR))
        PointOperatorMembership.objects.create(user=user, organisation=organisation)
        return user

    return _make


@pytest.fixture
def airport_point(sales_point, operator_org):
    """The airport point, run by ``operator_org``, with coordinates and an approval decision."""
    import datetime
    from decimal import Decimal

    SalesPoint.objects.filter(pk=sales_point.pk).update(
        operator=operator_org,
        latitude=Decimal("12.668"),
        longitude=Decimal("108.120"),
        licence_number="125/QĐ-SCT",
        licence_date=datetime.date(2025, 3, 1),
        licence_issuer="Sở Công Thương Đắk Lắk",
    )
    sales_point.refresh_from_db()
    return sales_point


@pytest.fixture
def buon_don_point(other_org, office_user):
    from decimal import Decimal

    point, token = services.create_sales_point(
        code="buon-don",
        name="Điểm OCOP Khu du lịch Buôn Đôn",
        kind=SalesPoint.Kind.TOURIST_SITE,
        latitude=Decimal("12.880"),
        longitude=Decimal("107.780"),
        operator=other_org,
        licence_number="88/QĐ-SCT",
        actor=office_user,
    )
    point.raw_token = token
    return point
