"""Shopee Open Platform v2: signed query (partner_id, timestamp, access_token, shop_id, sign), JSON bodies."""

import datetime
import hashlib
import hmac

import httpx

from integrations.offers import Offer

from .base import Adapter, PulledLine, PulledOrder, Rejected, Retryable, TokenInvalid, dumps, money, windows

#: Orders in these statuses were not (or are no longer) a sale.
NOT_SOLD = {"UNPAID", "CANCELLED", "IN_CANCEL"}
#: get_order_list accepts at most 15 days per query; get_order_detail at most 50 orders.
MAX_DAYS, DETAIL_BATCH = 15, 50
TOKEN_ERRORS = {"error_auth", "invalid_access_token", "invalid_acceess_token", "error_token"}
RETRY_ERRORS = {"error_server", "error_inner", "error_busy", "error_rate_limit", "error_network"}


def shopee_sign(
    partner_key: str, partner_id: str, path: str, timestamp: str, access_token: str = "", shop_id: str = ""
) -> str:
    base = f"{partner_id}{path}{timestamp}{access_token}{shop_id}"
    return hmac.new(partner_key.encode(), base.encode(), hashlib.sha256).hexdigest()


class ShopeeAdapter(Adapter):
    kind = "shopee"
    bundles_unsupported = (
        "Shopee sells bundles only as a bundle-deal promotion over listings it already has (v2.bundle_deal), "
        "not as an item with a price of its own: not implemented"
    )

    def build_request(self, method, path, params, body, request_id, *, shop_level=True):
        c = self.credentials
        timestamp = str(int(self.clock()))
        query = {"partner_id": str(c["partner_id"]), "timestamp": timestamp}
        if shop_level:
            query |= {"access_token": c.get("access_token", ""), "shop_id": str(c["shop_id"])}
        query["sign"] = shopee_sign(
            c["partner_key"],
            str(c["partner_id"]),
            path,
            timestamp,
            query.get("access_token", ""),
            query.get("shop_id", ""),
        )
        query |= params
        headers = {"Content-Type": "application/json", "X-Request-Id": request_id}
        content = dumps(body) if body is not None else None
        return httpx.Request(
            method, self.url(path, auth=not shop_level), params=query, content=content, headers=headers
        )

    def interpret(self, response):
        self.http_failure(response)
        data = self.json_of(response)
        error = data.get("error") or ""
        if error in TOKEN_ERRORS or response.status_code == 403 and "token" in error:
            raise TokenInvalid(f"{error}: {data.get('message', '')}")
        if error in RETRY_ERRORS:
            raise Retryable(f"{error}: {data.get('message', '')}")
        if error or response.status_code >= 400:
            raise Rejected(f"{error or response.status_code}: {data.get('message', '')}")
        return data.get("response") or data

    def refresh_token(self):
        c = self.credentials
        path = "/api/v2/auth/access_token/get"
        body = {
            "refresh_token": c.get("refresh_token", ""),
            "partner_id": int(c["partner_id"]),
            "shop_id": int(c["shop_id"]),
        }
        response = self.send(self.build_request("POST", path, {}, body, "", shop_level=False))
        self.http_failure(response)
        data = self.json_of(response)
        if data.get("error") or not data.get("access_token"):
            raise Rejected(f"Token refresh refused: {data.get('error')}: {data.get('message', '')}")
        self.save_tokens(access_token=data["access_token"], refresh_token=data.get("refresh_token"))

    def _item(self, offer: Offer) -> dict:
        o = self.options
        item = {
            "item_name": offer.title,
            "description": f"{offer.description}\n{offer.ocop_line}".strip(),
            "item_sku": offer.sku,
            "original_price": offer.price_vnd,
            "seller_stock": [{"stock": offer.stock}],
            "weight": round((offer.weight_grams or o.get("default_weight_grams", 500)) / 1000, 3),
            "category_id": int(o.get("category_id", 0)),
            "brand": {"brand_id": int(o.get("brand_id", 0)), "original_brand_name": offer.brand},
            "image": {"image_url_list": [offer.image_link]},
            "logistic_info": [{"logistic_id": int(lid), "enabled": True} for lid in o.get("logistic_ids", [])],
            "condition": "NEW",
            "item_status": "NORMAL",
        }
        if offer.gtin:
            item["gtin_code"] = offer.gtin
        return item

    def find_listing(self, offer):
        found = self.call(
            "GET", "/api/v2/product/search_item", params={"item_sku": offer.sku, "page_size": 10, "offset": 0}
        )
        ids = found.get("item_id_list") or []
        return str(ids[0]) if ids else None

    def create_listing(self, offer, *, request_id):
        created = self.call("POST", "/api/v2/product/add_item", body=self._item(offer), request_id=request_id)
        return str(created["item_id"])

    def update_listing(self, external_id, offer, *, request_id):
        item = self._item(offer) | {"item_id": int(external_id)}
        for key in ("original_price", "seller_stock"):
            item.pop(key)
        self.call("POST", "/api/v2/product/update_item", body=item, request_id=request_id)
        self.update_stock_price(external_id, offer, request_id=request_id)
        self.call(
            "POST",
            "/api/v2/product/unlist_item",
            body={"item_list": [{"item_id": int(external_id), "unlist": False}]},
            request_id=request_id,
        )

    def update_stock_price(self, external_id, offer, *, request_id):
        self.call(
            "POST",
            "/api/v2/product/update_price",
            request_id=request_id,
            body={"item_id": int(external_id), "price_list": [{"original_price": offer.price_vnd}]},
        )
        self.call(
            "POST",
            "/api/v2/product/update_stock",
            request_id=request_id,
            body={"item_id": int(external_id), "stock_list": [{"seller_stock": [{"stock": offer.stock}]}]},
        )

    def delist(self, external_id, offer, *, request_id):
        self.call(
            "POST",
            "/api/v2/product/unlist_item",
            request_id=request_id,
            body={"item_list": [{"item_id": int(external_id), "unlist": True}]},
        )

    def fetch_orders(self, since, until):
        numbers = []
        for start, end in windows(since, until, MAX_DAYS):
            cursor = ""
            while True:
                page = self.call(
                    "GET",
                    "/api/v2/order/get_order_list",
                    params={
                        "time_range_field": "create_time",
                        "time_from": int(start.timestamp()),
                        "time_to": int(end.timestamp()) - 1,
                        "page_size": 100,
                        "cursor": cursor,
                    },
                )
                numbers += [order["order_sn"] for order in page.get("order_list") or []]
                cursor = page.get("next_cursor") or ""
                if not page.get("more") or not cursor:
                    break
        orders = []
        for first in range(0, len(numbers), DETAIL_BATCH):
            detail = self.call(
                "GET",
                "/api/v2/order/get_order_detail",
                params={
                    "order_sn_list": ",".join(numbers[first : first + DETAIL_BATCH]),
                    "response_optional_fields": "item_list,order_status",
                },
            )
            for order in detail.get("order_list") or []:
                status = order.get("order_status", "")
                orders.append(
                    PulledOrder(
                        external_id=str(order["order_sn"]),
                        status=status,
                        cancelled=status in NOT_SOLD,
                        ordered_at=datetime.datetime.fromtimestamp(int(order["create_time"]), tz=datetime.UTC),
                        lines=tuple(
                            PulledLine(
                                sku=item.get("model_sku") or item.get("item_sku") or "",
                                quantity=int(item.get("model_quantity_purchased") or 0),
                                unit_price=money(item.get("model_discounted_price")),
                            )
                            for item in order.get("item_list") or []
                        ),
                    )
                )
        return orders
