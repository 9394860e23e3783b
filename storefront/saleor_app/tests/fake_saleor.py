"""A contract fake of Saleor 3.23 for tests: a real HTTP server on 127.0.0.1 in a thread.

Every incoming document is parsed and validated against Saleor's schema (``SALEOR_SCHEMA_PATH``), variables
are coerced by the schema (prices must be JSON numbers), and answers follow the recordings in
``tests/data/recorded/``: mutation ``errors`` with Saleor's codes (PRODUCT_NOT_ASSIGNED_TO_CHANNEL,
UNAVAILABLE_VARIANT_IN_CHANNEL, ...), top-level PermissionDenied, HTTP 400 for invalid documents. Results
are projected on the request's selection set, so the fake answers exactly the fields asked for. It also
serves ``/.well-known/jwks.json`` and signs webhook bodies like Saleor (detached JWS, RS256, b64: false).
"""

import base64
import datetime
import functools
import json
import os
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    build_schema,
    parse,
    validate,
)
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.language import FloatValueNode, IntValueNode

from .fake_saleor_payments import PaymentsMixin

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).resolve().parent / "data"
#: Exchanges recorded from a real Saleor 3.23.28 (requests, answers, signed webhook deliveries, app install).
RECORDED = DATA / "recorded"


def schema_path() -> Path:
    """``SALEOR_SCHEMA_PATH`` (relative paths are relative to the repository), else Saleor 3.23.28's public schema
    kept beside these tests."""
    path = Path(os.environ.get("SALEOR_SCHEMA_PATH") or DATA / "schema-3.23.28.graphql")
    return path if path.is_absolute() else ROOT / path


def _strict_decimal_value(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GraphQLError(f"Expected a JSON number for a price, got {value!r}")
    if value < 0:
        raise GraphQLError("Expected a positive number")
    return Decimal(str(value))


def _strict_decimal_literal(node, _variables=None):
    if isinstance(node, IntValueNode | FloatValueNode):
        return Decimal(node.value)
    raise GraphQLError("Expected type PositiveDecimal: a number, not a string")


@functools.cache
def load_schema():
    """Saleor's schema; PositiveDecimal accepts numbers only (the project's rule: prices are never strings)."""
    schema = build_schema(schema_path().read_text())
    scalar = schema.type_map["PositiveDecimal"]
    scalar.parse_value = _strict_decimal_value
    scalar.parse_literal = _strict_decimal_literal
    return schema


def validate_document(document: str, variables: dict | None = None) -> list[str]:
    """Schema errors of a document (and of its variables, when given)."""
    schema = load_schema()
    try:
        ast = parse(document)
    except GraphQLError as exc:
        return [exc.message]
    errors = [e.message for e in validate(schema, ast)]
    if errors or variables is None:
        return errors
    operation = next(d for d in ast.definitions if isinstance(d, OperationDefinitionNode))
    coerced = get_variable_values(schema, operation.variable_definitions or [], variables)
    return [e.message for e in coerced] if isinstance(coerced, list) else []


@functools.cache
def _session_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def gid(kind: str, pk) -> str:
    return base64.b64encode(f"{kind}:{pk}".encode()).decode()


class PermissionDenied(Exception):
    pass


class MutationErrors(Exception):
    def __init__(self, errors):
        self.errors = errors


def _err(code, field=None, message="", **extra):
    return {"field": field, "message": message or code, "code": code, **extra}


class FakeSaleor(PaymentsMixin):
    def __init__(
        self,
        *,
        channels=(("ocop-vnd", "VND"), ("ocop-wholesale", "VND"), ("default-usd", "USD")),
        permissions=(
            "MANAGE_PRODUCTS",
            "MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES",
            "MANAGE_ORDERS",
            "MANAGE_CHECKOUTS",
            "HANDLE_CHECKOUTS",
            "HANDLE_PAYMENTS",
        ),
    ):
        self.lock = threading.RLock()
        self.app_token = "fake-app-token-" + base64.b32encode(os.urandom(10)).decode()
        self.staff_token = "fake-staff-token-" + base64.b32encode(os.urandom(10)).decode()
        self.staff_login = ("admin@example.com", "staff-password")
        self.as_staff = False
        self.apps, self.installations = {}, {}
        self.permissions = set(permissions)
        #: ``app_token`` belongs to App:1, the app Saleor creates when it first installs our manifest. Other
        #: apps (``add_app``) and tokens (``issue_token``) each have their own id, permissions and webhooks.
        self.app_id = gid("App", 1)
        self.ids = {"App": 1}
        self.tokens = {self.app_token: self.app_id}
        self.app_permissions = {}
        self.current_app = None
        self.calls = []  # {"field", "variables", "auth"} per top-level field, in order
        self.documents_validated = 0
        self.outage = 0
        self.warehouse = {"id": gid("Warehouse", "hcm-1"), "slug": "kho-buon-ma-thuot", "name": "Kho Buôn Ma Thuột"}
        self.channels = {}
        for slug, currency in channels:
            cid = self._new_id("Channel")
            self.channels[cid] = {
                "id": cid,
                "slug": slug,
                "name": slug,
                "currencyCode": currency,
                "isActive": True,
                "defaultCountry": {"code": "VN"},
                "warehouses": [self.warehouse],
            }
        self.categories, self.attributes, self.product_types = {}, {}, {}
        self.products, self.variants, self.checkouts, self.orders = {}, {}, {}, {}
        self.shipping_method = {
            "__typename": "ShippingMethod",
            "id": gid("ShippingMethod", 1),
            "name": "Giao hàng tiêu chuẩn",
            "active": True,
            "price": {"amount": 30000, "currency": "VND"},
        }
        self.rotate_key(_session_key())
        self.server = None
        self.use_payment_app("", {})

    # --- keys and webhooks -------------------------------------------------------------------------

    def rotate_key(self, key=None):
        """A new signing key and kid, as when Saleor's RSA_PRIVATE_KEY changes."""
        self.private_key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        self.kid = base64.urlsafe_b64encode(os.urandom(24)).decode().rstrip("=")
        self.jwks = {"keys": [{**jwk, "use": "sig", "kid": self.kid, "alg": "RS256"}]}

    def sign(self, body: bytes, *, key=None, kid=None, algorithm="RS256") -> str:
        return jwt.PyJWS().encode(
            body,
            key or self.private_key,
            algorithm=algorithm,
            headers={"kid": kid or self.kid, "b64": False, "crit": ["b64"]},
            is_payload_detached=True,
        )

    def webhook(
        self, event: str, subscription: str, obj: dict, *, issued_at=None, recipient: str | None = None
    ) -> tuple[bytes, dict]:
        """The body Saleor would send for ``subscription`` about ``obj`` (Python json.dumps style) + headers.

        Like Saleor, the event's envelope is filled in when the subscription selects it: ``__typename`` (the type
        of the subscription's inline fragment), ``issuedAt`` (now unless given), ``version`` and ``recipient``
        (the app the webhook belongs to: ``app_id`` unless given)."""
        ast = parse(subscription)
        fragments = {d.name.value: d for d in ast.definitions if isinstance(d, FragmentDefinitionNode)}
        event_field = ast.definitions[0].selection_set.selections[0]
        typed = [s for s in event_field.selection_set.selections if isinstance(s, InlineFragmentNode)]
        issued_at = issued_at or datetime.datetime.now(datetime.UTC)
        envelope = {
            "__typename": typed[0].type_condition.name.value if typed else None,
            "issuedAt": issued_at.isoformat() if isinstance(issued_at, datetime.datetime) else issued_at,
            "version": "3.23.28",
            "recipient": {"id": recipient or self.app_id},
        }
        body = json.dumps(
            project({**envelope, **obj}, event_field.selection_set, fragments), default=_json_default
        ).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Saleor/3.23",
            "Saleor-Event": event,
            "Saleor-Domain": f"127.0.0.1:{self.port}",
            "Saleor-Api-Url": self.url,
            "Saleor-Signature": self.sign(body),
        }
        return body, headers

    # --- server ------------------------------------------------------------------------------------

    def start(self) -> "FakeSaleor":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, payload):
                data = json.dumps(payload, default=_json_default).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                if self.path == "/.well-known/jwks.json":
                    return self._reply(200, fake.jwks)
                return self._reply(404, {})

            def do_POST(self):  # noqa: N802
                if self.path != "/graphql/":
                    return self._reply(404, {})
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with fake.lock:
                    if fake.outage > 0:  # a simulated outage: the next N requests fail
                        fake.outage -= 1
                        return self._reply(503, {"errors": [{"message": "Service unavailable"}]})
                auth = self.headers.get("Authorization", "")
                status, payload = fake.graphql(body, auth.removeprefix("Bearer ") if auth else None)
                return self._reply(status, payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def port(self) -> int:
        return self.server.server_address[1] if self.server else 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql/"

    # --- GraphQL -----------------------------------------------------------------------------------

    def graphql(self, body: bytes, token: str | None):
        try:
            request = json.loads(body)
            ast = parse(request["query"])
        except (ValueError, KeyError, GraphQLError) as exc:
            return 400, {"errors": [{"message": f"Syntax error: {exc}"}]}
        schema = load_schema()
        errors = validate(schema, ast)
        if errors:
            return 400, {"errors": [{"message": e.message} for e in errors]}
        operation = next(d for d in ast.definitions if isinstance(d, OperationDefinitionNode))
        variables = get_variable_values(schema, operation.variable_definitions or [], request.get("variables") or {})
        if isinstance(variables, list):
            return 400, {"errors": [{"message": e.message} for e in variables]}
        if token is not None and token not in self.tokens and token != self.staff_token:
            return 401, {
                "errors": [{"message": "Invalid token", "extensions": {"exception": {"code": "InvalidTokenError"}}}]
            }
        fragments = {d.name.value: d for d in ast.definitions if isinstance(d, FragmentDefinitionNode)}
        root = schema.mutation_type if operation.operation.value == "mutation" else schema.query_type
        data, top_errors = {}, []
        with self.lock:
            self.documents_validated += 1
            for node in operation.selection_set.selections:
                name = node.name.value
                key = node.alias.value if node.alias else name
                args = get_argument_values(root.fields[name], node, variables)
                self.calls.append({"field": name, "variables": args, "auth": token is not None})
                resolver = getattr(self, f"r_{name}", None)
                if resolver is None:
                    raise NotImplementedError(f"The fake does not answer {name} yet")
                self.as_staff = token is not None and token == self.staff_token
                self.current_app = self.tokens.get(token)
                try:
                    value = resolver(args, app=self.current_app is not None)
                except PermissionDenied:
                    data[key] = None
                    top_errors.append(
                        {
                            "message": "To access this path, you need one of the following "
                            "permissions: MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES",
                            "path": [key],
                            "extensions": {"exception": {"code": "PermissionDenied"}},
                        }
                    )
                    continue
                except MutationErrors as exc:
                    value = {"errors": exc.errors}
                data[key] = project(value, node.selection_set, fragments)
        payload = {"data": data}
        if top_errors:
            payload = {"errors": top_errors, "data": data}
        return 200, payload

    def _new_id(self, kind):
        self.ids[kind] = self.ids.get(kind, 0) + 1
        return gid(kind, self.ids[kind])

    def _need(self, permission, app):
        if not app or permission not in self.permissions_of(self.current_app):
            raise PermissionDenied

    # --- apps and their tokens ---------------------------------------------------------------------------

    def permissions_of(self, app_id) -> set:
        return self.app_permissions.get(app_id, self.permissions)

    def issue_token(self, app_id) -> str:
        """A new token for ``app_id`` (as appTokenCreate does); the app's other tokens keep working."""
        token = "fake-app-token-" + base64.b32encode(os.urandom(10)).decode()
        self.tokens[token] = app_id
        return token

    def add_app(self, *, identifier="vn.ocop-daklak.store", permissions=None, name="Another app"):
        """Another app in this Saleor (a third-party app, or one a staff user created with any identifier):
        returns its id and a token of it."""
        with self.lock:
            app_id = self._new_id("App")
            self.apps[app_id] = {"id": app_id, "name": name, "identifier": identifier, "isActive": True}
            if permissions is not None:
                self.app_permissions[app_id] = set(permissions)
            return app_id, self.issue_token(app_id)

    # --- views of stored objects ----------------------------------------------------------------------

    def _listing_view(self, channel_id, listing):
        channel = self.channels[channel_id]
        return {**listing, "channel": {"id": channel_id, "slug": channel["slug"]}}

    def _variant_view(self, variant):
        return {
            **variant,
            "__typename": "ProductVariant",
            "product": {"id": variant["product"]},
            "stocks": [
                {"warehouse": {"id": w, "slug": self.warehouse["slug"]}, "quantity": q, "quantityAllocated": 0}
                for w, q in variant["stocks"].items()
            ],
            "channelListings": [
                {
                    "channel": {"id": c, "slug": self.channels[c]["slug"]},
                    "price": {"amount": p, "currency": self.channels[c]["currencyCode"]},
                }
                for c, p in variant["channelListings"].items()
            ],
        }

    def _product_view(self, product):
        return {
            **product,
            "__typename": "Product",
            "productType": {"id": product["productType"]},
            "category": {"id": product["category"]},
            "channelListings": [self._listing_view(c, v) for c, v in product["channelListings"].items()],
            "variants": [self._variant_view(self.variants[v]) for v in product["variants"]],
        }

    def listing(self, saleor_product_id, channel_slug):
        """Test helper: the product's listing in a channel, or None."""
        product = self.products[saleor_product_id]
        for cid, value in product["channelListings"].items():
            if self.channels[cid]["slug"] == channel_slug:
                return value
        return None

    def listing_updates(self, saleor_product_id=None):
        return [
            c["variables"]
            for c in self.calls
            if c["field"] == "productChannelListingUpdate"
            and (saleor_product_id is None or c["variables"]["id"] == saleor_product_id)
        ]

    # --- queries ---------------------------------------------------------------------------------------

    def r_app(self, args, app):
        if not app:
            return None
        record = self.apps.get(self.current_app) or {
            "id": self.current_app,
            "name": "OCOP Đắk Lắk",
            "identifier": "vn.ocop-daklak.store",
            "isActive": True,
        }
        return {
            "webhooks": [],
            **record,
            "permissions": [{"code": p} for p in sorted(self.permissions_of(self.current_app))],
        }

    def _own_webhooks(self):
        """The calling app's webhooks (an app may manage its own: AUTHENTICATED_APP)."""
        if self.current_app is None:
            raise PermissionDenied
        record = self.apps.setdefault(
            self.current_app,
            {"id": self.current_app, "name": "OCOP Đắk Lắk", "identifier": "vn.ocop-daklak.store", "isActive": True},
        )
        return record.setdefault("webhooks", [])

    def _webhook_record(self, hook_id, data, existing=None):
        record = dict(existing or {"id": hook_id, "name": data.get("name") or ""})
        if "targetUrl" in data:
            record["targetUrl"] = data["targetUrl"]
        if "query" in data:
            record["subscriptionQuery"] = data["query"]
        if "isActive" in data:
            record["isActive"] = data["isActive"]
        if "asyncEvents" in data:
            record["asyncEvents"] = [{"eventType": e} for e in data["asyncEvents"]]
        return record

    def r_webhookCreate(self, args, app):  # noqa: N802
        hooks = self._own_webhooks()
        hook = self._webhook_record(self._new_id("Webhook"), {"isActive": True, **args["input"]})
        hooks.append(hook)
        return {"webhook": hook, "errors": []}

    def r_webhookUpdate(self, args, app):  # noqa: N802
        hooks = self._own_webhooks()
        found = next((i for i, h in enumerate(hooks) if h["id"] == args.get("id")), None)
        if found is None:
            raise MutationErrors([_err("NOT_FOUND", "id")])
        hooks[found] = self._webhook_record(args["id"], args["input"], hooks[found])
        return {"webhook": hooks[found], "errors": []}

    # --- staff: login, apps and their installation -----------------------------------------------------

    def _need_staff(self):
        if not self.as_staff:
            raise PermissionDenied

    def r_tokenCreate(self, args, app):  # noqa: N802
        if (args["email"], args["password"]) != self.staff_login:
            raise MutationErrors([_err("INVALID_CREDENTIALS", "email", "Please, enter valid credentials")])
        return {"token": self.staff_token, "errors": []}

    def r_apps(self, args, app):
        self._need_staff()
        search = ((args.get("filter") or {}).get("search") or "").lower()
        return self._connection([a for a in self.apps.values() if search in a["name"].lower()])

    def r_appsInstallations(self, args, app):  # noqa: N802
        self._need_staff()
        return list(self.installations.values())

    def r_appInstall(self, args, app):  # noqa: N802
        """Like Saleor: answer at once, then (its Celery task) fetch the manifest and POST the token."""
        self._need_staff()
        data = args["input"]
        installation = {
            "id": self._new_id("AppInstallation"),
            "status": "PENDING",
            "message": None,
            "manifestUrl": data["manifestUrl"],
            "appName": data.get("appName") or "",
        }
        self.installations[installation["id"]] = installation
        threading.Thread(target=self._install, args=(installation,), daemon=True).start()
        return {"appInstallation": installation, "errors": []}

    def _install(self, installation):
        import httpx

        app_id = None
        try:
            manifest = httpx.get(installation["manifestUrl"], timeout=10).raise_for_status().json()
            missing = [key for key in ("id", "name", "tokenTargetUrl", "permissions") if not manifest.get(key)]
            if missing or set(manifest["permissions"]) - self.permissions:
                raise ValueError(f"invalid manifest: {missing or manifest['permissions']}")
            with self.lock:
                if any(a["identifier"] == manifest["id"] for a in self.apps.values()):
                    raise ValueError("App with the same identifier is already installed")
                # Like Saleor: the app and its token exist before the token is POSTed (and are removed if that
                # POST fails). The first install gets App:1 and ``app_token``.
                app_id = self.app_id if self.app_id not in self.apps else self._new_id("App")
                if app_id == self.app_id:
                    token = self.app_token
                    self.tokens[token] = app_id
                else:
                    token = self.issue_token(app_id)
                self.apps[app_id] = {
                    "id": app_id,
                    "name": installation["appName"] or manifest["name"],
                    "identifier": manifest["id"],
                    "isActive": True,
                    "webhooks": [
                        self._webhook_record(self._new_id("Webhook"), hook) for hook in manifest.get("webhooks") or []
                    ],
                }
                self.app_permissions[app_id] = set(manifest["permissions"])
            httpx.post(
                manifest["tokenTargetUrl"],
                json={"auth_token": token},
                headers={"Saleor-Domain": f"127.0.0.1:{self.port}", "Saleor-Api-Url": self.url},
                timeout=10,
            ).raise_for_status()
        except (httpx.HTTPError, ValueError) as exc:
            with self.lock:
                if app_id is not None:
                    self._remove_app(app_id)
                installation.update(status="FAILED", message=str(exc))
            return
        with self.lock:
            self.installations.pop(installation["id"], None)

    def _remove_app(self, app_id):
        self.apps.pop(app_id, None)
        self.app_permissions.pop(app_id, None)
        for token in [t for t, owner in self.tokens.items() if owner == app_id]:
            del self.tokens[token]

    def r_appTokenCreate(self, args, app):  # noqa: N802
        self._need_staff()
        app_id = args["input"]["app"]
        if app_id not in self.apps:
            raise MutationErrors([_err("NOT_FOUND", "app")])
        return {"authToken": self.app_token if app_id == self.app_id else self.issue_token(app_id), "errors": []}

    def r_appDelete(self, args, app):  # noqa: N802
        self._need_staff()
        found = self.apps.get(args["id"])
        if found is None:
            raise MutationErrors([_err("NOT_FOUND", "id")])
        self._remove_app(args["id"])
        return {"app": found, "errors": []}

    def r_orders(self, args, app):
        self._need("MANAGE_ORDERS", app)
        numbers = (args.get("filter") or {}).get("numbers")
        found = [o for o in self.orders.values() if not numbers or o["number"] in numbers]
        return self._connection([{**o, "created": "2026-11-30T09:00:00+07:00", "chargeStatus": "NONE"} for o in found])

    def r_channels(self, args, app):
        return list(self.channels.values())

    @staticmethod
    def _connection(items):
        return {
            "edges": [{"node": i} for i in items],
            "totalCount": len(items),
            "pageInfo": {"hasNextPage": False, "endCursor": None},
        }

    def r_categories(self, args, app):
        slugs = (args.get("filter") or {}).get("slugs")
        return self._connection([c for c in self.categories.values() if not slugs or c["slug"] in slugs])

    def r_attributes(self, args, app):
        slugs = (args.get("filter") or {}).get("slugs")
        return self._connection([a for a in self.attributes.values() if not slugs or a["slug"] in slugs])

    def r_productTypes(self, args, app):  # noqa: N802
        slugs = (args.get("filter") or {}).get("slugs")
        return self._connection([t for t in self.product_types.values() if not slugs or t["slug"] in slugs])

    def r_product(self, args, app):
        if args.get("externalReference"):
            product = next(
                (p for p in self.products.values() if p["externalReference"] == args["externalReference"]), None
            )
        else:
            product = self.products.get(args.get("id"))
        return self._product_view(product) if product else None

    def r_products(self, args, app):
        types = (args.get("filter") or {}).get("productTypes")
        items = [self._product_view(p) for p in self.products.values() if not types or p["productType"] in types]
        start = int(args["after"]) if args.get("after") else 0
        first = args.get("first") or 100
        page = items[start : start + first]
        return {
            "edges": [{"node": i} for i in page],
            "totalCount": len(items),
            "pageInfo": {"hasNextPage": start + first < len(items), "endCursor": str(start + first)},
        }

    def r_checkout(self, args, app):
        checkout = self.checkouts.get(args["id"])
        return self._checkout_view(checkout) if checkout else None

    # --- setup mutations ---------------------------------------------------------------------------------

    def r_categoryCreate(self, args, app):  # noqa: N802
        self._need("MANAGE_PRODUCTS", app)
        data = args["input"]
        category = {"id": self._new_id("Category"), "slug": data["slug"], "name": data["name"]}
        self.categories[category["id"]] = category
        return {"category": category, "errors": []}

    def r_attributeCreate(self, args, app):  # noqa: N802
        self._need("MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES", app)
        data = args["input"]
        if any(a["slug"] == data.get("slug") for a in self.attributes.values()):
            raise MutationErrors([_err("UNIQUE", "slug", "Attribute with this Slug already exists.")])
        attribute = {
            "id": self._new_id("Attribute"),
            "slug": data["slug"],
            "name": data["name"],
            "inputType": data.get("inputType", "DROPDOWN"),
            "type": data["type"],
        }
        self.attributes[attribute["id"]] = attribute
        return {"attribute": attribute, "errors": []}

    def r_productTypeCreate(self, args, app):  # noqa: N802
        self._need("MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES", app)
        data = args["input"]
        product_type = {
            "id": self._new_id("ProductType"),
            "slug": data["slug"],
            "name": data["name"],
            "hasVariants": data.get("hasVariants", True),
            "productAttributes": [self.attributes[a] for a in data.get("productAttributes") or []],
        }
        self.product_types[product_type["id"]] = product_type
        return {"productType": product_type, "errors": []}

    # --- product mutations -------------------------------------------------------------------------------

    def _product_or_error(self, product_id):
        product = self.products.get(product_id)
        if product is None:
            raise MutationErrors([_err("NOT_FOUND", "id", f"Couldn't resolve to a node: {product_id}")])
        return product

    def _apply_attributes(self, values):
        out = []
        for value in values or []:
            if value["id"] not in self.attributes:
                raise MutationErrors([_err("NOT_FOUND", "attributes", "Attribute not found")])
            raw = (value.get("dropdown") or {}).get("value") or value.get("plainText") or ""
            out.append({"attribute": {"slug": self.attributes[value["id"]]["slug"]}, "values": [{"name": raw}]})
        return out

    def r_productCreate(self, args, app):  # noqa: N802
        self._need("MANAGE_PRODUCTS", app)
        data = args["input"]
        if data["productType"] not in self.product_types:
            raise MutationErrors([_err("NOT_FOUND", "productType")])
        if any(p["slug"] == data.get("slug") for p in self.products.values()):
            raise MutationErrors([_err("UNIQUE", "slug", "Product with this Slug already exists.")])
        product = {
            "id": self._new_id("Product"),
            "name": data.get("name"),
            "slug": data.get("slug"),
            "externalReference": data.get("externalReference"),
            "productType": data["productType"],
            "category": data.get("category"),
            "attributes": self._apply_attributes(data.get("attributes")),
            "metadata": data.get("metadata") or [],
            "channelListings": {},
            "variants": [],
        }
        self.products[product["id"]] = product
        return {"product": self._product_view(product), "errors": []}

    def r_productUpdate(self, args, app):  # noqa: N802
        self._need("MANAGE_PRODUCTS", app)
        product = self._product_or_error(args.get("id"))
        data = args["input"]
        for field in ("name", "category", "metadata"):
            if field in data:
                product[field] = data[field]
        if "attributes" in data:
            product["attributes"] = self._apply_attributes(data["attributes"])
        return {"product": self._product_view(product), "errors": []}

    def r_productDelete(self, args, app):  # noqa: N802
        self._need("MANAGE_PRODUCTS", app)
        product = self._product_or_error(args.get("id"))
        for vid in product["variants"]:
            self.variants.pop(vid, None)
        del self.products[product["id"]]
        return {"product": {"id": product["id"], "name": product["name"]}, "errors": []}

    def r_productVariantCreate(self, args, app):  # noqa: N802
        self._need("MANAGE_PRODUCTS", app)
        data = args["input"]
        product = self._product_or_error(data["product"])
        if data.get("sku") and any(v["sku"] == data["sku"] for v in self.variants.values()):
            raise MutationErrors([_err("UNIQUE", "sku", "Product variant with this SKU already exists.")])
        variant = {
            "id": self._new_id("ProductVariant"),
            "sku": data.get("sku"),
            "name": data.get("name") or "",
            "trackInventory": data.get("trackInventory", True),
            "product": product["id"],
            "stocks": {s["warehouse"]: s["quantity"] for s in data.get("stocks") or []},
            "channelListings": {},
        }
        self.variants[variant["id"]] = variant
        product["variants"].append(variant["id"])
        return {"productVariant": self._variant_view(variant), "errors": []}

    def r_productVariantStocksUpdate(self, args, app):  # noqa: N802
        self._need("MANAGE_PRODUCTS", app)
        variant = self.variants.get(args.get("variantId"))
        if variant is None:
            raise MutationErrors([_err("NOT_FOUND", "variantId")])
        for stock in args["stocks"]:
            variant["stocks"][stock["warehouse"]] = stock["quantity"]
        return {"productVariant": self._variant_view(variant), "errors": []}

    def r_productChannelListingUpdate(self, args, app):  # noqa: N802
        """Like Saleor: availableForPurchaseAt alone (without isAvailableForPurchase) is ignored."""
        self._need("MANAGE_PRODUCTS", app)
        product = self._product_or_error(args["id"])
        data = args["input"]
        now = datetime.datetime.now(datetime.UTC).isoformat()
        for update in data.get("updateChannels") or []:
            cid = update["channelId"]
            if cid not in self.channels:
                raise MutationErrors([_err("NOT_FOUND", "channelId", channels=[cid])])
            if update.get("isAvailableForPurchase") is False and update.get("availableForPurchaseAt"):
                raise MutationErrors(
                    [
                        _err(
                            "INVALID",
                            "availableForPurchaseDate",
                            "Cannot set available for purchase date when isAvailableForPurchase is false.",
                            channels=[cid],
                        )
                    ]
                )
        for update in data.get("updateChannels") or []:
            listing = product["channelListings"].setdefault(
                update["channelId"],
                {
                    "isPublished": False,
                    "publishedAt": None,
                    "visibleInListings": False,
                    "isAvailableForPurchase": False,
                    "availableForPurchaseAt": None,
                },
            )
            if "isPublished" in update:
                listing["isPublished"] = update["isPublished"]
                listing["publishedAt"] = listing["publishedAt"] or now
            if "visibleInListings" in update:
                listing["visibleInListings"] = update["visibleInListings"]
            if "isAvailableForPurchase" in update:
                if update["isAvailableForPurchase"]:
                    at = update.get("availableForPurchaseAt")
                    at = datetime.datetime.fromisoformat(at) if isinstance(at, str) else at
                    listing["availableForPurchaseAt"] = at.isoformat() if at else now
                    listing["isAvailableForPurchase"] = not at or at <= datetime.datetime.now(datetime.UTC)
                else:
                    listing["isAvailableForPurchase"] = False
                    listing["availableForPurchaseAt"] = None
        for cid in data.get("removeChannels") or []:
            product["channelListings"].pop(cid, None)
            for vid in product["variants"]:
                self.variants[vid]["channelListings"].pop(cid, None)
        return {"product": self._product_view(product), "errors": []}

    def r_productVariantChannelListingUpdate(self, args, app):  # noqa: N802
        self._need("MANAGE_PRODUCTS", app)
        variant = self.variants.get(args["id"])
        if variant is None:
            raise MutationErrors([_err("NOT_FOUND", "id")])
        product = self.products[variant["product"]]
        missing = [i["channelId"] for i in args["input"] if i["channelId"] not in product["channelListings"]]
        if missing:
            raise MutationErrors(
                [
                    _err(
                        "PRODUCT_NOT_ASSIGNED_TO_CHANNEL",
                        "input",
                        "Product not available in channels.",
                        channels=missing,
                    )
                ]
            )
        for item in args["input"]:
            variant["channelListings"][item["channelId"]] = item["price"]
        return {"variant": self._variant_view(variant), "errors": []}

    # --- checkout ----------------------------------------------------------------------------------------

    def _channel_by_slug(self, slug):
        return next((c for c in self.channels.values() if c["slug"] == slug), None)

    def _purchasable(self, variant, channel_id) -> str | None:
        """None when the variant can be bought in the channel, else the code for a new line."""
        listing = self.products[variant["product"]]["channelListings"].get(channel_id)
        if listing is None or not listing["isAvailableForPurchase"]:
            return "PRODUCT_UNAVAILABLE_FOR_PURCHASE"
        if not listing["isPublished"]:
            return "PRODUCT_NOT_PUBLISHED"
        if channel_id not in variant["channelListings"]:
            return "UNAVAILABLE_VARIANT_IN_CHANNEL"
        return None

    def _checkout_view(self, checkout):
        channel = self.channels[checkout["channel"]]
        lines = [
            {
                "id": line["id"],
                "quantity": line["quantity"],
                "variant": {"id": line["variant"], "sku": self.variants[line["variant"]]["sku"]},
            }
            for line in checkout["lines"]
        ]
        return {
            "__typename": "Checkout",
            "id": checkout["id"],
            "token": checkout["token"],
            "email": checkout["email"],
            "isShippingRequired": True,
            "lines": lines,
            "totalPrice": {"gross": {"amount": self._total(checkout), "currency": channel["currencyCode"]}},
            "shippingMethods": [self.shipping_method],
            "deliveryMethod": self.shipping_method if checkout["delivery"] else None,
            "problems": [],
            "chargeStatus": self.charge_status(checkout),
            "authorizeStatus": "FULL" if self.charge_status(checkout) in ("FULL", "OVERCHARGED") else "NONE",
            "transactions": [
                self._transaction_view(t) for t in self.transactions.values() if t["checkout"] == checkout["id"]
            ],
        }

    def _unit_price(self, checkout, line) -> Decimal:
        """The line's price set by an app (CheckoutLineInput.price), else the variant's channel price."""
        if line.get("price") is not None:
            return Decimal(str(line["price"]))
        return Decimal(str(self.variants[line["variant"]]["channelListings"].get(checkout["channel"], 0)))

    def _total(self, checkout):
        total = sum(self._unit_price(checkout, line) * line["quantity"] for line in checkout["lines"])
        if checkout["delivery"]:
            total += Decimal(self.shipping_method["price"]["amount"])
        return total

    def r_checkoutCreate(self, args, app):  # noqa: N802
        data = args["input"]
        channel = self._channel_by_slug(data.get("channel"))
        if channel is None:
            raise MutationErrors([_err("NOT_FOUND", "channel")])
        if any(line.get("price") is not None for line in data["lines"]):
            # Like Saleor: a custom line price is an app's right (HANDLE_CHECKOUTS); anyone else is refused.
            self._need("HANDLE_CHECKOUTS", app)
        wanted = {}
        for line in data["lines"]:
            wanted[line["variantId"]] = wanted.get(line["variantId"], 0) + line["quantity"]
        for line in data["lines"]:
            variant = self.variants.get(line["variantId"])
            if variant is None:
                raise MutationErrors([_err("NOT_FOUND", "lines", variants=[line["variantId"]])])
            code = self._purchasable(variant, channel["id"])
            if code:
                raise MutationErrors([_err(code, "lines", variants=[variant["id"]])])
            if sum(variant["stocks"].values()) < wanted[line["variantId"]]:
                raise MutationErrors([_err("INSUFFICIENT_STOCK", "quantity", variants=[variant["id"]])])
        address = data.get("shippingAddress") or {}
        if address.get("country") != "VN" or not address.get("streetAddress1"):
            raise MutationErrors([_err("REQUIRED", "shippingAddress")])
        token = base64.b16encode(os.urandom(16)).decode().lower()
        checkout = {
            "id": gid("Checkout", token),
            "token": token,
            "email": data.get("email"),
            "channel": channel["id"],
            "delivery": None,
            "payment": None,
            "address": address,
            "lines": [
                {
                    "id": self._new_id("CheckoutLine"),
                    "variant": line["variantId"],
                    "quantity": line["quantity"],
                    "price": line.get("price"),
                }
                for line in data["lines"]
            ],
        }
        self.checkouts[checkout["id"]] = checkout
        return {"checkout": self._checkout_view(checkout), "errors": []}

    def _checkout_or_error(self, checkout_id):
        checkout = self.checkouts.get(checkout_id)
        if checkout is None:
            raise MutationErrors([_err("NOT_FOUND", "id")])
        return checkout

    def r_checkoutDeliveryMethodUpdate(self, args, app):  # noqa: N802
        checkout = self._checkout_or_error(args["id"])
        if args["deliveryMethodId"] != self.shipping_method["id"]:
            raise MutationErrors([_err("DELIVERY_METHOD_NOT_APPLICABLE", "deliveryMethodId")])
        checkout["delivery"] = args["deliveryMethodId"]
        return {"checkout": self._checkout_view(checkout), "errors": []}

    def r_checkoutPaymentCreate(self, args, app):  # noqa: N802
        checkout = self._checkout_or_error(args["id"])
        data = args["input"]
        if data["gateway"] != "mirumee.payments.dummy":
            raise MutationErrors([_err("NOT_SUPPORTED_GATEWAY", "gateway")])
        checkout["payment"] = data.get("amount")
        return {
            "payment": {
                "id": self._new_id("Payment"),
                "gateway": data["gateway"],
                "chargeStatus": "NOT_CHARGED",
                "total": {"amount": data.get("amount"), "currency": "VND"},
            },
            "errors": [],
        }

    def _check_lines(self, checkout):
        bad = [
            line["variant"]
            for line in checkout["lines"]
            if self._purchasable(self.variants[line["variant"]], checkout["channel"])
        ]
        if bad:
            raise MutationErrors(
                [
                    _err(
                        "UNAVAILABLE_VARIANT_IN_CHANNEL",
                        "lines",
                        "Some of the checkout lines variants are unavailable.",
                        variants=bad,
                    )
                ]
            )
        if not checkout["delivery"]:
            raise MutationErrors([_err("SHIPPING_METHOD_NOT_SET", "shippingMethod")])

    def _place_order(self, checkout, status):
        self.ids["Order"] = self.ids.get("Order", 0) + 1
        number = str(self.ids["Order"])
        channel = self.channels[checkout["channel"]]
        order = {
            "__typename": "Order",
            "id": gid("Order", number),
            "number": number,
            "status": status,
            "userEmail": checkout["email"],
            "total": {"gross": {"amount": self._total(checkout), "currency": channel["currencyCode"]}},
            "lines": [
                {
                    "productSku": self.variants[line["variant"]]["sku"],
                    "productName": self.products[self.variants[line["variant"]]["product"]]["name"],
                    "quantity": line["quantity"],
                    "variant": {"id": line["variant"], "product": {"id": self.variants[line["variant"]]["product"]}},
                    "unitPrice": {
                        "gross": {
                            "amount": self._unit_price(checkout, line),
                            "currency": channel["currencyCode"],
                        }
                    },
                }
                for line in checkout["lines"]
            ],
        }
        self.orders[order["id"]] = order
        del self.checkouts[checkout["id"]]
        return order

    def r_checkoutComplete(self, args, app):  # noqa: N802
        checkout = self._checkout_or_error(args.get("id"))
        self._check_lines(checkout)
        paid = Decimal(checkout["payment"]) if checkout["payment"] is not None else self.charged(checkout)
        if paid < self._total(checkout):
            raise MutationErrors([_err("CHECKOUT_NOT_FULLY_PAID", "id")])
        charge = self.order_charge(checkout)
        order = self._place_order(checkout, "UNFULFILLED")
        order.update(charge)
        return {"order": order, "confirmationNeeded": False, "errors": []}

    def r_orderCreateFromCheckout(self, args, app):  # noqa: N802
        self._need("HANDLE_CHECKOUTS", app)
        checkout = self._checkout_or_error(args["id"])
        self._check_lines(checkout)
        return {"order": self._place_order(checkout, "UNCONFIRMED"), "errors": []}


def _json_default(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    raise TypeError(type(value))


def _type_matches(condition, value) -> bool:
    return condition is None or not isinstance(value, dict) or value.get("__typename") in (None, condition.name.value)


def project(value, selection_set, fragments):
    """Keep only the selected fields (with aliases), following fragments, like a GraphQL executor."""
    if selection_set is None or value is None:
        return value
    if isinstance(value, list):
        return [project(item, selection_set, fragments) for item in value]
    out = {}
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            name = selection.name.value
            key = selection.alias.value if selection.alias else name
            out[key] = project(value.get(name), selection.selection_set, fragments)
        elif isinstance(selection, InlineFragmentNode):
            if _type_matches(selection.type_condition, value):
                out.update(project(value, selection.selection_set, fragments))
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments[selection.name.value]
            if _type_matches(fragment.type_condition, value):
                out.update(project(value, fragment.selection_set, fragments))
    return out


def recorded(relative: str) -> dict:
    return json.loads((RECORDED / relative).read_text())
