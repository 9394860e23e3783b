"""Lazada Open Platform: every parameter signed (sorted name+value after the API path), JSON payload."""

import datetime
import hashlib
import hmac
import json

import httpx

from .base import Adapter, PulledOrder, Rejected, Retryable, TokenInvalid, lines_from_units, money

#: Order statuses that are no sale (Lazada reports statuses per item; an order counts its sold items).
NOT_SOLD = {"unpaid", "canceled", "cancelled", "returned", "failed"}
PAGE = 100
TOKEN_CODES = {"IllegalAccessToken", "InvalidAccessToken", "AccessTokenExpired", "IllegalRefreshToken"}
RETRY_CODES = {"ApiCallLimit", "AppCallLimit", "ServiceTimeout", "ServiceUnavailable", "InternalError"}


def lazada_sign(app_secret: str, api_path: str, params: dict) -> str:
    text = api_path + "".join(f"{name}{params[name]}" for name in sorted(params) if name != "sign")
    return hmac.new(app_secret.encode(), text.encode(), hashlib.sha256).hexdigest().upper()


class LazadaAdapter(Adapter):
    kind = "lazada"
    bundles_unsupported = (
        "Lazada bundles are seller-centre promotions over existing SKUs, not a fixed-price item: not implemented"
    )

    def build_request(self, method, path, params, body, request_id, *, with_token=True):
        c = self.credentials
        system = {"app_key": str(c["app_key"]), "timestamp": str(int(self.clock() * 1000)), "sign_method": "sha256"}
        if with_token:
            system["access_token"] = c.get("access_token", "")
        api = {k: str(v) for k, v in params.items()}
        if body is not None:
            api["payload"] = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        system["sign"] = lazada_sign(c["app_secret"], path, system | api)
        headers = {"X-Request-Id": request_id}
        url = self.url(path, auth=not with_token)
        if method == "GET":
            return httpx.Request("GET", url, params=system | api, headers=headers)
        return httpx.Request(method, url, params=system, data=api, headers=headers)

    def interpret(self, response):
        self.http_failure(response)
        data = self.json_of(response)
        code = str(data.get("code", "0"))
        if code in TOKEN_CODES:
            raise TokenInvalid(f"{code}: {data.get('message', '')}")
        if code in RETRY_CODES:
            raise Retryable(f"{code}: {data.get('message', '')}")
        if code != "0" or response.status_code >= 400:
            raise Rejected(f"{code}: {data.get('message', '')} {data.get('detail', '')}".strip())
        return data.get("data") or {}

    def refresh_token(self):
        c = self.credentials
        request = self.build_request(
            "POST", "/auth/token/refresh", {"refresh_token": c.get("refresh_token", "")}, None, "", with_token=False
        )
        response = self.send(request)
        self.http_failure(response)
        data = self.json_of(response)
        if str(data.get("code", "0")) != "0" or not data.get("access_token"):
            raise Rejected(f"Token refresh refused: {data.get('code')}: {data.get('message', '')}")
        self.save_tokens(access_token=data["access_token"], refresh_token=data.get("refresh_token"))

    def _sku(self, offer, external_id=None) -> dict:
        sku = {
            "SellerSku": offer.sku,
            "price": str(offer.price_vnd),
            "quantity": str(offer.stock),
            "package_weight": str(round((offer.weight_grams or 500) / 1000, 3)),
            "package_length": "10",
            "package_width": "10",
            "package_height": "10",
        }
        if external_id:
            sku["ItemId"] = str(external_id)
        return sku

    def _product(self, offer, external_id=None) -> dict:
        attributes = {
            "name": offer.title,
            "description": f"{offer.description}\n{offer.ocop_line}".strip(),
            "brand": offer.brand,
        }
        if offer.gtin:
            attributes["ean_code"] = offer.gtin
        product = {
            "PrimaryCategory": str(self.options.get("primary_category", "")),
            "Images": {"Image": [offer.image_link]},
            "Attributes": attributes,
            "Skus": {"Sku": [self._sku(offer, external_id)]},
        }
        if external_id:
            product["ItemId"] = str(external_id)
        return {"Request": {"Product": product}}

    def find_listing(self, offer):
        found = self.call("GET", "/products/get", params={"filter": "all", "sku_seller_list": json.dumps([offer.sku])})
        products = found.get("products") or []
        return str(products[0]["item_id"]) if products else None

    def create_listing(self, offer, *, request_id):
        return str(self.call("POST", "/product/create", body=self._product(offer), request_id=request_id)["item_id"])

    def update_listing(self, external_id, offer, *, request_id):
        self.call("POST", "/product/update", body=self._product(offer, external_id), request_id=request_id)
        self.call(
            "POST",
            "/product/activate",
            request_id=request_id,
            body={"Request": {"Product": {"ItemId": str(external_id)}}},
        )

    def update_stock_price(self, external_id, offer, *, request_id):
        sku = {
            "ItemId": str(external_id),
            "SellerSku": offer.sku,
            "Price": str(offer.price_vnd),
            "Quantity": str(offer.stock),
        }
        self.call(
            "POST",
            "/product/price_quantity/update",
            request_id=request_id,
            body={"Request": {"Product": {"Skus": {"Sku": [sku]}}}},
        )

    def delist(self, external_id, offer, *, request_id):
        self.call(
            "POST",
            "/product/deactivate",
            request_id=request_id,
            body={"Request": {"Product": {"ItemId": str(external_id)}}},
        )

    def fetch_orders(self, since, until):
        headers, offset = [], 0
        while True:
            page = self.call(
                "GET",
                "/orders/get",
                params={
                    "created_after": since.isoformat(),
                    "created_before": until.isoformat(),
                    "offset": offset,
                    "limit": PAGE,
                    "sort_by": "created_at",
                    "sort_direction": "ASC",
                },
            )
            batch = page.get("orders") or []
            headers += batch
            offset += len(batch)
            if len(batch) < PAGE or offset >= int(page.get("count") or 0):
                break
        items = {}
        for first in range(0, len(headers), PAGE):
            ids = [int(order["order_id"]) for order in headers[first : first + PAGE]]
            for entry in self.call("GET", "/orders/items/get", params={"order_ids": json.dumps(ids)}) or []:
                items[str(entry["order_id"])] = entry.get("order_items") or []
        orders = []
        for order in headers:
            number = str(order["order_id"])
            statuses = {str(status).lower() for status in order.get("statuses") or []}
            sold = [item for item in items.get(number, []) if str(item.get("status", "")).lower() not in NOT_SOLD]
            orders.append(
                PulledOrder(
                    external_id=number,
                    status=",".join(sorted(statuses)),
                    cancelled=not sold or statuses <= NOT_SOLD,
                    ordered_at=datetime.datetime.fromisoformat(order["created_at"].replace(" +", "+")),
                    lines=lines_from_units(
                        (item.get("sku") or "", money(item.get("paid_price") or item.get("item_price")))
                        for item in sold
                    ),
                )
            )  # one row per unit
        return orders
