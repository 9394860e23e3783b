"""Addresses since 1 July 2025: communes merged, no district level; older records converted, old address kept."""

import pytest

from catalog import addresses, audit, demo_data
from catalog.models import Commune, Membership, Producer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "current"),
    [
        (("Phường Tân Lợi", "Thành phố Buôn Ma Thuột", "Đắk Lắk"), ("Phường Buôn Ma Thuột", "Đắk Lắk")),
        (("Xã Ea Kao", "Thành phố Buôn Ma Thuột", "Đắk Lắk"), ("Phường Ea Kao", "Đắk Lắk")),
        (("Phường 9", "Thành phố Tuy Hòa", "Phú Yên"), ("Phường Tuy Hòa", "Đắk Lắk")),  # Phú Yên merged in
    ],
)
def test_old_units_convert_to_the_commune_that_took_them_over(old, current):
    unit = addresses.convert(*old)
    assert (unit.name, unit.province) == current


def test_a_current_commune_or_an_unknown_place_is_not_converted():
    assert addresses.convert("Phường Buôn Ma Thuột", "", "Đắk Lắk") is None
    assert addresses.convert("Xã Không Tồn Tại", "Huyện Không Tồn Tại", "Tỉnh Không Tồn Tại") is None


def test_producers_of_old_communes_move_and_keep_their_old_address(django_user_model):
    old = Commune.objects.create(name="Xã Ea Kao", district="Thành phố Buôn Ma Thuột", province="Đắk Lắk")
    producer = Producer.objects.create(
        kind=Producer.Kind.HOUSEHOLD,
        name="Hộ Mật ong Ea Kao",
        registration_number="40A8001234",
        commune=old,
        address_line="Buôn Kao",
    )
    officer = django_user_model.objects.create_user("officer")
    Membership.objects.create(user=officer, commune=old)

    def log_change(instance, before):
        audit.log(actor=None, action="producer.commune_converted", instance=instance, before=before)

    assert addresses.move_producers_to_current_communes(log_change=log_change) == 1
    assert addresses.move_producers_to_current_communes(log_change=log_change) == 0  # idempotent

    producer.refresh_from_db()
    assert str(producer.commune) == "Phường Ea Kao, Đắk Lắk" and producer.commune.district == ""
    assert producer.former_address == "Buôn Kao, Xã Ea Kao, Thành phố Buôn Ma Thuột, Đắk Lắk"
    assert producer.shown_former_address == producer.former_address
    assert Membership.objects.get(user=officer).commune == producer.commune
    assert audit.history_of(producer).filter(action="producer.commune_converted").exists()


def test_the_former_address_is_not_shown_when_it_is_the_same(commune, producer):
    producer.former_address = producer.address
    assert producer.shown_former_address == ""


def test_the_demo_uses_current_communes_converted_from_its_old_addresses():
    for current, old in demo_data.COMMUNES.values():
        assert addresses.convert(*old).name == current
