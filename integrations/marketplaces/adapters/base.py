"""The destination adapter interface and the request plumbing every platform shares.

An adapter maps an ``Offer`` to the platform's format, signs its requests and reads its answers into
three outcomes: a result, ``Retryable`` (rate limits, server errors, the network: the outbox retries
with backoff) or ``Rejected`` (validation errors and the like: retrying cannot help, dead letter).
``TokenInvalid`` triggers one token refresh and one repeat of the request.
"""

import dataclasses
import datetime
import json
import time
from collections.abc import Callable
from decimal import Decimal

import httpx

from integrations.crypto import decrypt_json
from integrations.offers import Offer

from .. import ratelimit

TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class Retryable(Exception):
    pass


class Rejected(Exception):
    pass


class TokenInvalid(Exception):
    pass


def dumps(body) -> bytes:
    """The exact bytes sent (and signed): compact JSON, UTF-8."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


@dataclasses.dataclass(frozen=True)
class PulledLine:
    """One line of a marketplace order: our SKU, how many, at what unit price (VND)."""

    sku: str
    quantity: int
    unit_price: Decimal


@dataclasses.dataclass(frozen=True)
class PulledOrder:
    """A marketplace order as the platform reports it, in one shape for every platform.

    ``cancelled`` is True for orders that were never paid or were cancelled: they count as no sale.
    """

    external_id: str
    status: str
    cancelled: bool
    ordered_at: datetime.datetime
    lines: tuple[PulledLine, ...]


def money(value) -> Decimal:
    """A platform's price (number or string such as "120000.00") as whole VND."""
    return Decimal(str(value or 0)).quantize(Decimal(1))


def lines_from_units(units) -> tuple[PulledLine, ...]:
    """Lines from platforms that report one row per unit sold: (sku, unit price) pairs counted per pair."""
    counted: dict[tuple[str, Decimal], int] = {}
    for unit in units:
        counted[unit] = counted.get(unit, 0) + 1
    return tuple(PulledLine(sku=sku, quantity=n, unit_price=price) for (sku, price), n in counted.items())


def windows(since: datetime.datetime, until: datetime.datetime, days: int):
    """[since, until) cut into windows of at most ``days`` days (platforms limit the range of one query)."""
    start = since
    while start < until:
        end = min(start + datetime.timedelta(days=days), until)
        yield start, end
        start = end


class Adapter:
    kind = ""
    refreshes_tokens = True

    def __init__(
        self,
        destination,
        *,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
        limiter: Callable = ratelimit.take,
    ):
        self.destination = destination
        self.client = client or httpx.Client(timeout=TIMEOUT)
        self.clock = clock
        self.limiter = limiter
        self.operations: list[str] = []  # what this adapter did, for the attempt log

    # The interface ------------------------------------------------------------------------------------
    def find_listing(self, offer: Offer) -> str | None:
        """The platform's id of our listing for ``offer.sku``, if one exists (so a retry never duplicates)."""
        raise NotImplementedError

    def create_listing(self, offer: Offer, *, request_id: str) -> str:
        raise NotImplementedError

    def update_listing(self, external_id: str, offer: Offer, *, request_id: str) -> None:
        """Bring an existing listing up to date and make it visible again."""
        raise NotImplementedError

    def update_stock_price(self, external_id: str, offer: Offer, *, request_id: str) -> None:
        raise NotImplementedError

    def delist(self, external_id: str, offer: Offer | None, *, request_id: str) -> None:
        raise NotImplementedError

    def refresh_token(self) -> None:
        raise TokenInvalid("This platform's token cannot be refreshed automatically")

    def fetch_orders(self, since: datetime.datetime, until: datetime.datetime) -> list[PulledOrder]:
        """The shop's orders created in [since, until), with their lines (the order pull of channel sales)."""
        raise NotImplementedError

    #: Why this adapter does not publish gift combos as bundles ("" when it does, through ``push_bundle``).
    bundles_unsupported = "this adapter has no bundle support"

    def push_bundle(self, bundle, *, request_id: str) -> str:
        """Publish or update a gift combo (``marketplaces.combos.Bundle``) as the platform's bundle; its id."""
        raise NotImplementedError

    # Plumbing ----------------------------------------------------------------------------------------
    @property
    def credentials(self) -> dict:
        return self.destination.credentials

    @property
    def options(self) -> dict:
        return self.destination.options or {}

    def url(self, path: str, *, auth: bool = False) -> str:
        base = self.destination.auth_url if auth and self.destination.auth_url else self.destination.base_url
        return base.rstrip("/") + path

    def build_request(self, method: str, path: str, params: dict, body, request_id: str) -> httpx.Request:
        raise NotImplementedError

    def interpret(self, response: httpx.Response) -> dict:
        raise NotImplementedError

    def save_tokens(self, **tokens) -> None:
        """Keep refreshed tokens (encrypted) on the destination; the next request uses them."""
        merged = decrypt_json(self.destination.tokens_encrypted)
        merged.update({k: v for k, v in tokens.items() if v})
        self.destination.set_tokens(merged)
        self.destination.save(update_fields=["tokens_encrypted"])

    def send(self, request: httpx.Request) -> httpx.Response:
        self.limiter(self.destination)
        try:
            return self.client.send(request)
        except httpx.TransportError as exc:
            raise Retryable(f"{type(exc).__name__}: {exc}") from exc

    def call(self, method: str, path: str, *, params: dict | None = None, body=None, request_id: str = "") -> dict:
        self.operations.append(f"{method} {path}")
        for attempt in (1, 2):
            request = self.build_request(method, path, dict(params or {}), body, request_id)
            response = self.send(request)
            try:
                return self.interpret(response)
            except TokenInvalid as exc:
                if attempt == 2 or not self.refreshes_tokens:
                    raise Rejected(f"Access token refused after refresh: {exc}") from exc
                self.operations.append("refresh token")
                self.refresh_token()
        raise AssertionError("unreachable")

    @staticmethod
    def http_failure(response: httpx.Response) -> None:
        """Answers that mean the same on every platform."""
        if response.status_code == 429:
            raise Retryable(f"HTTP 429 rate limited: {response.text[:300]}")
        if response.status_code >= 500:
            raise Retryable(f"HTTP {response.status_code}: {response.text[:300]}")

    @staticmethod
    def json_of(response: httpx.Response) -> dict:
        try:
            return response.json()
        except ValueError as exc:
            if response.status_code >= 400:
                raise Rejected(f"HTTP {response.status_code}: {response.text[:300]}") from exc
            raise Retryable(f"Unreadable answer (HTTP {response.status_code}): {response.text[:300]}") from exc
