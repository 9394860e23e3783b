import base64
import glob
import json
import logging

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from django.urls import reverse

from storefront.saleor_app import signatures
from storefront.saleor_app.models import SaleorInstance

from .fake_saleor import RECORDED, recorded

RECORDED_WEBHOOKS = sorted(glob.glob(str(RECORDED / "webhooks" / "*.json")))
RECORDED_API_URL = "http://127.0.0.1:8000/graphql/"


@pytest.fixture
def recorded_instance(db):
    instance = SaleorInstance(api_url=RECORDED_API_URL, jwks=recorded("jwks.json")["jwks"])
    instance.token = "recorded"
    instance.save()
    return instance


def post_webhook(client, body: bytes, headers: dict):
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    return client.post(reverse("saleor_app:webhook"), data=body, content_type="application/json", **extra)


def test_all_recorded_webhooks_exist():
    assert len(RECORDED_WEBHOOKS) == 24


@pytest.mark.parametrize("path", RECORDED_WEBHOOKS, ids=lambda p: p.rsplit("/", 1)[-1][:40])
def test_every_recorded_saleor_webhook_signature_verifies(client, recorded_instance, path, caplog):
    # Given a delivery recorded from a real Saleor 3.23.28, with its raw body and headers
    delivery = json.loads(open(path).read())  # noqa: SIM115
    headers = dict(delivery["request"]["headers"])

    # Its Saleor-Signature verifies against the recorded JWKS, byte for byte
    signatures.verify(recorded_instance, delivery["raw_body"].encode(), headers["Saleor-Signature"])

    # and the endpoint gets past the signature, then refuses it: it was recorded with subscriptions that do not
    # select the signed envelope (event type, issuedAt, recipient), so it cannot be checked against a replay
    with caplog.at_level(logging.WARNING):
        response = post_webhook(client, delivery["raw_body"].encode(), headers)
    assert response.status_code == 400
    assert "no __typename" in caplog.text


def test_a_recorded_body_reserialised_does_not_verify(recorded_instance):
    delivery = recorded("webhooks/02-product_updated--listing-publish.json")
    compact = json.dumps(json.loads(delivery["raw_body"]), separators=(",", ":"), ensure_ascii=False).encode()
    with pytest.raises(signatures.InvalidSignature):
        signatures.verify(recorded_instance, compact, delivery["signature"])


def product_webhook(fake, product_id="UHJvZHVjdDo5OTk="):
    from storefront.saleor_app import documents

    return fake.webhook(
        "product_updated",
        documents.PRODUCT_UPDATED_SUBSCRIPTION,
        {"product": {"id": product_id, "name": "Cà phê", "slug": "ca-phe", "channelListings": []}},
    )


def test_a_webhook_signed_with_a_generated_rs256_key_is_accepted(client, saleor_instance, fake_saleor):
    body, headers = product_webhook(fake_saleor)
    assert post_webhook(client, body, headers).status_code == 200


def test_a_tampered_body_is_rejected_and_logged(client, saleor_instance, fake_saleor, caplog):
    body, headers = product_webhook(fake_saleor)
    tampered = body.replace(b"ca-phe", b"ca-ph3")
    with caplog.at_level(logging.WARNING):
        response = post_webhook(client, tampered, headers)
    assert response.status_code == 401
    assert "rejected" in caplog.text


def test_an_unsigned_webhook_is_rejected(client, saleor_instance, fake_saleor):
    body, headers = product_webhook(fake_saleor)
    del headers["Saleor-Signature"]
    assert post_webhook(client, body, headers).status_code == 401


def test_a_webhook_from_an_unknown_instance_is_rejected_and_logged(client, saleor_instance, fake_saleor, caplog):
    body, headers = product_webhook(fake_saleor)
    headers["Saleor-Api-Url"] = "https://evil.example/graphql/"
    with caplog.at_level(logging.WARNING):
        assert post_webhook(client, body, headers).status_code == 401
    assert "unknown instance" in caplog.text


def test_an_unknown_key_id_makes_the_app_refetch_the_jwks(client, saleor_instance, fake_saleor):
    # Given Saleor's signing key changed after the app cached its JWKS
    fake_saleor.rotate_key()
    body, headers = product_webhook(fake_saleor)

    # When a webhook signed with the new key arrives
    response = post_webhook(client, body, headers)

    # Then the app fetched the new key set and accepted it
    assert response.status_code == 200
    saleor_instance.refresh_from_db()
    assert saleor_instance.jwks == fake_saleor.jwks


def test_a_key_id_unknown_even_after_refetch_is_rejected(client, saleor_instance, fake_saleor):
    from cryptography.hazmat.primitives.asymmetric import rsa

    body, _headers = product_webhook(fake_saleor)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _body, headers = product_webhook(fake_saleor)
    headers["Saleor-Signature"] = fake_saleor.sign(body, key=stranger, kid="someone-else")
    assert post_webhook(client, body, headers).status_code == 401


def test_a_signature_with_the_right_kid_but_another_key_is_rejected(client, saleor_instance, fake_saleor):
    from cryptography.hazmat.primitives.asymmetric import rsa

    body, headers = product_webhook(fake_saleor)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    headers["Saleor-Signature"] = fake_saleor.sign(body, key=stranger)
    assert post_webhook(client, body, headers).status_code == 401


def test_hs256_signed_with_the_public_key_is_rejected(client, saleor_instance, fake_saleor):
    # The classic algorithm-confusion attack: HMAC keyed with the (public) RSA key
    body, headers = product_webhook(fake_saleor)
    public_pem = fake_saleor.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "b64": False, "crit": ["b64"], "kid": fake_saleor.kid}
    protected = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=")
    mac = jwt.algorithms.HMACAlgorithm(jwt.algorithms.HMACAlgorithm.SHA256).sign(protected + b"." + body, public_pem)
    headers["Saleor-Signature"] = f"{protected.decode()}..{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    assert post_webhook(client, body, headers).status_code == 401


def test_alg_none_is_rejected(client, saleor_instance, fake_saleor):
    body, headers = product_webhook(fake_saleor)
    header = {"alg": "none", "b64": False, "crit": ["b64"], "kid": fake_saleor.kid}
    protected = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    headers["Saleor-Signature"] = f"{protected}.."
    assert post_webhook(client, body, headers).status_code == 401
