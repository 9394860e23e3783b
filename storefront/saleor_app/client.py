"""A small GraphQL client for Saleor over httpx. Documents live in ``documents.py``."""

import logging
import os
from urllib.parse import urlsplit

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)


class SaleorError(Exception):
    """Saleor answered with top-level errors or an HTTP error; ``retryable`` when trying again may help."""

    def __init__(self, message: str, *, code: str = "", retryable: bool = False):
        super().__init__(message)
        self.code = code
        self.retryable = retryable


class SaleorMutationError(SaleorError):
    """A mutation returned ``errors`` with codes (business errors, HTTP 200)."""

    def __init__(self, mutation: str, errors: list[dict]):
        self.mutation = mutation
        self.errors = errors
        codes = ", ".join(e.get("code") or "?" for e in errors)
        super().__init__(f"{mutation} failed: {codes}", code=errors[0].get("code") or "" if errors else "")

    @property
    def codes(self) -> set[str]:
        return {e.get("code") for e in self.errors}


def jwks_url(api_url: str) -> str:
    parts = urlsplit(api_url)
    return f"{parts.scheme}://{parts.netloc}/.well-known/jwks.json"


def normalize_api_url(url: str) -> str:
    url = (url or "").strip()
    return url if url.endswith("/") else f"{url}/"


_pool: dict[int, httpx.Client] = {}


def _http() -> httpx.Client:
    """One pooled HTTP client per process (Celery forks workers: never share a pool across a fork)."""
    pid = os.getpid()
    if pid not in _pool:
        _pool.clear()
        _pool[pid] = httpx.Client(limits=httpx.Limits(max_connections=20))
    return _pool[pid]


class SaleorClient:
    def __init__(self, api_url: str, token: str | None = None, *, timeout: float | None = None):
        self.api_url = api_url
        self.token = token
        self.timeout = timeout if timeout is not None else settings.SALEOR_HTTP_TIMEOUT

    def execute(self, document: str, variables: dict | None = None, *, auth: bool = True) -> dict:
        """Run a document; return ``data``. Raises ``SaleorError`` on HTTP or top-level GraphQL errors."""
        headers = {"Content-Type": "application/json"}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = _http().post(
                self.api_url,
                json={"query": document, "variables": variables or {}},
                headers=headers,
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise SaleorError(f"Saleor unreachable: {exc}", code="UNREACHABLE", retryable=True) from exc
        if response.status_code >= 500:
            raise SaleorError(f"Saleor answered HTTP {response.status_code}", retryable=True)
        try:
            body = response.json()
        except ValueError as exc:
            raise SaleorError(f"Saleor answered HTTP {response.status_code} without JSON") from exc
        if body.get("errors"):
            first = body["errors"][0]
            code = (first.get("extensions") or {}).get("exception", {}).get("code", "")
            raise SaleorError(first.get("message", "GraphQL error"), code=code)
        if response.status_code >= 400:
            raise SaleorError(f"Saleor answered HTTP {response.status_code}")
        return body.get("data") or {}

    def mutate(self, document: str, variables: dict, *, auth: bool = True) -> dict:
        """Run a mutation document with one top-level field; return its payload or raise its errors."""
        data = self.execute(document, variables, auth=auth)
        ((field, payload),) = data.items()
        if payload is None:
            raise SaleorError(f"{field} returned nothing")
        if payload.get("errors"):
            raise SaleorMutationError(field, payload["errors"])
        return payload

    def fetch_jwks(self) -> dict:
        try:
            response = _http().get(jwks_url(self.api_url), timeout=self.timeout)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise SaleorError(f"Could not fetch the JWKS: {exc}", retryable=True) from exc
