"""Fixtures of the registry, building on each other: commune → producer → product → certificate."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from catalog import permissions, services
from catalog.evaluation_path import record_path
from catalog.models import Commune, Level, Membership, Producer, Product, ProductGroup, ProductSubGroup

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def commune(db):
    return Commune.objects.create(name="Phường Buôn Ma Thuột", province="Đắk Lắk")


@pytest.fixture
def other_commune(db):
    return Commune.objects.create(name="Xã Ea Kao", province="Đắk Lắk")


@pytest.fixture
def coffee_group(db):
    return ProductGroup.objects.get(code="1")


@pytest.fixture
def coffee_subgroup(db):
    return ProductSubGroup.objects.get(code="1.6")


@pytest.fixture
def producer(commune):
    return Producer.objects.create(
        kind=Producer.Kind.COOPERATIVE,
        name="HTX Cà phê Buôn Ma Thuột",
        registration_number="6000123456",
        representative="Y Bhin Niê",
        commune=commune,
    )


@pytest.fixture
def other_producer(other_commune):
    return Producer.objects.create(
        kind=Producer.Kind.HOUSEHOLD,
        name="Hộ kinh doanh Mật ong Ea Kao",
        registration_number="40A8001234",
        commune=other_commune,
    )


@pytest.fixture
def product(producer, coffee_group, coffee_subgroup):
    return Product.objects.create(
        producer=producer,
        name_vi="Cà phê bột Buôn Ma Thuột",
        name_en="Buon Ma Thuot ground coffee",
        group=coffee_group,
        subgroup=coffee_subgroup,
        gtin="08934602001238",
    )


@pytest.fixture
def other_product(other_producer, coffee_group):
    return Product.objects.create(producer=other_producer, name_vi="Mật ong hoa cà phê", group=coffee_group)


@pytest.fixture
def office_user(django_user_model):
    user = django_user_model.objects.create_user("office", password="pw-office-123", is_staff=True)
    user.groups.add(Group.objects.get(name=permissions.OCOP_OFFICE))
    return user


@pytest.fixture
def certify(office_user):
    """Issue a certificate under the rule set in force on ``signed_on`` (4★ by the province by default),
    after the pre-assessment and council evaluations it rests on (``catalog.evaluation_path``)."""

    counter = {"n": 0}

    def _certify(
        product, *, stars=4, signed_on=datetime.date(2025, 9, 1), level=None, number=None, stated_valid_until=None
    ):
        counter["n"] += 1
        if level is None:
            level = Level.CENTRAL if stars == 5 else Level.PROVINCE
            if signed_on < datetime.date(2025, 7, 6) and stars == 3:
                level = Level.DISTRICT
        record_path(product, stars=stars, on=signed_on, level=level, actor=office_user)
        return services.issue_certification(
            number=number or f"{counter['n']}/QĐ-UBND-TEST",
            signed_on=signed_on,
            authority_level=level,
            authority_name="UBND tỉnh Đắk Lắk",
            awards=[services.Award(product=product, stars=stars)],
            actor=office_user,
            stated_valid_until=stated_valid_until,
        ).certificates.get(product=product)

    return _certify


@pytest.fixture
def certified_product(product, certify):
    certify(product)
    product.refresh_from_db()
    return product


@pytest.fixture
def member(django_user_model):
    """Create a staff user in a role, optionally tied to a commune or producer."""

    def _member(username, role, *, commune=None, producer=None):
        user = django_user_model.objects.create_user(username, password=f"pw-{username}-123", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        if commune or producer:
            Membership.objects.create(user=user, commune=commune, producer=producer)
        return user

    return _member


SCORES_4_STARS = {"score_a": Decimal("30"), "score_b": Decimal("20"), "score_c": Decimal("25")}


def sent_mail():
    """The e-mails sent once the outbox is delivered (as the worker would, here in the test's process)."""
    from django.core import mail

    from ocop.outbox import services as outbox

    outbox.drain()
    return mail.outbox
