"""The payment exchanges recorded from a real Saleor 3.23.28 (``data/recorded/payments``): their signatures verify
with our code, and the contract fake answers the same flow in the same shape."""

import glob
import json
from decimal import Decimal

import pytest

from storefront.saleor_app import payment_documents, signatures
from storefront.saleor_app.models import SaleorInstance

from .fake_saleor import RECORDED, FakeSaleor, validate_document

PAYMENTS = RECORDED / "payments"
WEBHOOKS = sorted(glob.glob(str(PAYMENTS / "webhooks" / "*.json")))
GRAPHQL = sorted(glob.glob(str(PAYMENTS / "graphql" / "*.json")))


def load(path):
    return json.loads(open(path).read())  # noqa: SIM115


def shape(value):
    """The key paths of a JSON value (list items merged), to compare two answers' structure."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        merged = {}
        for item in value:
            sub = shape(item)
            merged.update(sub if isinstance(sub, dict) else {})
        return [merged]
    return None


def differences(a, b, path="") -> list[str]:
    """Where two shapes differ, as paths (for a readable assertion)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}.{k}: only in fake" for k in a.keys() - b.keys()]
        out += [f"{path}.{k}: only recorded" for k in b.keys() - a.keys()]
        for key in a.keys() & b.keys():
            out += differences(a[key], b[key], f"{path}.{key}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        return differences(a[0] if a else {}, b[0] if b else {}, path + "[]")
    return [] if type(a) is type(b) else [f"{path}: {type(a).__name__} vs {type(b).__name__}"]


@pytest.fixture
def recorded_instance(db):
    instance = SaleorInstance(api_url="http://127.0.0.1:8100/graphql/", jwks=load(PAYMENTS / "jwks.json"))
    instance.token = "recorded"
    instance.save()
    return instance


def test_the_whole_flow_was_recorded():
    assert [p.rsplit("-", 1)[-1] for p in WEBHOOKS] == [
        "PaymentGatewayInitializeSession.json",
        "TransactionInitializeSession.json",
        "TransactionInitializeSession.json",
        "TransactionProcessSession.json",
        "TransactionRefundRequested.json",
    ]


@pytest.mark.parametrize("path", WEBHOOKS, ids=lambda p: p.rsplit("/", 1)[-1])
def test_recorded_payment_webhooks_verify_and_a_changed_byte_does_not(recorded_instance, path):
    delivery = load(path)
    raw = delivery["raw_body"].encode()
    signatures.verify(recorded_instance, raw, delivery["headers"]["Saleor-Signature"])
    with pytest.raises(signatures.InvalidSignature):
        signatures.verify(
            recorded_instance, raw.replace(b"215000.0", b"215.0"), delivery["headers"]["Saleor-Signature"]
        )


@pytest.mark.parametrize("path", GRAPHQL, ids=lambda p: p.rsplit("/", 1)[-1])
def test_recorded_documents_are_ours_and_valid(saleor_schema, path):
    exchange = load(path)
    assert exchange["query"] in payment_documents.all_documents().values()
    assert validate_document(exchange["query"], exchange["variables"]) == []


def recorded_body(name):
    return json.loads(next(load(p) for p in WEBHOOKS if p.endswith(f"-{name}.json"))["raw_body"])


def recorded_exchange(name):
    return next(load(p) for p in GRAPHQL if p.endswith(f"-{name}.json"))


def recorded_data(name):
    return recorded_exchange(name)["data"]


class Recording:
    """Stands in for our App behind the fake: answers as our App answered in the recording."""

    def __init__(self, fake):
        self.fake = fake
        self.answers = {}
        for path in WEBHOOKS:  # the first of each kind: the VietQR order
            self.answers.setdefault(json.loads(load(path)["raw_body"])["__typename"], load(path)["answer"])
        fake._call_app = self.call
        self.bodies = {}

    def call(self, event, obj):
        body, _headers = self.fake.webhook(event.lower(), self.fake.payment_subscriptions[event], obj)
        body = json.loads(body)
        self.bodies[body["__typename"]] = body
        return self.answers[body["__typename"]]


@pytest.fixture
def fake_with_checkout(saleor_schema, settings):
    """The fake, answering for our App as our App answered in the recording, and a checkout of one item."""
    from storefront.saleor_app import manifest

    fake = FakeSaleor().start()
    fake.use_payment_app("http://app.invalid/", {e: q for _n, e, q in manifest.PAYMENT_WEBHOOKS})
    app = Recording(fake)
    channel = next(iter(fake.channels))
    product = {"id": "UHJvZHVjdDox", "channelListings": {}, "variants": []}
    fake.products[product["id"]] = product
    variant = {
        "id": "UHJvZHVjdFZhcmlhbnQ6NA==",
        "sku": "CF",
        "product": product["id"],
        "stocks": {"w": 5},
        "channelListings": {channel: Decimal(185000)},
    }
    fake.variants[variant["id"]] = variant
    fake.checkouts["Q2hlY2tvdXQ6MQ=="] = {
        "id": "Q2hlY2tvdXQ6MQ==",
        "token": "t",
        "email": "lan@example.vn",
        "channel": channel,
        "delivery": fake.shipping_method["id"],
        "payment": None,
        "address": {},
        "lines": [{"id": "l1", "variant": variant["id"], "quantity": 1, "price": None}],
    }
    settings.SALEOR_HTTP_TIMEOUT = 10
    yield fake, app
    fake.stop()


def test_the_fake_runs_the_recorded_flow_in_the_recorded_shape(fake_with_checkout):
    from storefront.saleor_app.client import SaleorClient

    fake, app = fake_with_checkout
    storefront = SaleorClient(fake.url)
    docs = payment_documents

    gateways = storefront.execute(
        docs.PAYMENT_GATEWAY_INITIALIZE, {"id": "Q2hlY2tvdXQ6MQ==", "gateways": [{"id": fake.payment_gateway_id}]}
    )
    assert differences(shape(gateways), shape(recorded_data("PAYMENT_GATEWAY_INITIALIZE"))) == []
    initialized = storefront.execute(
        docs.TRANSACTION_INITIALIZE,
        {**recorded_exchange("TRANSACTION_INITIALIZE")["variables"], "id": "Q2hlY2tvdXQ6MQ=="},
    )
    recorded = recorded_data("TRANSACTION_INITIALIZE")
    assert differences(shape(initialized), shape(recorded)) == []
    assert [e["type"] for e in initialized["transactionInitialize"]["transaction"]["events"]] == [
        e["type"] for e in recorded["transactionInitialize"]["transaction"]["events"]
    ]
    for typename in ("PaymentGatewayInitializeSession", "TransactionInitializeSession"):
        assert differences(shape(app.bodies[typename]), shape(recorded_body(typename))) == [], typename

    # A storefront may not choose the flow (recorded: PermissionDenied, HANDLE_PAYMENTS)
    from storefront.saleor_app.client import SaleorError

    with pytest.raises(SaleorError):
        storefront.execute(
            "mutation($id: ID!) { transactionInitialize(id: $id, action: CHARGE, "
            'paymentGateway: {id: "vn.ocop-daklak.store"}) { errors { code } } }',
            {"id": "Q2hlY2tvdXQ6MQ=="},
        )
