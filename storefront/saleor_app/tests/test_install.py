import json

import pytest
from django.urls import reverse

from storefront.saleor_app import documents, install, views
from storefront.saleor_app.models import PendingInstall, SaleorInstance

from .fake_saleor import recorded


def register(client, fake, token, *, api_url=None):
    """POST exactly what Saleor 3.23.28 sends to tokenTargetUrl (recorded): no signature."""
    request = recorded("app-install/03-token-target-request.json")["request"]
    headers = dict(request["headers"])
    return client.post(
        reverse("saleor_app:register"),
        data=json.dumps({"auth_token": token}).encode(),
        content_type="application/json",
        HTTP_SALEOR_DOMAIN=headers["Saleor-Domain"],
        HTTP_SALEOR_API_URL=api_url or fake.url,
        HTTP_SALEOR_SCHEMA_VERSION=headers["Saleor-Schema-Version"],
    )


def test_the_manifest_asks_for_the_permissions_and_webhooks_the_app_needs(client, settings):
    settings.PUBLIC_BASE_URL = "https://ocop.example.vn"
    manifest = client.get(reverse("saleor_app:manifest")).json()

    assert manifest["tokenTargetUrl"] == "https://ocop.example.vn/saleor-app/register/"
    assert {"MANAGE_PRODUCTS", "MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES", "MANAGE_ORDERS", "MANAGE_CHECKOUTS"} <= set(
        manifest["permissions"]
    )
    asynchronous = [hook for hook in manifest["webhooks"] if hook.get("asyncEvents")]
    events = {event for hook in asynchronous for event in hook["asyncEvents"]}
    assert events == {"PRODUCT_CREATED", "PRODUCT_UPDATED", "PRODUCT_DELETED", "ORDER_FULLY_PAID", "ORDER_CANCELLED"}
    assert all(hook["targetUrl"] == "https://ocop.example.vn/saleor-app/webhooks/" for hook in asynchronous)
    synchronous = [hook for hook in manifest["webhooks"] if hook.get("syncEvents")]
    assert {event for hook in synchronous for event in hook["syncEvents"]} == {
        "PAYMENT_GATEWAY_INITIALIZE_SESSION",
        "TRANSACTION_INITIALIZE_SESSION",
        "TRANSACTION_PROCESS_SESSION",
        "TRANSACTION_REFUND_REQUESTED",
        "TRANSACTION_CANCELATION_REQUESTED",
    }
    assert all(h["targetUrl"] == "https://ocop.example.vn/saleor-app/webhooks/payments/" for h in synchronous)
    assert "HANDLE_PAYMENTS" in manifest["permissions"]
    assert documents.PRODUCT_UPDATED_SUBSCRIPTION in {hook["query"] for hook in manifest["webhooks"]}


def test_saleor_installing_the_app_keeps_its_token_encrypted_and_pending_until_it_is_accepted(
    client, db, saleor_configured, django_capture_on_commit_callbacks
):
    fake = saleor_configured

    with django_capture_on_commit_callbacks() as callbacks:
        response = register(client, fake, fake.app_token)

    # Saleor gets a 2xx (else it deletes the app) but the unsigned POST installs nothing by itself
    assert response.status_code == 202
    assert not SaleorInstance.objects.exists() and callbacks == []
    pending = PendingInstall.objects.get(api_url=fake.url)
    assert fake.app_token not in pending.token_encrypted
    assert pending.token == fake.app_token
    assert (pending.app_id, pending.app_identifier) == (fake.app_id, views.APP_ID)
    assert set(pending.permissions) == set(views.PERMISSIONS)
    assert [c["field"] for c in fake.calls] == ["app"]  # the token was put to the configured Saleor

    with django_capture_on_commit_callbacks() as callbacks:
        instance = install.accept(pending=pending, actor=None)

    assert instance.token == fake.app_token and instance.app_id == fake.app_id
    assert fake.app_token not in instance.token_encrypted
    assert not PendingInstall.objects.exists()
    assert len(callbacks) == 1  # the first full sync is queued after commit


def test_the_registered_apps_own_token_posted_again_changes_nothing(client, saleor_configured, saleor_instance):
    response = register(client, saleor_configured, saleor_configured.app_token)

    assert response.status_code == 200
    assert not PendingInstall.objects.exists()
    saleor_instance.refresh_from_db()
    assert saleor_instance.token == saleor_configured.app_token


def test_a_token_for_another_saleor_than_the_configured_one_is_refused(client, db, saleor_configured, caplog):
    response = register(client, saleor_configured, saleor_configured.app_token, api_url="https://evil.example/graphql/")

    assert response.status_code == 403
    assert not SaleorInstance.objects.exists() and not PendingInstall.objects.exists()
    assert saleor_configured.calls == []  # never even called back
    assert "refused" in caplog.text


def test_a_token_the_saleor_api_does_not_accept_is_refused(client, db, saleor_configured):
    response = register(client, saleor_configured, "forged-token")

    assert response.status_code == 403
    assert not SaleorInstance.objects.exists() and not PendingInstall.objects.exists()


def test_without_a_configured_saleor_no_install_is_accepted(client, db, settings, fake_saleor):
    settings.SALEOR_API_URL = ""
    assert register(client, fake_saleor, fake_saleor.app_token).status_code == 403
    assert not SaleorInstance.objects.exists() and not PendingInstall.objects.exists()


def test_the_token_cannot_be_read_back_with_another_encryption_key(db, settings, saleor_instance):
    from cryptography.fernet import Fernet, InvalidToken

    settings.SALEOR_APP_ENCRYPTION_KEY = [Fernet.generate_key().decode()]
    saleor_instance.refresh_from_db()
    with pytest.raises(InvalidToken):
        saleor_instance.token  # noqa: B018
