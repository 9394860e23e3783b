"""Local stand-ins for the marketplaces: real HTTP servers on 127.0.0.1 that check what a platform checks
(method, path, query, headers, body, signature, token) and answer as the platform does.

Their signature checks are written from the platforms' documented formulas, independently of the adapters.
"""

import hashlib
import hmac
import itertools
import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from integrations.tests.fixtures import CREDENTIALS

_ids = itertools.count(90001)


class Platform:
    """One marketplace. ``script`` holds canned failures for the next requests; ``hang`` stalls a path."""

    kind = ""

    def __init__(self):
        self.credentials = dict(CREDENTIALS[self.kind])
        self.valid_token = self.credentials.get("access_token", "")
        self.items: dict[str, dict] = {}  # by seller SKU
        self.requests: list[dict] = []
        self.errors: list[str] = []  # checks the platform would fail
        self.script: deque = deque()  # (path suffix, status, body)
        self.hang_path = None
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                request = {
                    "method": self.command,
                    "path": split.path,
                    "query": dict(parse_qsl(split.query)),
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": raw,
                }
                status, body = platform.handle(request)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def calls(self, suffix: str) -> list[dict]:
        return [r for r in self.requests if r["path"].endswith(suffix)]

    def listed(self) -> dict[str, bool]:
        return {sku: item["listed"] for sku, item in self.items.items()}

    def handle(self, request):
        with self.lock:
            self.requests.append(request)
            for i, (suffix, status, body) in enumerate(self.script):
                if request["path"].endswith(suffix):
                    del self.script[i]
                    return status, body
        problem = self.check(request)
        if problem:
            self.errors.append(f"{request['method']} {request['path']}: {problem}")
            return self.signature_error(problem)
        if self.hang_path and request["path"].endswith(self.hang_path):
            self.hang_path = None
            with self.lock:
                answer = self.route(request)
            self.arrived.set()
            self.release.wait(30)
            return answer
        with self.lock:
            return self.route(request)

    def create(self, sku, **fields):
        item = {"id": next(_ids), "listed": True, **fields}
        self.items[sku] = item
        return item

    def by_id(self, item_id):
        return next((i for i in self.items.values() if str(i["id"]) == str(item_id)), None)


def _hmac(key: str, text: str) -> str:
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


class Shopee(Platform):
    kind = "shopee"
    TOKEN_ERROR = (403, {"error": "invalid_acceess_token", "message": "Invalid access_token.", "request_id": "r"})
    RATE_LIMITED = (429, {"error": "error_busi", "message": "too many requests", "request_id": "r"})
    VALIDATION = (200, {"error": "error_param", "message": "item_name is too long", "request_id": "r"})

    def check(self, r):
        q, c = r["query"], self.credentials
        auth = r["path"] == "/api/v2/auth/access_token/get"
        expected = {"partner_id", "timestamp", "sign"} | (set() if auth else {"access_token", "shop_id"})
        if not expected <= set(q):
            return f"missing {expected - set(q)}"
        if abs(time.time() - int(q["timestamp"])) > 300:
            return "timestamp expired"
        base = f"{c['partner_id']}{r['path']}{q['timestamp']}" + ("" if auth else f"{q['access_token']}{c['shop_id']}")
        if q["sign"] != _hmac(c["partner_key"], base):
            return "wrong sign"
        if r["method"] == "POST" and r["headers"].get("content-type") != "application/json":
            return "not JSON"
        return None

    def signature_error(self, problem):
        return 403, {"error": "error_sign", "message": problem}

    def route(self, r):
        q = r["query"]
        body = json.loads(r["body"] or b"{}")
        if r["path"] == "/api/v2/auth/access_token/get":
            if body.get("refresh_token") != self.credentials["refresh_token"]:
                return 403, {"error": "error_auth", "message": "invalid refresh_token"}
            self.valid_token = "testtoken-2"
            return 200, {"access_token": self.valid_token, "refresh_token": "refresh-2", "expire_in": 14400}
        if q["access_token"] != self.valid_token:
            return self.TOKEN_ERROR
        path = r["path"].removeprefix("/api/v2/product/")
        if path == "search_item" and r["method"] == "GET":
            item = self.items.get(q.get("item_sku"))
            return 200, {"error": "", "response": {"item_id_list": [item["id"]] if item else []}}
        if path == "add_item" and r["method"] == "POST":
            for field in ("item_name", "description", "item_sku", "original_price", "seller_stock", "image"):
                if field not in body:
                    return 200, {"error": "error_param", "message": f"{field} is required"}
            item = self.create(body["item_sku"], price=body["original_price"], stock=body["seller_stock"][0]["stock"])
            return 200, {"error": "", "response": {"item_id": item["id"]}}
        if path in {"update_item", "update_price", "update_stock"}:
            return (
                (200, {"error": "", "response": {}})
                if self.by_id(body["item_id"])
                else (200, {"error": "error_item_not_found", "message": "no item"})
            )
        if path == "unlist_item":
            for entry in body["item_list"]:
                self.by_id(entry["item_id"])["listed"] = not entry["unlist"]
            return 200, {"error": "", "response": {"success_list": body["item_list"]}}
        return 404, {"error": "error_not_found", "message": r["path"]}


class Lazada(Platform):
    kind = "lazada"
    TOKEN_ERROR = (200, {"code": "IllegalAccessToken", "type": "ISV", "message": "Invalid access token"})
    RATE_LIMITED = (200, {"code": "ApiCallLimit", "type": "ISP", "message": "call limited"})
    VALIDATION = (200, {"code": "500", "type": "ISV", "message": "Field PrimaryCategory is required"})

    @staticmethod
    def params_of(r):
        params = dict(r["query"])
        if r["method"] == "POST":
            params.update(dict(parse_qsl(r["body"].decode())))
        return params

    def check(self, r):
        p, c = self.params_of(r), self.credentials
        if not {"app_key", "timestamp", "sign_method", "sign"} <= set(p):
            return "missing system parameters"
        text = r["path"] + "".join(f"{k}{p[k]}" for k in sorted(p) if k != "sign")
        if p["sign"] != _hmac(c["app_secret"], text).upper():
            return "wrong sign"
        return None

    def signature_error(self, problem):
        return 200, {"code": "IncompleteSignature", "type": "ISV", "message": problem}

    def route(self, r):
        p = self.params_of(r)
        if r["path"] == "/auth/token/refresh":
            if p.get("refresh_token") != self.credentials["refresh_token"]:
                return 200, {"code": "IllegalRefreshToken", "message": "bad refresh token"}
            self.valid_token = "test-2"
            return 200, {"code": "0", "access_token": self.valid_token, "refresh_token": "refresh-2"}
        if p.get("access_token") != self.valid_token:
            return self.TOKEN_ERROR
        payload = json.loads(p.get("payload") or "{}").get("Request", {}).get("Product", {})
        if r["path"] == "/products/get" and r["method"] == "GET":
            skus = json.loads(p["sku_seller_list"])
            found = [{"item_id": self.items[s]["id"]} for s in skus if s in self.items]
            return 200, {"code": "0", "data": {"total_products": len(found), "products": found}}
        if r["path"] == "/product/create":
            if not payload.get("PrimaryCategory"):
                return self.VALIDATION
            sku = payload["Skus"]["Sku"][0]
            item = self.create(sku["SellerSku"], price=sku["price"], stock=sku["quantity"])
            return 200, {"code": "0", "data": {"item_id": item["id"], "sku_list": [{"seller_sku": sku["SellerSku"]}]}}
        if r["path"] in {"/product/update", "/product/price_quantity/update"}:
            return 200, {"code": "0", "data": {}}
        if r["path"] in {"/product/activate", "/product/deactivate"}:
            item = self.by_id(payload["ItemId"])
            if item is None:
                return 200, {"code": "208", "message": "item not found"}
            item["listed"] = r["path"] == "/product/activate"
            return 200, {"code": "0", "data": {}}
        return 404, {"code": "InvalidApiPath", "message": r["path"]}


class TikTok(Platform):
    kind = "tiktok"
    TOKEN_ERROR = (401, {"code": 105002, "message": "Expired credentials", "data": {}})
    RATE_LIMITED = (429, {"code": 429, "message": "Too many requests", "data": {}})
    VALIDATION = (200, {"code": 12052048, "message": "category_id is invalid", "data": {}})

    def check(self, r):
        q, c = r["query"], self.credentials
        if r["path"] == "/api/v2/token/refresh":
            return None if q.get("app_secret") == c["app_secret"] else "bad app secret"
        if not {"app_key", "timestamp", "sign", "shop_cipher"} <= set(q):
            return "missing parameters"
        pairs = "".join(f"{k}{q[k]}" for k in sorted(q) if k not in ("sign", "access_token"))
        text = f"{c['app_secret']}{r['path']}{pairs}{r['body'].decode()}{c['app_secret']}"
        if q["sign"] != _hmac(c["app_secret"], text):
            return "wrong sign"
        return None

    def signature_error(self, problem):
        return 200, {"code": 106001, "message": problem, "data": {}}

    def route(self, r):
        if r["path"] == "/api/v2/token/refresh":
            if r["query"].get("refresh_token") != self.credentials["refresh_token"]:
                return 200, {"code": 36004005, "message": "bad refresh token"}
            self.valid_token = "tts-token-2"
            return 200, {"code": 0, "data": {"access_token": self.valid_token, "refresh_token": "refresh-2"}}
        if r["headers"].get("x-tts-access-token") != self.valid_token:
            return self.TOKEN_ERROR
        body = json.loads(r["body"] or b"{}")
        api = r["path"].removeprefix("/product/202309")
        if api == "/products/search":
            found = [{"id": str(self.items[s]["id"])} for s in body.get("seller_skus", []) if s in self.items]
            return 200, {"code": 0, "data": {"products": found, "total_count": len(found)}}
        if api == "/products" and r["method"] == "POST":
            if not body.get("category_id"):
                return self.VALIDATION
            sku = body["skus"][0]
            item = self.create(sku["seller_sku"], price=sku["price"]["amount"], stock=sku["inventory"][0]["quantity"])
            return 200, {"code": 0, "data": {"product_id": str(item["id"])}}
        if api in {"/products/activate", "/products/deactivate"}:
            for pid in body["product_ids"]:
                self.by_id(pid)["listed"] = api.endswith("/activate")
            return 200, {"code": 0, "data": {}}
        if r["method"] == "PUT" and api.startswith("/products/"):
            return 200, {"code": 0, "data": {"product_id": api.rsplit("/", 1)[1]}}
        return 404, {"code": 40006, "message": r["path"]}


class Tiki(Platform):
    kind = "tiki"
    TOKEN_ERROR = (401, {"error": "invalid_token", "error_description": "token expired"})
    RATE_LIMITED = (429, {"message": "Too Many Requests"})
    VALIDATION = (400, {"errors": ["category_id is required"]})

    def check(self, r):
        if r["path"] == "/sc/oauth2/token":
            import base64

            expected = "Basic " + base64.b64encode(b"tiki-client:tiki-secret").decode()
            return None if r["headers"].get("authorization") == expected else "bad client credentials"
        return None

    def signature_error(self, problem):
        return 401, {"error": "invalid_client", "error_description": problem}

    def route(self, r):
        if r["path"] == "/sc/oauth2/token":
            self.valid_token = f"tiki-token-{len(self.calls('/sc/oauth2/token'))}"
            return 200, {"access_token": self.valid_token, "expires_in": 3600, "token_type": "bearer"}
        if r["headers"].get("authorization") != f"Bearer {self.valid_token}":
            return self.TOKEN_ERROR
        body = json.loads(r["body"] or b"{}")
        if r["path"] == "/integration/v2/products" and r["method"] == "GET":
            item = self.items.get(r["query"].get("original_sku"))
            return 200, {"data": [{"product_id": item["id"]}] if item else []}
        if r["path"] == "/integration/v2/requests" and r["method"] == "POST":
            if not body.get("category_id"):
                return self.VALIDATION
            variant = body["variants"][0]
            item = self.create(variant["original_sku"], price=variant["price"], stock=variant["quantity"])
            return 200, {"track_id": f"track-{item['id']}", "product_id": item["id"]}
        if r["path"] == "/integration/v2/products/updateSku" and r["method"] == "PUT":
            item = self.items.get(body["original_sku"])
            if item is None:
                return 400, {"errors": ["sku not found"]}
            item["listed"] = bool(body["active"])
            return 200, {"state": "approved"}
        return 404, {"message": r["path"]}


PLATFORMS = {"shopee": Shopee, "lazada": Lazada, "tiktok": TikTok, "tiki": Tiki}
#: Options each platform needs to accept a listing.
OPTIONS = {
    "shopee": {"category_id": 100629, "logistic_ids": [50011]},
    "lazada": {"primary_category": "10000358"},
    "tiktok": {"category_id": "600001", "warehouse_id": "7000001"},
    "tiki": {"category_id": 1789},
}
