import json

from django.urls import reverse

from storefront.saleor_app import documents
from storefront.saleor_app.models import SaleorInstance

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
    events = {event for hook in manifest["webhooks"] for event in hook["asyncEvents"]}
    assert events == {"PRODUCT_CREATED", "PRODUCT_UPDATED", "PRODUCT_DELETED", "ORDER_FULLY_PAID", "ORDER_CANCELLED"}
    assert all(hook["targetUrl"] == "https://ocop.example.vn/saleor-app/webhooks/" for hook in manifest["webhooks"])
    assert documents.PRODUCT_UPDATED_SUBSCRIPTION in {hook["query"] for hook in manifest["webhooks"]}


def test_saleor_installing_the_app_stores_its_token_encrypted(
    client, db, saleor_configured, django_capture_on_commit_callbacks
):
    fake = saleor_configured

    with django_capture_on_commit_callbacks() as callbacks:
        response = register(client, fake, fake.app_token)

    assert response.status_code == 200
    instance = SaleorInstance.objects.get(api_url=fake.url)
    assert fake.app_token not in instance.token_encrypted
    assert instance.token == fake.app_token
    assert [c["field"] for c in fake.calls] == ["app"]  # the token was confirmed by calling the API
    assert len(callbacks) == 1  # the first full sync is queued after commit


def test_a_token_for_another_saleor_than_the_configured_one_is_refused(client, db, saleor_configured, caplog):
    response = register(client, saleor_configured, saleor_configured.app_token, api_url="https://evil.example/graphql/")

    assert response.status_code == 403
    assert not SaleorInstance.objects.exists()
    assert saleor_configured.calls == []  # never even called back
    assert "refused" in caplog.text


def test_a_token_the_saleor_api_does_not_accept_is_refused(client, db, saleor_configured):
    response = register(client, saleor_configured, "forged-token")

    assert response.status_code == 403
    assert not SaleorInstance.objects.exists()


def test_without_a_configured_saleor_no_install_is_accepted(client, db, settings, fake_saleor):
    settings.SALEOR_API_URL = ""
    assert register(client, fake_saleor, fake_saleor.app_token).status_code == 403
    assert not SaleorInstance.objects.exists()


def test_the_token_cannot_be_read_back_with_another_encryption_key(db, settings, saleor_instance):
    from cryptography.fernet import InvalidToken

    settings.SALEOR_APP_ENCRYPTION_KEY = "another-key"
    saleor_instance.refresh_from_db()
    try:
        saleor_instance.token  # noqa: B018
    except InvalidToken:
        return
    raise AssertionError("the token decrypted with a different key")
