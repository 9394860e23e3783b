import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from integrations import events, handlers
from integrations.models import Assortment, SalesPoint
from integrations.offers import product_url
from integrations.salespoints import services as point_services
from integrations.salespoints import webhooks
from integrations.salespoints.querysets import sales_points_stocking
from integrations.tests.fixtures import deliver_due
from ocop.outbox.models import OutboxDelivery


@pytest.fixture
def stocked_point(sales_point, certified_product, offer_for, office_user):
    offer_for(certified_product)
    point_services.assign_product(point=sales_point, product=certified_product, actor=office_user)
    return sales_point


def _pull(client, point, **headers):
    return client.get(
        reverse("integrations:sales_point_assortment"), HTTP_AUTHORIZATION=f"Bearer {point.raw_token}", **headers
    )


def test_only_a_listable_product_can_be_assigned(sales_point, product, office_user):
    with pytest.raises(ValidationError) as error:
        point_services.assign_product(point=sales_point, product=product, actor=office_user)

    assert error.value.code == "not_stockable"
    assert not Assortment.objects.exists()


def test_the_pull_api_needs_the_points_token(client, stocked_point):
    assert client.get(reverse("integrations:sales_point_assortment")).status_code == 401
    response = client.get(reverse("integrations:sales_point_assortment"), HTTP_AUTHORIZATION="Bearer wrong")
    assert response.status_code == 401
    assert stocked_point.raw_token not in (SalesPoint.objects.get().api_token_hash or "")


def test_the_pull_api_returns_the_assortment_and_304_while_unchanged(client, stocked_point, certified_product):
    first = _pull(client, stocked_point)
    assert first.status_code == 200
    document = json.loads(first.content)
    assert document["point"] == "bmt-airport"
    assert [(p["id"], p["price"], p["stock"], p["ocop_stars"]) for p in document["products"]] == [
        (certified_product.pk, 150000, 12, 4)
    ]

    again = _pull(client, stocked_point, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""

    certified_product.store_listing.stock = 3
    certified_product.store_listing.save()
    changed = _pull(client, stocked_point, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert json.loads(changed.content)["products"][0]["stock"] == 3


def test_revocation_empties_the_product_from_every_assortment(client, stocked_point, certified_product, revoke):
    revoke(certified_product)

    assert json.loads(_pull(client, stocked_point).content)["products"] == []  # at once, by the listing rule
    deliver_due()
    assert not Assortment.objects.filter(product=certified_product).exists()
    assert list(sales_points_stocking(certified_product)) == []


def test_sales_points_stocking_lists_active_points_with_the_product(stocked_point, certified_product, office_user):
    closed, _token = point_services.create_sales_point(
        code="closed", name="Closed corner", kind=SalesPoint.Kind.SUPERMARKET_CORNER, actor=office_user
    )
    point_services.assign_product(point=closed, product=certified_product, actor=office_user)
    SalesPoint.objects.filter(pk=closed.pk).update(status=SalesPoint.Status.CLOSED)

    assert list(sales_points_stocking(certified_product)) == [stocked_point]


class Receiver:
    """A sales point's endpoint: verifies each push with ``webhooks.verify`` as a receiver would."""

    def __init__(self, secret):
        self.received, self.rejected, self.seen = [], [], set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    webhooks.verify(secret, body, dict(self.headers.items()), seen=receiver.mark_seen)
                except webhooks.InvalidWebhook as exc:
                    receiver.rejected.append(str(exc))
                    self.send_response(401)
                else:
                    receiver.received.append((dict(self.headers.items()), body))
                    self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/ocop"

    def mark_seen(self, delivery_id):
        if delivery_id in self.seen:
            return True
        self.seen.add(delivery_id)
        return False


@pytest.fixture
def receiver(sales_point):
    receiver = Receiver("point-secret")
    SalesPoint.objects.filter(pk=sales_point.pk).update(webhook_url=receiver.url)
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def test_an_assortment_change_is_pushed_signed(receiver, sales_point, certified_product, offer_for, office_user):
    offer_for(certified_product)

    point_services.assign_product(point=sales_point, product=certified_product, actor=office_user)
    deliver_due()

    assert receiver.rejected == []
    headers, body = receiver.received[0]
    assert json.loads(body)["products"][0]["id"] == certified_product.pk
    assert headers[webhooks.SIGNATURE_HEADER].startswith("sha256=")
    pushes = OutboxDelivery.objects.filter(subscriber=events.PUSH_SALES_POINT_WEBHOOK)
    assert pushes and {d.status for d in pushes} == {"done"}


def test_a_rejected_push_is_a_dead_letter(sales_point, certified_product, offer_for, office_user):
    receiver = Receiver("another-secret")  # the point configured a different secret
    SalesPoint.objects.filter(pk=sales_point.pk).update(webhook_url=receiver.url)
    try:
        point_services.assign_product(point=sales_point, product=certified_product, actor=office_user)
        deliver_due()
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()

    assert receiver.received == [] and set(receiver.rejected) == {"signature does not match"}
    pushes = OutboxDelivery.objects.filter(subscriber=events.PUSH_SALES_POINT_WEBHOOK)
    assert pushes and all(d.status == "dead" and "401" in d.last_error for d in pushes)


def test_verify_accepts_a_fresh_signed_body():
    body = b'{"products":[]}'
    headers = webhooks.signed_headers("s3cret", body, delivery_id="d-1", now=1_700_000_000)

    webhooks.verify("s3cret", body, headers, now=1_700_000_100)


@pytest.mark.parametrize(
    ("secret", "body", "now", "error"),
    [
        ("wrong", b'{"products":[]}', 1_700_000_100, "signature does not match"),
        ("s3cret", b'{"products":[1]}', 1_700_000_100, "signature does not match"),
        ("s3cret", b'{"products":[]}', 1_700_000_000 + 301, "timestamp outside the replay window"),
    ],
)
def test_verify_refuses_forged_altered_or_stale_bodies(secret, body, now, error):
    headers = webhooks.signed_headers("s3cret", b'{"products":[]}', delivery_id="d-1", now=1_700_000_000)

    with pytest.raises(webhooks.InvalidWebhook, match=error):
        webhooks.verify(secret, body, headers, now=now)


def test_verify_refuses_a_replayed_delivery_within_the_window():
    body = b"{}"
    headers = webhooks.signed_headers("s3cret", body, delivery_id="d-7")
    seen = set()

    def mark(delivery_id):
        duplicate = delivery_id in seen
        seen.add(delivery_id)
        return duplicate

    webhooks.verify("s3cret", body, headers, seen=mark)
    with pytest.raises(webhooks.InvalidWebhook, match="already received"):
        webhooks.verify("s3cret", body, headers, seen=mark)


def test_shelf_labels_show_a_qr_code_to_the_product_page(client, stocked_point, certified_product, django_user_model):
    from django.contrib.auth.models import Permission

    staff = django_user_model.objects.create_user("department", password="pw-department-123", is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="view_salespoint"), Permission.objects.get(codename="view_all_points")
    )
    client.force_login(staff)

    response = client.get(reverse("integrations:sales_point_labels", args=[stocked_point.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-product="{certified_product.pk}"' in html and "<svg" in html
    assert f'data-link="{product_url(certified_product.pk)}"' in html
    assert product_url(certified_product.pk).endswith(f"/products/{certified_product.pk}/")
    assert certified_product.name_vi in html
    assert "150000" in html


def test_shelf_labels_need_permission(client, stocked_point, django_user_model):
    client.force_login(django_user_model.objects.create_user("visitor", password="pw-visitor-123"))

    assert client.get(reverse("integrations:sales_point_labels", args=[stocked_point.pk])).status_code == 403


def test_a_price_change_is_pushed_to_the_points_offering_the_product(receiver, stocked_point, certified_product):
    deliver_due()
    receiver.received.clear()
    listing = certified_product.store_listing
    listing.price = 99000
    listing.save()

    handlers.offers_changed(product_ids=[certified_product.pk], cause="price:2")
    deliver_due()

    assert [json.loads(body)["products"][0]["price"] for _h, body in receiver.received] == [99000]


def test_the_scan_page_lists_the_sales_points_stocking_the_product_until_it_stops_being_listable(
    client, sales_point, item, certify, revoke, office_user
):
    from traceability.identifiers import item_path

    certify(item.lot.product, stars=4)
    point_services.assign_product(point=sales_point, product=item.lot.product, actor=office_user)
    lot = item.lot
    page = item_path(gtin=lot.product.gtin, lot=lot.number, serial=item.serial, expires_on=lot.expires_on)

    assert sales_point.name in client.get(page).content.decode()

    revoke(item.lot.product)
    assert sales_point.name not in client.get(page).content.decode()
