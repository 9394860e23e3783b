"""Fixtures of the programme: an OCOP office account and events (commune officers come from the applications'
fixtures)."""

import datetime
from decimal import Decimal

import pytest

from catalog import permissions
from catalog.programme import services
from catalog.programme.models import Event
from catalog.querysets import local_today


@pytest.fixture
def programme_office(member):
    user = member("programme-office", permissions.OCOP_OFFICE)
    user.email = "office@example.vn"
    user.save()
    return user


@pytest.fixture
def make_event(programme_office):
    """A saved event (draft) starting ``starts_in`` days from today; ``announce=True`` opens it."""

    def _make(*, name="Lễ hội Cà phê Buôn Ma Thuột", starts_in=20, days=5, announce=True, **fields):
        today = local_today()
        event = Event(
            name_vi=name,
            name_en=fields.pop("name_en", "Buon Ma Thuot Coffee Festival"),
            kind=fields.pop("kind", Event.Kind.FESTIVAL),
            level=fields.pop("level", Event.Level.NATIONAL),
            organiser="UBND tỉnh Đắk Lắk",
            place=fields.pop("place", "Quảng trường 10/3, Buôn Ma Thuột"),
            latitude=Decimal("12.6797"),
            longitude=Decimal("108.0378"),
            starts_on=today + datetime.timedelta(days=starts_in),
            ends_on=today + datetime.timedelta(days=starts_in + days - 1),
            **fields,
        )
        event = services.save_event(event=event, actor=programme_office)
        if announce:
            event = services.announce_event(event=event, actor=programme_office)
        return event

    return _make
