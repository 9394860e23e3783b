"""Security suite (issue #12), the Saleor App: each test plays an attack on the App's public entry points
(``/saleor-app/register/``, ``/saleor-app/webhooks/``) against the contract fake of Saleor 3.23, and checks it is
refused or has no effect.

The attacker may hold what any party of the same Saleor can get: a token of another App installed there (even one
created with our App's identifier), a second token of our App, and validly signed deliveries (Saleor signs the
deliveries of every App with one key; any App subscribed to the same events receives them, and anyone who saw one
can send it again)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import AuditLogEntry
from ocop.outbox.models import OutboxEvent
from storefront.saleor_app import documents, services, tasks, views, webhooks
from storefront.saleor_app.models import PendingInstall, SaleorInstance, SaleorOrder, SaleorProduct, WebhookDelivery
from storefront.saleor_app.tests.test_install import register
from storefront.saleor_app.tests.test_webhook_signatures import post_webhook

# --- the install: pinned to the App the operator registered ---------------------------------------------------


def assert_token_unchanged(instance, fake):
    instance.refresh_from_db()
    assert (instance.app_id, instance.token) == (fake.app_id, fake.app_token)


def test_a_second_install_post_with_another_token_of_our_app_does_not_replace_the_stored_token(
    client, saleor_configured, saleor_instance
):
    fake = saleor_configured
    # Given a second, valid token of the registered App (e.g. created with Saleor's appTokenCreate)
    second_token = fake.issue_token(fake.app_id)

    response = register(client, fake, second_token)

    # Saleor gets its 2xx, but the token only waits for an explicit staff acceptance
    assert response.status_code == 202
    assert_token_unchanged(saleor_instance, fake)
    assert PendingInstall.objects.get().app_id == fake.app_id


def test_a_token_of_another_app_with_our_identifier_and_permissions_is_refused(
    client, saleor_configured, saleor_instance
):
    # Given another App of the same Saleor, created with our identifier and every permission we ask for
    fake = saleor_configured
    _other_app, other_token = fake.add_app(identifier=views.APP_ID, permissions=views.PERMISSIONS)

    response = register(client, fake, other_token)

    assert response.status_code == 403
    assert_token_unchanged(saleor_instance, fake)
    assert not PendingInstall.objects.exists()


def test_a_token_of_an_app_that_is_not_ours_is_refused_even_for_the_first_install(client, db, saleor_configured):
    # Given a third-party App of the same Saleor (its token works there) and nothing installed yet
    _other_app, other_token = saleor_configured.add_app(identifier="com.example.reviews", permissions=views.PERMISSIONS)

    response = register(client, saleor_configured, other_token)

    assert response.status_code == 403
    assert not SaleorInstance.objects.exists() and not PendingInstall.objects.exists()


def test_a_token_of_our_app_lacking_a_needed_permission_is_refused(client, db, saleor_configured):
    _app, weak_token = saleor_configured.add_app(identifier=views.APP_ID, permissions=["MANAGE_PRODUCTS"])

    response = register(client, saleor_configured, weak_token)

    assert response.status_code == 403
    assert not SaleorInstance.objects.exists() and not PendingInstall.objects.exists()


def test_once_the_registered_app_is_gone_a_reinstall_waits_for_staff(client, saleor_configured, saleor_instance):
    # Given the registered App was deleted in Saleor (its token no longer works) and the App installed again
    fake = saleor_configured
    fake._remove_app(fake.app_id)
    new_app, new_token = fake.add_app(identifier=views.APP_ID, permissions=views.PERMISSIONS)

    response = register(client, fake, new_token)

    assert response.status_code == 202
    saleor_instance.refresh_from_db()
    assert saleor_instance.app_id == fake.app_id  # still the registered one
    assert PendingInstall.objects.get().app_id == new_app


@pytest.fixture
def install_reviewer(django_user_model):
    """Staff who may see pending installs and accept one."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("it-lead", password="pw-it-lead-123", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="saleor_app", codename__in=["view_pendinginstall", "accept_pendinginstall"]
        )
    )
    return user


def accept_action(client, pending, **extra):
    return client.post(
        reverse("admin:saleor_app_pendinginstall_changelist"),
        {"action": "accept_selected", "_selected_action": [pending.pk], **extra},
    )


def test_staff_accept_a_pending_install_after_seeing_its_app_id_and_permissions(
    client, saleor_configured, saleor_instance, install_reviewer, django_capture_on_commit_callbacks
):
    # Given a second install of our App waiting
    fake = saleor_configured
    second_token = fake.issue_token(fake.app_id)
    register(client, fake, second_token)
    pending = PendingInstall.objects.get()
    client.force_login(install_reviewer)

    # The action first shows what would be accepted
    page = accept_action(client, pending)
    assert page.status_code == 200
    shown = page.content.decode()
    assert pending.app_id in shown and "HANDLE_CHECKOUTS" in shown and "MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES" in shown
    assert 'id="different-app"' not in shown  # the same App as the registered one
    assert_token_unchanged(saleor_instance, fake)

    # and replaces the token only when confirmed
    with django_capture_on_commit_callbacks() as callbacks:
        response = accept_action(client, pending, confirm="yes")

    assert response.status_code == 302
    saleor_instance.refresh_from_db()
    assert saleor_instance.token == second_token
    assert not PendingInstall.objects.exists()
    entry = AuditLogEntry.objects.get(action="saleor_app.install_accepted")
    assert entry.actor == install_reviewer and entry.after["app_id"] == fake.app_id
    assert len(callbacks) == 1  # a full sync with the new token


def test_the_confirmation_page_warns_when_the_pending_app_is_not_the_registered_one(
    client, saleor_configured, saleor_instance, install_reviewer
):
    fake = saleor_configured
    fake._remove_app(fake.app_id)
    new_app, new_token = fake.add_app(identifier=views.APP_ID, permissions=views.PERMISSIONS)
    register(client, fake, new_token)
    client.force_login(install_reviewer)

    shown = accept_action(client, PendingInstall.objects.get()).content.decode()

    assert 'id="different-app"' in shown and new_app in shown and fake.app_id in shown


def test_staff_without_the_accept_permission_cannot_accept(
    client, saleor_configured, saleor_instance, django_user_model
):
    from django.contrib.auth.models import Permission

    fake = saleor_configured
    register(client, fake, fake.issue_token(fake.app_id))
    viewer = django_user_model.objects.create_user("viewer", password="pw-viewer-123", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_pendinginstall"))
    client.force_login(viewer)

    accept_action(client, PendingInstall.objects.get(), confirm="yes")

    assert_token_unchanged(saleor_instance, fake)
    assert PendingInstall.objects.exists()


def test_a_pending_token_revoked_in_saleor_meanwhile_is_not_accepted(
    client, saleor_configured, saleor_instance, install_reviewer
):
    fake = saleor_configured
    second_token = fake.issue_token(fake.app_id)
    register(client, fake, second_token)
    del fake.tokens[second_token]  # revoked in Saleor before staff looked at it
    client.force_login(install_reviewer)

    response = accept_action(client, PendingInstall.objects.get(), confirm="yes")

    assert response.status_code == 302
    assert_token_unchanged(saleor_instance, fake)
    assert not AuditLogEntry.objects.filter(action__startswith="saleor_app.install").exists()


# --- webhooks: the signed body decides ---------------------------------------------------------------------------


def order_payload(number="27", status="UNFULFILLED"):
    return {
        "order": {
            "__typename": "Order",
            "id": f"T3JkZXI6{number}",
            "number": number,
            "status": status,
            "userEmail": "lan@example.vn",
            "total": {"gross": {"amount": 370000, "currency": "VND"}},
            "lines": [{"productSku": "CF-BMT-500", "quantity": 2, "variant": None, "unitPrice": None}],
        }
    }


def paid(fake, **kwargs):
    return fake.webhook("order_fully_paid", documents.ORDER_FULLY_PAID_SUBSCRIPTION, order_payload(), **kwargs)


def cancelled(fake, **kwargs):
    return fake.webhook("order_cancelled", documents.ORDER_CANCELLED_SUBSCRIPTION, order_payload(), **kwargs)


def test_a_signed_cancellation_sent_as_order_fully_paid_is_handled_as_a_cancellation(
    client, saleor_configured, saleor_instance
):
    body, headers = cancelled(saleor_configured)
    headers["Saleor-Event"] = "order_fully_paid"  # the header is not covered by the signature

    assert post_webhook(client, body, headers).status_code == 200

    assert SaleorOrder.objects.get(number="27").status == SaleorOrder.Status.CANCELLED


def test_a_signed_product_update_sent_as_product_deleted_does_not_unlink_the_product_from_the_gate(
    client, saleor_configured, synced_product
):
    fake = saleor_configured
    view = fake._product_view(fake.products[synced_product.saleor_product_id])
    body, headers = fake.webhook("product_updated", documents.PRODUCT_UPDATED_SUBSCRIPTION, {"product": view})
    headers["Saleor-Event"] = "product_deleted"

    assert post_webhook(client, body, headers).status_code == 200

    # The mapping the gate unpublishes through is still there
    assert SaleorProduct.objects.filter(pk=synced_product.pk).exists()


def test_a_signed_delivery_issued_for_another_app_is_refused(client, saleor_configured, saleor_instance):
    # Given a delivery Saleor signed for another App of the same Saleor, subscribed to the same event
    other_app, _token = saleor_configured.add_app(identifier="com.example.analytics")
    body, headers = paid(saleor_configured, recipient=other_app)

    assert post_webhook(client, body, headers).status_code == 403
    assert not SaleorOrder.objects.exists()


def test_a_signed_delivery_without_the_envelope_is_refused(client, saleor_configured, saleor_instance):
    # A subscription that does not select __typename/issuedAt/recipient (as an App installed before this
    # change has): its deliveries cannot be checked for the event type or a replay
    legacy = "subscription { event { ... on OrderFullyPaid { " + documents.ORDER_PAYLOAD + " } } }"
    body, headers = saleor_configured.webhook("order_fully_paid", legacy, order_payload())

    assert post_webhook(client, body, headers).status_code == 400
    assert not SaleorOrder.objects.exists()


def test_a_captured_paid_delivery_replayed_after_the_cancellation_has_no_effect(
    client, saleor_configured, saleor_instance
):
    fake = saleor_configured
    paid_delivery = paid(fake)
    assert post_webhook(client, *paid_delivery).status_code == 200
    assert post_webhook(client, *cancelled(fake)).status_code == 200

    # When the paid delivery is posted again, byte for byte, with its valid signature
    replay = post_webhook(client, *paid_delivery)

    # Then it is answered without effect: the order stays cancelled
    assert replay.status_code == 200
    assert SaleorOrder.objects.get(number="27").status == SaleorOrder.Status.CANCELLED
    assert WebhookDelivery.objects.count() == 2


def test_the_same_product_delivery_posted_twice_queues_one_check(
    client, saleor_configured, synced_product, revoke_certificate
):
    from ocop.outbox import services as outbox

    fake = saleor_configured
    revoke_certificate(synced_product.product)
    outbox.drain()
    for listing in fake.products[synced_product.saleor_product_id]["channelListings"].values():
        listing.update(isPublished=True, isAvailableForPurchase=True, visibleInListings=True)
    view = fake._product_view(fake.products[synced_product.saleor_product_id])
    delivery = fake.webhook("product_updated", documents.PRODUCT_UPDATED_SUBSCRIPTION, {"product": view})

    responses = [post_webhook(client, *delivery).status_code for _ in range(2)]

    assert responses == [200, 200]
    assert OutboxEvent.objects.filter(topic=services.SALEOR_PRODUCT_CHECK).count() == 1


@pytest.mark.parametrize("offset", [datetime.timedelta(minutes=-16), datetime.timedelta(minutes=10)])
def test_a_delivery_issued_outside_the_window_is_refused(client, settings, saleor_configured, saleor_instance, offset):
    settings.SALEOR_WEBHOOK_MAX_AGE = 900.0  # the default: 15 minutes back, 2 minutes ahead for clock skew
    body, headers = paid(saleor_configured, issued_at=timezone.now() + offset)

    assert post_webhook(client, body, headers).status_code == 400
    assert not SaleorOrder.objects.exists()


def test_a_retry_minutes_later_of_a_delivery_never_processed_is_accepted(
    client, settings, saleor_configured, saleor_instance
):
    settings.SALEOR_WEBHOOK_MAX_AGE = 900.0
    # Saleor's last retry comes about 5 minutes after the first attempt, later when its queue is busy
    body, headers = paid(saleor_configured, issued_at=timezone.now() - datetime.timedelta(minutes=8))

    assert post_webhook(client, body, headers).status_code == 200
    assert SaleorOrder.objects.get(number="27").status == SaleorOrder.Status.PAID


def test_a_delivery_whose_processing_failed_is_processed_when_saleor_retries_it(
    client, saleor_configured, saleor_instance, monkeypatch
):
    body, headers = paid(saleor_configured)

    def database_hiccup(**kwargs):
        raise RuntimeError("database hiccup")

    with monkeypatch.context() as patched:
        patched.setitem(webhooks.EVENTS, "OrderFullyPaid", ("order_fully_paid", database_hiccup))
        client.raise_request_exception = False
        assert post_webhook(client, body, headers).status_code == 500  # Saleor retries a 5xx
        client.raise_request_exception = True

    assert post_webhook(client, body, headers).status_code == 200
    assert SaleorOrder.objects.get(number="27").status == SaleorOrder.Status.PAID


def test_processed_deliveries_are_forgotten_only_after_the_window(settings, saleor_instance):
    settings.SALEOR_WEBHOOK_MAX_AGE = 900.0
    now = timezone.now()
    for minutes, digest in ((1, "a" * 64), (14, "b" * 64), (16, "c" * 64)):
        WebhookDelivery.objects.create(
            instance=saleor_instance,
            digest=digest,
            event="order_fully_paid",
            issued_at=now - datetime.timedelta(minutes=minutes),
        )

    tasks.prune_webhook_deliveries()

    assert sorted(WebhookDelivery.objects.values_list("digest", flat=True)) == ["a" * 64, "b" * 64]
