"""Tiki seller API: OAuth2 client-credentials bearer token. Paths are unconfirmed: they come from options."""

import base64
import datetime

import httpx

from .base import Adapter, PulledLine, PulledOrder, Rejected, TokenInvalid, dumps, money

DEFAULTS = {
    "version": "v2",
    "token_path": "/sc/oauth2/token",
    "create_path": "/integration/{version}/requests",
    "find_path": "/integration/{version}/products",
    "update_sku_path": "/integration/{version}/products/updateSku",
    "orders_path": "/integration/{version}/orders",
}
NOT_SOLD = {"canceled", "cancelled", "closed", "returned"}


class TikiAdapter(Adapter):
    kind = "tiki"
    bundles_unsupported = "Tiki's seller API has no bundle or combo product"

    def path(self, name: str) -> str:
        o = DEFAULTS | self.options
        return o[name].format(version=o["version"])

    def build_request(self, method, path, params, body, request_id):
        token = self.credentials.get("access_token")
        expires_at = float(self.credentials.get("expires_at") or 0)
        if not token or expires_at and expires_at < self.clock() + 30:
            self.refresh_token()
            token = self.credentials["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "X-Request-Id": request_id}
        content = dumps(body) if body is not None else None
        return httpx.Request(method, self.url(path), params=params, content=content, headers=headers)

    def interpret(self, response):
        self.http_failure(response)
        if response.status_code == 401:
            raise TokenInvalid(response.text[:300])
        data = self.json_of(response)
        if response.status_code >= 400:
            errors = data.get("errors") or data.get("message") or data
            raise Rejected(f"HTTP {response.status_code}: {errors}")
        return data

    def refresh_token(self):
        c = self.credentials
        response = self.send(
            httpx.Request(
                "POST",
                self.url(self.path("token_path"), auth=True),
                data={"grant_type": "client_credentials"},
                headers={
                    "Authorization": "Basic "
                    + base64.b64encode(f"{c['client_id']}:{c['client_secret']}".encode()).decode()
                },
            )
        )
        self.http_failure(response)
        data = self.json_of(response)
        if response.status_code >= 400 or not data.get("access_token"):
            raise Rejected(f"Token request refused: HTTP {response.status_code}: {data}")
        expires_at = self.clock() + float(data.get("expires_in") or 3600)
        self.save_tokens(access_token=data["access_token"], expires_at=str(expires_at))

    def _variant(self, offer, *, active=True) -> dict:
        return {"original_sku": offer.sku, "price": offer.price_vnd, "quantity": offer.stock, "active": int(active)}

    def find_listing(self, offer):
        found = self.call("GET", self.path("find_path"), params={"original_sku": offer.sku})
        items = found.get("data") or []
        return str(items[0]["product_id"]) if items else None

    def create_listing(self, offer, *, request_id):
        body = {
            "category_id": int(self.options.get("category_id", 0)),
            "name": offer.title,
            "description": f"{offer.description}\n{offer.ocop_line}".strip(),
            "market_price": offer.price_vnd,
            "attributes": {"brand": offer.brand, "origin": "Việt Nam", **({"gtin": offer.gtin} if offer.gtin else {})},
            "image": offer.image_link,
            "images": [offer.image_link],
            "option_attributes": [],
            "variants": [
                self._variant(offer)
                | {
                    "inventory_type": self.options.get("inventory_type", "dropship"),
                    "seller_warehouse": str(self.options.get("warehouse_id", "")),
                }
            ],
        }
        created = self.call("POST", self.path("create_path"), body=body, request_id=request_id)
        return str(created.get("product_id") or f"request:{created['track_id']}")

    def update_listing(self, external_id, offer, *, request_id):
        self.update_stock_price(external_id, offer, request_id=request_id)

    def update_stock_price(self, external_id, offer, *, request_id):
        self.call("PUT", self.path("update_sku_path"), body=self._variant(offer), request_id=request_id)

    def delist(self, external_id, offer, *, request_id):
        if offer is None:
            raise Rejected("Tiki delists by seller SKU and this product has no store listing")
        self.call("PUT", self.path("update_sku_path"), body=self._variant(offer, active=False), request_id=request_id)

    def fetch_orders(self, since, until):
        orders, page = [], 1
        while True:
            found = self.call(
                "GET",
                self.path("orders_path"),
                params={
                    "created_from_date": since.strftime("%Y-%m-%d %H:%M:%S"),
                    "created_to_date": until.strftime("%Y-%m-%d %H:%M:%S"),
                    "page": page,
                    "limit": 50,
                    "include": "items",
                },
            )
            for order in found.get("data") or []:
                status = str(order.get("status", "")).lower()
                created = datetime.datetime.fromisoformat(str(order["created_at"]))
                if created.tzinfo is None:  # Tiki answers in Vietnam's time without an offset
                    created = created.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
                orders.append(
                    PulledOrder(
                        external_id=str(order["code"]),
                        status=status,
                        cancelled=status in NOT_SOLD,
                        ordered_at=created,
                        lines=tuple(
                            PulledLine(
                                sku=(item.get("product") or {}).get("seller_product_code") or "",
                                quantity=int(item.get("qty") or 0),
                                unit_price=money((item.get("invoice") or {}).get("price")),
                            )
                            for item in order.get("items") or []
                        ),
                    )
                )
            paging = found.get("paging") or {}
            if page >= int(paging.get("last_page") or 1):
                return orders
            page += 1
