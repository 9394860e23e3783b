import pytest
from django.urls import reverse

from integrations.marketplaces.tests.platforms import OPTIONS
from integrations.models import DestinationDelivery, SalesPoint
from ocop.outbox.models import OutboxDelivery

from .fixtures import deliver_due


@pytest.fixture
def admin_client_(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="pw-root-123456"))
    return client


def test_staff_see_listings_and_dead_letters_and_can_retry(
    admin_client_, platform, make_destination, offer_for, product, certify
):
    server = platform("lazada")
    destination = make_destination("lazada", server.url, options=OPTIONS["lazada"])
    offer_for(product)
    server.script.append(("/product/create", *server.VALIDATION))
    certify(product)
    deliver_due()
    delivery = DestinationDelivery.objects.get()

    page = admin_client_.get(reverse("admin:integrations_destinationdelivery_change", args=[delivery.pk]))
    assert page.status_code == 200 and "PrimaryCategory is required" in page.content.decode()
    assert admin_client_.get(reverse("admin:integrations_destination_change", args=[destination.pk])).status_code == 200

    admin_client_.post(
        reverse("admin:integrations_destinationdelivery_changelist"),
        {"action": "retry_dead_letters", "_selected_action": [str(delivery.pk)]},
    )
    assert delivery.outbox_delivery.status == OutboxDelivery.Status.PENDING
    deliver_due()
    assert server.listed() == {product.store_listing.sku: True}


def test_full_resync_action_queues_deliveries(admin_client_, platform, make_destination, offer_for, certified_product):
    server = platform("shopee")
    destination = make_destination("shopee", server.url, options=OPTIONS["shopee"])
    offer_for(certified_product)

    admin_client_.post(
        reverse("admin:integrations_destination_changelist"),
        {"action": "full_resync", "_selected_action": [str(destination.pk)]},
    )
    deliver_due()

    assert server.listed() == {certified_product.store_listing.sku: True}


def test_credentials_typed_in_the_admin_are_stored_encrypted(admin_client_):
    response = admin_client_.post(
        reverse("admin:integrations_destination_add"),
        {
            "kind": "tiki",
            "name": "Tiki OCOP",
            "enabled": "on",
            "base_url": "https://api.tiki.vn",
            "auth_url": "",
            "options": "{}",
            "credentials_env": "",
            "rate_per_second": "2",
            "burst": "2",
            "credentials": '{"client_id": "abc", "client_secret": "very-secret"}',
            "listings-TOTAL_FORMS": "0",
            "listings-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    from integrations.models import Destination

    destination = Destination.objects.get(name="Tiki OCOP")
    assert "very-secret" not in destination.credentials_encrypted
    assert destination.credentials["client_secret"] == "very-secret"


def test_a_new_point_token_is_shown_once_and_works(admin_client_, client, sales_point):
    response = admin_client_.post(
        reverse("admin:integrations_salespoint_changelist"),
        {"action": "issue_api_token", "_selected_action": [str(sales_point.pk)]},
        follow=True,
    )
    message = [str(m) for m in response.context["messages"]][0]
    token = message.rsplit(": ", 1)[1]

    assert SalesPoint.objects.get().api_token_hash != sales_point.api_token_hash
    pulled = client.get(reverse("integrations:sales_point_assortment"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert pulled.status_code == 200
