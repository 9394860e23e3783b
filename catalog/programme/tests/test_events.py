"""Events: the office announces, producers apply from their portal, the office selects, consumers see it, and
participants report their sales after the event, all or nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from icalendar import Calendar

from catalog.applications.models import Notice
from catalog.programme import services
from catalog.programme.event_sales import EventSalesInvalid
from catalog.programme.models import Event, EventSale, Participation
from catalog.querysets import local_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(certified_product, certify, other_product):
    certify(other_product, stars=3)
    other_product.refresh_from_db()
    return certified_product, other_product


def test_announcing_opens_applications_and_tells_each_producer_with_a_certified_product(
    make_event, producer_user, other_producer_user, listed, client
):
    draft = make_event(announce=False, name="Hội chợ nháp")
    assert client.get("/events/").content.decode().count("Hội chợ nháp") == 0  # a draft is not public

    event = make_event()

    assert event.status == Event.Status.OPEN
    notices = Notice.objects.filter(key="programme.event.announced")
    assert {n.user.username for n in notices} == {"htx-user", "honey-user"}
    with translation.override("vi"):
        assert (
            "Lễ hội Cà phê Buôn Ma Thuột" in notices.first().message and "Quảng trường 10/3" in notices.first().message
        )
    page = client.get("/events/").content.decode()
    assert "Buon Ma Thuot Coffee Festival" in page and draft.name_vi not in page


def test_a_producer_applies_with_its_own_certified_products_only(make_event, producer_user, listed):
    product, other = listed
    event = make_event()

    with pytest.raises(ValidationError) as refused:
        services.apply_to_event(event=event, actor=producer_user, products=[other])
    assert "products" in refused.value.error_dict
    participation = services.apply_to_event(event=event, actor=producer_user, products=[product], note="Gian 3x3")

    assert participation.status == Participation.Status.APPLIED and list(participation.products.all()) == [product]
    with pytest.raises(ValidationError):
        services.apply_to_event(event=event, actor=producer_user, products=[product])
    assert Participation.objects.count() == 1


def test_applications_are_refused_once_they_close(make_event, producer_user, listed):
    today = local_today()
    event = make_event(applications_close_on=today + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.apply_to_event(
            event=event, actor=producer_user, products=[listed[0]], today=today + datetime.timedelta(days=2)
        )
    assert not Participation.objects.exists()


def test_selection_gives_a_booth_tells_the_producer_and_shows_on_the_product_and_in_the_calendar(
    make_event, programme_office, producer_user, other_producer_user, listed, client
):
    product, other = listed
    event = make_event()
    mine = services.apply_to_event(event=event, actor=producer_user, products=[product])
    theirs = services.apply_to_event(event=event, actor=other_producer_user, products=[other])

    services.decide(participation=mine, actor=programme_office, selected=True, booth="A12")
    with pytest.raises(ValidationError) as taken:
        services.decide(participation=theirs, actor=programme_office, selected=True, booth="a12")
    services.decide(participation=theirs, actor=programme_office, selected=False, note="Hết gian hàng.")

    notice = Notice.objects.get(user=producer_user, key="programme.participation.selected")
    with translation.override("en"):
        assert "booth A12" in notice.message
    assert "booth" in taken.value.error_dict
    assert Notice.objects.filter(user=other_producer_user, key="programme.participation.not_selected").exists()
    start = event.starts_on.strftime("%d/%m/%Y")
    product_page = client.get(f"/products/{product.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Meet the producer at" in product_page and start in product_page and "booth A12" in product_page
    assert "Meet the producer" not in client.get(f"/products/{other.pk}/").content.decode()
    event_page = client.get(f"/events/{event.pk}/").content.decode()
    assert product.producer.name in event_page and other.producer.name not in event_page

    feed = client.get("/events.ics", HTTP_ACCEPT_LANGUAGE="en")
    entries = list(Calendar.from_ical(feed.content).walk("VEVENT"))
    assert feed["Content-Type"].startswith("text/calendar")
    assert [str(e["summary"]) for e in entries] == ["Buon Ma Thuot Coffee Festival"]
    assert entries[0].decoded("dtstart") == event.starts_on
    assert entries[0].decoded("dtend") == event.ends_on + datetime.timedelta(days=1)  # all-day, exclusive end


def test_the_post_event_report_is_all_or_nothing(make_event, programme_office, producer_user, listed):
    product, other = listed
    event = make_event(starts_in=-3, days=2, announce=False)
    event = services.announce_event(event=event, actor=programme_office, today=event.starts_on)
    participation = services.apply_to_event(event=event, actor=producer_user, products=[product], today=event.starts_on)
    services.decide(participation=participation, actor=programme_office, selected=True, booth="B1")

    with pytest.raises(EventSalesInvalid) as invalid:
        services.report_sales(
            participation=participation,
            actor=producer_user,
            contacts=4,
            rows=[
                (2, {"product": product.pk, "quantity": "120", "revenue": "18.000.000"}),
                (3, {"product": other.pk, "quantity": "5", "revenue": "1000"}),  # not shown at this event
            ],
        )
    assert [(i.row, i.column) for i in invalid.value.issues] == [(3, "product")]
    assert not EventSale.objects.exists()

    sales = services.report_sales(
        participation=participation,
        actor=producer_user,
        contacts=4,
        rows=[(2, {"product": product.pk, "quantity": "120", "revenue": "18.000.000"})],
    )

    assert [(s.quantity, s.revenue) for s in sales] == [(120, 18_000_000)]
    participation.refresh_from_db()
    assert participation.contacts == 4 and participation.reported_at is not None


def test_a_producer_uploads_its_report_and_cannot_reach_another_producers_participation(
    make_event, programme_office, producer_user, other_producer_user, listed, client
):
    product, other = listed
    event = make_event(starts_in=-1, days=3, announce=False)
    event = services.announce_event(event=event, actor=programme_office, today=event.starts_on)
    mine = services.apply_to_event(event=event, actor=producer_user, products=[product], today=event.starts_on)
    theirs = services.apply_to_event(event=event, actor=other_producer_user, products=[other], today=event.starts_on)
    services.decide(participation=mine, actor=programme_office, selected=True, booth="B1")
    services.decide(participation=theirs, actor=programme_office, selected=True, booth="B2")
    client.force_login(producer_user)
    sheet = f'Mã sản phẩm,Số lượng bán,Doanh thu (VNĐ)\n{product.pk},40,"6.000.000"\n'.encode()

    bad = client.post(
        f"/portal/events/participations/{mine.pk}/report/",
        {"file": SimpleUploadedFile("ban-hang.csv", sheet.replace(b",40,", b",-4,")), "contacts": "2"},
    )
    good = client.post(
        f"/portal/events/participations/{mine.pk}/report/",
        {"file": SimpleUploadedFile("ban-hang.csv", sheet), "contacts": "2"},
    )
    foreign = client.post(
        f"/portal/events/participations/{theirs.pk}/report/",
        {"file": SimpleUploadedFile("ban-hang.csv", sheet), "contacts": "2"},
    )

    assert bad.status_code == 400 and "Row 2" in bad.content.decode()
    assert good.status_code == 302
    assert list(EventSale.objects.values_list("participation__producer", "quantity", "revenue")) == [
        (product.producer_id, 40, 6_000_000)
    ]
    assert foreign.status_code == 404
    assert client.get(f"/portal/events/participations/{theirs.pk}/template.csv").status_code == 404
