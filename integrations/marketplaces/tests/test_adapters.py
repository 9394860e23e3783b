import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from integrations import handlers
from integrations.marketplaces import ratelimit
from integrations.marketplaces import services as marketplace_services
from integrations.marketplaces.adapters.lazada import lazada_sign
from integrations.marketplaces.adapters.shopee import ShopeeAdapter, shopee_sign
from integrations.models import DeliveryAttempt, Destination, DestinationDelivery, ListingState
from integrations.tests.fixtures import deliver_due, make_due
from ocop.outbox.models import OutboxDelivery

from .platforms import OPTIONS

VECTORS = json.loads((Path(__file__).parent / "data" / "signing_vectors.json").read_text())
KINDS = ["shopee", "lazada", "tiktok", "tiki"]
CREATE_PATH = {"shopee": "/add_item", "lazada": "/product/create", "tiktok": "/202309/products", "tiki": "/requests"}


def test_shopee_signature_matches_the_vector():
    v = VECTORS["shopee_sign"]
    assert (
        shopee_sign(v["partner_key"], v["partner_id"], v["api_path"], v["timestamp"], v["access_token"], v["shop_id"])
        == v["sign"]
    )


def test_lazada_signature_matches_the_vector():
    v = VECTORS["lazada_sign"]
    assert lazada_sign(v["app_secret"], v["api_path"], v["params"]) == v["sign"]


@pytest.fixture
def setup(platform, make_destination, offer_for, product):
    def _setup(kind):
        server = platform(kind)
        destination = make_destination(kind, server.url, options=OPTIONS[kind])
        offer_for(product, price=Decimal("150000"), stock=12)
        return server, destination

    return _setup


def _state(destination, product):
    return ListingState.objects.get(destination=destination, product=product)


@pytest.mark.parametrize("kind", KINDS)
def test_certification_publishes_and_revocation_delists(kind, setup, product, certify, revoke):
    server, destination = setup(kind)

    certify(product)
    deliver_due()

    sku = product.store_listing.sku
    assert server.errors == []
    assert server.listed() == {sku: True}
    assert str(server.items[sku]["price"]) == "150000"
    assert str(server.items[sku]["stock"]) == "12"
    state = _state(destination, product)
    assert state.listed and state.external_id == str(server.items[sku]["id"]) and state.last_synced_at
    create = server.calls(CREATE_PATH[kind])[-1]
    delivery = DestinationDelivery.objects.get(destination=destination, product=product)
    assert create["method"] == "POST"
    assert create["headers"]["x-request-id"] == str(delivery.pk)

    revoke(product)
    deliver_due()

    assert server.errors == []
    assert server.listed() == {sku: False}
    assert not _state(destination, product).listed
    assert len(server.items) == 1


def test_shopee_request_carries_the_documented_query_and_body(setup, product, certify):
    server, destination = setup("shopee")

    certify(product)
    deliver_due()

    create = server.calls("/api/v2/product/add_item")[0]
    assert set(create["query"]) == {"partner_id", "timestamp", "access_token", "shop_id", "sign"}
    assert create["query"]["partner_id"] == "2001887" and create["query"]["shop_id"] == "14701711"
    body = json.loads(create["body"])
    assert body["item_sku"] == product.store_listing.sku
    assert body["original_price"] == 150000
    assert body["seller_stock"] == [{"stock": 12}]
    assert body["category_id"] == 100629
    assert "OCOP 4★" in body["description"]


def test_lazada_request_is_signed_over_the_payload(setup, product, certify):
    server, destination = setup("lazada")

    certify(product)
    deliver_due()

    create = server.calls("/product/create")[0]
    assert create["query"]["sign_method"] == "sha256"
    assert {"app_key", "timestamp", "access_token", "sign"} <= set(create["query"])
    payload = json.loads(dict(__import__("urllib.parse").parse.parse_qsl(create["body"].decode()))["payload"])
    sku = payload["Request"]["Product"]["Skus"]["Sku"][0]
    assert sku["SellerSku"] == product.store_listing.sku and sku["price"] == "150000"
    assert server.errors == []


def test_tiktok_request_sends_the_token_in_its_header_not_the_query(setup, product, certify):
    server, destination = setup("tiktok")

    certify(product)
    deliver_due()

    create = server.calls("/product/202309/products")[0]
    assert create["headers"]["x-tts-access-token"] == "tts-token"
    assert "access_token" not in create["query"]
    assert json.loads(create["body"])["skus"][0]["price"] == {"amount": "150000", "currency": "VND"}


@pytest.mark.parametrize("kind", KINDS)
def test_a_rate_limited_answer_is_retried_later_without_duplicate(kind, setup, product, certify):
    server, destination = setup(kind)
    server.script.append((CREATE_PATH[kind], *server.RATE_LIMITED))

    certify(product)
    deliver_due()

    delivery = DestinationDelivery.objects.get(destination=destination, product=product)
    outbox_delivery = delivery.outbox_delivery
    assert outbox_delivery.status == OutboxDelivery.Status.PENDING and outbox_delivery.attempts == 1
    assert delivery.attempts.get().outcome == DeliveryAttempt.Outcome.RETRY
    assert server.items == {}

    make_due()
    deliver_due()

    assert server.listed() == {product.store_listing.sku: True}
    assert delivery.outbox_delivery.status == OutboxDelivery.Status.DONE


@pytest.mark.parametrize("kind", KINDS)
def test_an_invalid_token_is_refreshed_and_the_request_repeated(kind, setup, product, certify):
    server, destination = setup(kind)
    server.valid_token = "issued-elsewhere" if kind != "tiki" else ""
    if kind == "tiki":
        destination.set_tokens({"access_token": "stale", "expires_at": "9999999999"})
        destination.save()

    certify(product)
    deliver_due()

    assert server.listed() == {product.store_listing.sku: True}
    destination.refresh_from_db()
    assert destination.credentials["access_token"] == server.valid_token
    assert server.valid_token not in destination.tokens_encrypted
    assert DestinationDelivery.objects.get(destination=destination).outbox_delivery.status == "done"


@pytest.mark.parametrize("kind", KINDS)
def test_a_validation_error_is_a_dead_letter_that_staff_can_retry(kind, setup, product, certify, office_user):
    server, destination = setup(kind)
    server.script.append((CREATE_PATH[kind], *server.VALIDATION))

    certify(product)
    deliver_due()

    delivery = DestinationDelivery.objects.get(destination=destination, product=product)
    assert delivery.outbox_delivery.status == OutboxDelivery.Status.DEAD
    message = delivery.outbox_delivery.last_error
    assert message and delivery.attempts.get().outcome == DeliveryAttempt.Outcome.DEAD
    assert _state(destination, product).last_error == message
    assert server.items == {}

    marketplace_services.retry_delivery(delivery=delivery, actor=office_user)
    deliver_due()

    assert server.listed() == {product.store_listing.sku: True}
    assert delivery.outbox_delivery.status == OutboxDelivery.Status.DONE


def test_only_a_dead_delivery_can_be_retried(setup, product, certify, office_user):
    server, destination = setup("shopee")
    certify(product)
    deliver_due()

    with pytest.raises(ValidationError):
        marketplace_services.retry_delivery(delivery=DestinationDelivery.objects.get(), actor=office_user)


@pytest.mark.parametrize("kind", KINDS)
def test_a_listing_created_before_a_lost_answer_is_found_not_duplicated(kind, setup, product, certify):
    # The platform created the listing but our worker died before recording its id.
    server, destination = setup(kind)
    server.create(product.store_listing.sku, price=150000, stock=12, listed=False)

    certify(product)
    deliver_due()

    assert len(server.items) == 1
    assert server.listed() == {product.store_listing.sku: True}
    assert server.calls(CREATE_PATH[kind]) == []
    assert _state(destination, product).external_id == str(server.items[product.store_listing.sku]["id"])


def test_a_push_racing_a_revocation_does_not_leave_the_product_listed(setup, product, certify, revoke, monkeypatch):
    server, destination = setup("shopee")
    original = ShopeeAdapter.create_listing

    def create_then_revoked_meanwhile(self, offer, *, request_id):
        external_id = original(self, offer, request_id=request_id)
        revoke(product)  # commits while the publish is on its way
        return external_id

    monkeypatch.setattr(ShopeeAdapter, "create_listing", create_then_revoked_meanwhile)
    certify(product)
    deliver_due()

    assert server.listed() == {product.store_listing.sku: False}
    assert not _state(destination, product).listed


def test_a_product_without_a_store_offer_is_not_pushed(platform, make_destination, product, certify):
    server = platform("shopee")
    make_destination("shopee", server.url, options=OPTIONS["shopee"])

    certify(product)
    deliver_due()

    assert server.calls("/add_item") == []


def test_disabled_destinations_receive_nothing(setup, product, certify):
    server, destination = setup("lazada")
    Destination.objects.filter(pk=destination.pk).update(enabled=False)

    certify(product)
    deliver_due()

    assert server.requests == []


def test_full_resync_publishes_listable_and_delists_the_rest(
    setup, product, other_product, certify, offer_for, office_user
):
    server, destination = setup("tiktok")
    offer_for(other_product)
    ListingState.objects.create(destination=destination, product=other_product, listed=True)
    server.create(other_product.store_listing.sku, listed=True)
    Destination.objects.filter(pk=destination.pk).update(enabled=False)
    certify(product)  # while disabled: not pushed
    Destination.objects.filter(pk=destination.pk).update(enabled=True)
    destination.refresh_from_db()

    marketplace_services.full_resync(destination=destination, actor=office_user)
    deliver_due()

    assert server.listed() == {product.store_listing.sku: True, other_product.store_listing.sku: False}


def test_credentials_are_stored_encrypted(make_destination):
    destination = make_destination("shopee", "http://127.0.0.1:9")
    destination.refresh_from_db()

    assert "testkey" not in destination.credentials_encrypted
    assert destination.credentials["partner_key"] == "testkey"


def test_credentials_can_come_from_the_environment(make_destination, monkeypatch):
    destination = make_destination("lazada", "http://127.0.0.1:9")
    monkeypatch.setenv("LAZADA_VN_CREDENTIALS", json.dumps({"app_secret": "from-env"}))
    destination.credentials_env = "LAZADA_VN_CREDENTIALS"

    assert destination.credentials["app_secret"] == "from-env"
    assert destination.credentials["app_key"] == "123456"


def test_the_rate_limit_refuses_once_the_bucket_is_empty(make_destination):
    destination = make_destination("tiki", "http://127.0.0.1:9", rate_per_second=0.01, burst=2)
    ratelimit._redis().delete(f"integrations:bucket:{destination.pk}")

    ratelimit.take(destination, max_wait=0)
    ratelimit.take(destination, max_wait=0)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.take(destination, max_wait=0)


@pytest.mark.parametrize("kind", KINDS)
def test_a_price_change_updates_the_listing_where_it_is_listed(kind, setup, product, certify):
    server, destination = setup(kind)
    certify(product)
    deliver_due()
    before = len(server.requests)

    listing = product.store_listing
    listing.price = Decimal("175000")
    listing.save()
    handlers.offers_changed(product_ids=[product.pk], cause="price:1")
    deliver_due()

    assert len(server.requests) > before
    assert server.errors == []
    delivery = DestinationDelivery.objects.get(cause="price:1")
    assert delivery.result == "stock and price updated"
    assert "175000" in b"".join(r["body"] for r in server.requests[before:]).decode()
