"""Marketplace orders pulled through each platform's adapter: one shape for every platform, cancelled orders
counted as no sale, lines tied to products by the store's SKU, and a repeated pull changing nothing."""

import datetime
import json
from decimal import Decimal

import httpx
import pytest

from integrations.channel_sales import services
from integrations.channel_sales.models import MarketplaceOrder, MarketplaceOrderLine
from integrations.marketplaces.adapters import adapter_for

pytestmark = pytest.mark.django_db

SINCE = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
UNTIL = datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC)  # 19 days: two Shopee windows (15 days at most)
PLACED = datetime.datetime(2026, 11, 10, 3, 0, tzinfo=datetime.UTC)


def mock(answers):
    """An httpx client answering each path with ``answers[path](request)``; records the requests."""
    seen = []

    def handle(request: httpx.Request):
        seen.append(request)
        return httpx.Response(200, json=answers[request.url.path](request))

    return httpx.Client(transport=httpx.MockTransport(handle)), seen


def pull(destination, client):
    adapter = adapter_for(destination, client=client, limiter=lambda _destination: None)
    return adapter.fetch_orders(SINCE, UNTIL)


def test_shopee_lists_orders_per_15_days_then_reads_their_details(make_destination):
    destination = make_destination("shopee", "https://shopee.test")
    lists = iter(
        [
            {"response": {"order_list": [{"order_sn": "A1"}, {"order_sn": "A2"}], "more": False}},
            {"response": {"order_list": [], "more": False}},
        ]
    )
    client, seen = mock(
        {
            "/api/v2/order/get_order_list": lambda r: next(lists),
            "/api/v2/order/get_order_detail": lambda r: {
                "response": {
                    "order_list": [
                        {
                            "order_sn": "A1",
                            "order_status": "COMPLETED",
                            "create_time": int(PLACED.timestamp()),
                            "item_list": [
                                {
                                    "item_sku": "OCOP-DL-1",
                                    "model_sku": "",
                                    "model_quantity_purchased": 2,
                                    "model_discounted_price": 145000.0,
                                }
                            ],
                        },
                        {
                            "order_sn": "A2",
                            "order_status": "CANCELLED",
                            "create_time": int(PLACED.timestamp()),
                            "item_list": [
                                {
                                    "item_sku": "OCOP-DL-1",
                                    "model_quantity_purchased": 1,
                                    "model_discounted_price": 145000,
                                }
                            ],
                        },
                    ]
                }
            },
        }
    )

    orders = pull(destination, client)

    windows = [
        (int(r.url.params["time_from"]), int(r.url.params["time_to"]))
        for r in seen
        if r.url.path.endswith("get_order_list")
    ]
    assert [b - a + 1 for a, b in windows] == [15 * 86400, 4 * 86400]
    assert all("sign" in r.url.params for r in seen)
    assert [(o.external_id, o.cancelled, o.ordered_at) for o in orders] == [("A1", False, PLACED), ("A2", True, PLACED)]
    assert orders[0].lines[0].sku == "OCOP-DL-1" and orders[0].lines[0].quantity == 2
    assert orders[0].lines[0].unit_price == Decimal(145000)


def test_lazada_counts_one_row_per_unit_and_leaves_cancelled_items_out(make_destination):
    destination = make_destination("lazada", "https://lazada.test")
    client, _seen = mock(
        {
            "/orders/get": lambda r: {
                "code": "0",
                "data": {
                    "count": 1,
                    "orders": [
                        {"order_id": 7001, "created_at": "2026-11-10 10:00:00 +0700", "statuses": ["delivered"]}
                    ],
                },
            },
            "/orders/items/get": lambda r: {
                "code": "0",
                "data": [
                    {
                        "order_id": 7001,
                        "order_items": [
                            {"sku": "OCOP-DL-1", "paid_price": "120000.00", "status": "delivered"},
                            {"sku": "OCOP-DL-1", "paid_price": "120000.00", "status": "delivered"},
                            {"sku": "OCOP-DL-2", "paid_price": "99000.00", "status": "canceled"},
                        ],
                    }
                ],
            },
        }
    )

    [order] = pull(destination, client)

    assert order.external_id == "7001" and not order.cancelled
    assert order.ordered_at == PLACED
    assert [(line.sku, line.quantity, line.unit_price) for line in order.lines] == [("OCOP-DL-1", 2, 120000)]


def test_tiktok_pages_through_the_search_with_its_token(make_destination):
    destination = make_destination("tiktok", "https://tiktok.test")
    pages = iter(
        [
            {
                "code": 0,
                "data": {
                    "next_page_token": "p2",
                    "orders": [
                        {
                            "id": "T1",
                            "status": "COMPLETED",
                            "create_time": int(PLACED.timestamp()),
                            "line_items": [{"seller_sku": "OCOP-DL-1", "sale_price": "150000"}],
                        }
                    ],
                },
            },
            {
                "code": 0,
                "data": {
                    "next_page_token": "",
                    "orders": [
                        {"id": "T2", "status": "CANCELLED", "create_time": int(PLACED.timestamp()), "line_items": []}
                    ],
                },
            },
        ]
    )
    client, seen = mock({"/order/202309/orders/search": lambda r: next(pages)})

    orders = pull(destination, client)

    assert [o.external_id for o in orders] == ["T1", "T2"] and [o.cancelled for o in orders] == [False, True]
    assert json.loads(seen[0].content) == {
        "create_time_ge": int(SINCE.timestamp()),
        "create_time_lt": int(UNTIL.timestamp()),
    }
    assert seen[1].url.params["page_token"] == "p2"


def test_tiki_reads_orders_in_vietnam_time(make_destination):
    destination = make_destination("tiki", "https://tiki.test")
    destination.set_tokens({"access_token": "tiki-token", "expires_at": "99999999999"})
    destination.save()
    client, _seen = mock(
        {
            "/integration/v2/orders": lambda r: {
                "data": [
                    {
                        "code": "TK9",
                        "status": "complete",
                        "created_at": "2026-11-10 10:00:00",
                        "items": [
                            {"product": {"seller_product_code": "OCOP-DL-1"}, "qty": 3, "invoice": {"price": 110000}}
                        ],
                    }
                ],
                "paging": {"current_page": 1, "last_page": 1},
            }
        }
    )

    [order] = pull(destination, client)

    assert order.ordered_at == PLACED and order.lines[0].quantity == 3


def test_recording_ties_lines_to_products_by_sku_and_a_repeated_pull_changes_nothing(
    make_destination, certified_product, offer_for
):
    from integrations.marketplaces.adapters.base import PulledLine, PulledOrder

    listing = offer_for(certified_product)
    destination = make_destination("shopee", "https://shopee.test")
    order = PulledOrder(
        "A1",
        "COMPLETED",
        False,
        PLACED,
        (PulledLine(listing.sku, 2, Decimal(145000)), PulledLine("UNKNOWN", 1, Decimal(5))),
    )

    services.record_orders(destination, [order])
    services.record_orders(destination, [order])
    services.record_orders(destination, [PulledOrder("A1", "CANCELLED", True, PLACED, order.lines)])

    assert MarketplaceOrder.objects.get().cancelled
    assert sorted(MarketplaceOrderLine.objects.values_list("sku", "product", "quantity")) == [
        (listing.sku, certified_product.pk, 2),
        ("UNKNOWN", None, 1),
    ]
