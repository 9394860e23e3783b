"""Producers propose listing changes; the OCOP office reviews them before they go live (stock alone excepted)."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from catalog import permissions
from catalog.applications.models import Notice
from catalog.tests.fixtures import sent_mail
from ocop.outbox.models import OutboxEvent
from storefront import events, services
from storefront.models import ListingChange, ProductListing
from storefront.tests.fixtures import list_in_store

Status = ListingChange.Status


@pytest.fixture
def outside(monkeypatch):
    """What leaves after commit: search re-indexing and the outbox drain, collected instead of sent."""
    sent = {"index": [], "drain": 0}
    monkeypatch.setattr("storefront.tasks.index_products.delay", sent["index"].append)

    def drain():
        sent["drain"] += 1

    monkeypatch.setattr("ocop.outbox.services._kick_drain", drain)
    return sent


@pytest.fixture
def coffee(certified_product):
    certified_product.description_vi = "Cà phê rang xay nguyên chất."
    certified_product.save()
    list_in_store(certified_product, "120000", stock=10)
    return certified_product


@pytest.fixture
def reviewer(office_user):
    return office_user


def png_upload(name="photo.png"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "brown").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def propose_form(product, **overrides):
    listing = ProductListing.objects.get(product=product)
    data = {
        "brand": product.brand,
        "description_vi": product.description_vi,
        "description_en": product.description_en,
        "story_vi": product.story_vi,
        "story_en": product.story_en,
        "price": str(listing.price),
        "stock": str(listing.stock),
    }
    data.update(overrides)
    return data


def test_a_proposed_change_waits_for_review_and_the_live_listing_stays(client, producer_user, coffee):
    client.force_login(producer_user)

    response = client.post(
        f"/portal/listings/{coffee.pk}/propose/",
        propose_form(coffee, description_vi="Cà phê Robusta rang mộc, xay vừa.", price="135000"),
    )

    assert response.status_code == 302
    change = ListingChange.objects.get(product=coffee)
    assert change.status == Status.PENDING
    assert (change.description_vi, change.price, change.stock, change.story_en) == (
        "Cà phê Robusta rang mộc, xay vừa.",
        Decimal("135000"),
        None,
        None,
    )  # only what differs
    coffee.refresh_from_db()
    assert coffee.description_vi == "Cà phê rang xay nguyên chất."
    assert coffee.store_listing.price == Decimal("120000")
    assert "Change waiting for review" in client.get("/portal/listings/").content.decode()


def test_the_producer_gives_the_brand_on_the_portal_and_it_is_live_once_the_office_approves(
    client,
    producer_user,
    reviewer,
    coffee,
    outside,
):
    client.force_login(producer_user)
    form = client.get(f"/portal/listings/{coffee.pk}/propose/").content.decode()
    client.post(f"/portal/listings/{coffee.pk}/propose/", propose_form(coffee, brand="Ban Mê Xanh"))
    change = ListingChange.objects.get(product=coffee)
    client.force_login(reviewer)

    client.post(f"/portal/listings/review/{change.pk}/", {"decision": "approve", "comment": ""})

    coffee.refresh_from_db()
    assert 'name="brand"' in form and "nhãn hiệu" in form
    assert (change.brand, change.description_vi) == ("Ban Mê Xanh", None)  # only what differs
    assert coffee.brand == "Ban Mê Xanh"


def test_approval_applies_the_change_queues_the_updates_and_tells_the_producer(
    client,
    producer_user,
    reviewer,
    coffee,
    outside,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    change = services.propose_change(
        producer=coffee.producer,
        product=coffee,
        actor=producer_user,
        story_en="Grown on basalt soil.",
        price=Decimal("135000"),
    )
    client.force_login(reviewer)
    assert "Grown on basalt soil." in client.get(f"/portal/listings/review/{change.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portal/listings/review/{change.pk}/", {"decision": "approve", "comment": ""})

    change.refresh_from_db()
    coffee.refresh_from_db()
    assert (change.status, change.reviewer) == (Status.APPROVED, reviewer)
    assert coffee.story_en == "Grown on basalt soil." and coffee.store_listing.price == Decimal("135000")
    event = OutboxEvent.objects.get(topic=events.LISTING_CHANGE_APPLIED)
    assert event.payload == {
        "product_id": coffee.pk,
        "change_id": change.pk,
        "offer_changed": True,
        "content_changed": True,
    }
    assert set(event.deliveries.values_list("subscriber", flat=True)) == {
        "integrations.listing_change",
        "saleor-listing-change",
    }
    assert outside["drain"] == 1 and coffee.pk in {pk for batch in outside["index"] for pk in batch}
    notice = Notice.objects.get(user=producer_user)
    assert "approved" in notice.message
    assert sent_mail()[0].to == ["htx@example.vn"] and "đã được phê duyệt" in mailoutbox[0].body


def test_rejection_keeps_the_live_content_and_tells_the_producer_why(
    client,
    producer_user,
    reviewer,
    coffee,
    outside,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    change = services.propose_change(
        producer=coffee.producer,
        product=coffee,
        actor=producer_user,
        description_vi="Ngon nhất thế giới!",
        price=Decimal("99000"),
    )
    client.force_login(reviewer)

    refused = client.post(f"/portal/listings/review/{change.pk}/", {"decision": "reject", "comment": ""}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/portal/listings/review/{change.pk}/",
            {"decision": "reject", "comment": "Unverifiable superlative claim."},
        )

    assert "why the change is rejected" in refused.content.decode()
    change.refresh_from_db()
    coffee.refresh_from_db()
    assert (change.status, change.comment) == (Status.REJECTED, "Unverifiable superlative claim.")
    assert coffee.description_vi == "Cà phê rang xay nguyên chất." and coffee.store_listing.price == Decimal("120000")
    assert not OutboxEvent.objects.filter(topic=events.LISTING_CHANGE_APPLIED).exists()
    assert "Unverifiable superlative claim." in Notice.objects.get(user=producer_user).message
    assert "Unverifiable superlative claim." in sent_mail()[0].body
    client.force_login(producer_user)
    assert "Unverifiable superlative claim." in client.get("/portal/listings/").content.decode()


def test_stock_alone_goes_live_at_once_but_a_price_waits(producer_user, coffee, outside):
    stock = services.propose_change(producer=coffee.producer, product=coffee, actor=producer_user, stock=42)
    price = services.propose_change(
        producer=coffee.producer, product=coffee, actor=producer_user, price=Decimal("125000"), stock=42
    )

    coffee.store_listing.refresh_from_db()
    assert (stock.status, stock.reviewer, coffee.store_listing.stock) == (Status.APPROVED, None, 42)
    assert OutboxEvent.objects.get(topic=events.LISTING_CHANGE_APPLIED).payload["offer_changed"] is True
    assert (price.status, price.price, price.stock) == (Status.PENDING, Decimal("125000"), None)
    assert coffee.store_listing.price == Decimal("120000")


def test_a_photo_is_checked_and_goes_live_on_approval(
    client, producer_user, reviewer, coffee, outside, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(producer_user)

    bad = client.post(
        f"/portal/listings/{coffee.pk}/propose/",
        {**propose_form(coffee), "image": SimpleUploadedFile("photo.png", b"not an image")},
    )
    client.post(f"/portal/listings/{coffee.pk}/propose/", {**propose_form(coffee), "image": png_upload()})
    change = ListingChange.objects.get(product=coffee)
    services.approve_change(change=change, actor=reviewer)

    assert bad.context["form"].errors["image"]
    coffee.refresh_from_db()
    # Published as a clean copy under a public random name; the proposal's own file stays private.
    assert coffee.image.name.startswith("products/") and coffee.image.name.endswith(".png")
    assert coffee.image.storage.exists(coffee.image.name) and change.image.name.startswith("listing-photos/")


def test_refusals_change_nothing(producer_user, reviewer, coffee, outside):
    with pytest.raises(Exception, match="Nothing differs"):
        services.propose_change(
            producer=coffee.producer,
            product=coffee,
            actor=producer_user,
            description_vi=coffee.description_vi,
            price=Decimal("120000"),
        )
    change = services.propose_change(
        producer=coffee.producer, product=coffee, actor=producer_user, story_vi="Câu chuyện mới"
    )
    with pytest.raises(Exception, match="already waiting"):
        services.propose_change(producer=coffee.producer, product=coffee, actor=producer_user, story_vi="Khác")
    services.reject_change(change=change, actor=reviewer, comment="Thiếu nguồn gốc")
    with pytest.raises(Exception, match="already reviewed"):
        services.approve_change(change=change, actor=reviewer)

    coffee.refresh_from_db()
    assert coffee.story_vi == "" and ListingChange.objects.count() == 1


def test_a_producer_never_reaches_another_producers_listing_or_the_review_pages(
    client,
    producer_user,
    other_producer_user,
    coffee,
    outside,
):
    change = services.propose_change(
        producer=coffee.producer, product=coffee, actor=producer_user, story_vi="Câu chuyện"
    )
    client.force_login(other_producer_user)

    assert client.get(f"/portal/listings/{coffee.pk}/propose/").status_code == 404
    assert client.post(f"/portal/listings/{coffee.pk}/propose/", {"story_vi": "x", "price": "1"}).status_code == 404
    assert client.get("/portal/listings/review/").status_code == 403
    assert client.post(f"/portal/listings/review/{change.pk}/", {"decision": "approve"}).status_code == 403
    assert coffee.name_vi not in client.get("/portal/listings/").content.decode()
    change.refresh_from_db()
    assert change.status == Status.PENDING and ListingChange.objects.count() == 1


def test_the_ocop_office_holds_the_review_permission(office_user):
    group = Group.objects.get(name=permissions.OCOP_OFFICE)

    assert group.permissions.filter(codename="review_listingchange").exists()
    assert office_user.has_perm("storefront.review_listingchange")


def test_the_review_notice_and_a_stock_update_read_in_the_readers_language(
    client, producer_user, reviewer, coffee, outside, mailoutbox, django_capture_on_commit_callbacks
):
    services.propose_change(producer=coffee.producer, product=coffee, actor=producer_user, stock=42)
    change = services.propose_change(producer=coffee.producer, product=coffee, actor=producer_user, price=Decimal(1))
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        services.reject_change(change=change, actor=reviewer, comment="Giá không hợp lý.")

    notice = Notice.objects.get(user=producer_user)
    assert notice.text == ""  # stored as a key and parameters, rendered when read
    with translation.override("vi"):
        assert notice.message == f"Các thay đổi của bạn đối với {coffee.name_vi} đã bị từ chối: Giá không hợp lý."
    with translation.override("en"):
        assert notice.message == (
            f"Your changes to {coffee.name_en or coffee.name_vi} were rejected: Giá không hợp lý."
        )
    # the e-mail is written in Vietnamese, whoever rejected the change in which language
    assert sent_mail()[0].body.startswith(f"Các thay đổi của bạn đối với {coffee.name_vi}")
    client.force_login(producer_user)
    assert "không cần xem xét" in client.get("/portal/listings/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "go live without review" in client.get("/portal/listings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
