"""Bank-statement services: they watch the shop's bank account and POST a signed notification for each
incoming transfer. ``Provider`` is the interface; ``Casso`` implements Casso's webhook v2.

Casso webhook v2 (as documented by Casso, checked against its worked example in the tests): the body is
``{"error": 0, "data": {"id", "reference", "description", "amount", "transactionDateTime", "accountNumber",
...}}``; the header ``X-Casso-Signature: t=<ms timestamp>,v1=<hex>`` where ``v1`` is HMAC-SHA512 with the
webhook's checksum key over ``"<t>." + JSON(body with keys sorted recursively, compact separators)``.
"""

import dataclasses
import hashlib
import hmac
import json
import re
import time
from decimal import Decimal, InvalidOperation


class InvalidNotification(Exception):
    """Not signed by the provider, too old, or not a transfer notification (answered 4xx)."""


@dataclasses.dataclass(frozen=True)
class Transfer:
    """One incoming bank transfer as the statement service reports it."""

    external_id: str  # the service's id of the transaction: the idempotency key
    amount: Decimal
    description: str
    account: str
    bank_reference: str
    happened_at: str


class Provider:
    name = ""

    def transfers(self, headers: dict, raw_body: bytes) -> list[Transfer]:
        """Verify the notification and return its incoming transfers; ``InvalidNotification`` otherwise."""
        raise NotImplementedError


def _sorted(value):
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    return value


def casso_message(timestamp: str, body: dict, *, ascii_only: bool = False) -> str:
    # Casso's Node sample signs JSON.stringify (UTF-8 as is); its PHP sample json_encode (\uXXXX, "\/").
    text = json.dumps(_sorted(body), separators=(",", ":"), ensure_ascii=ascii_only)
    if ascii_only:
        text = text.replace("/", "\\/")
    return f"{timestamp}.{text}"


def casso_signature(checksum_key: str, timestamp: str, body: dict, *, ascii_only: bool = False) -> str:
    message = casso_message(timestamp, body, ascii_only=ascii_only)
    return hmac.new(checksum_key.encode(), message.encode("utf-8"), hashlib.sha512).hexdigest()


_HEADER = re.compile(r"^t=(\d{10,16}),v1=([0-9a-f]{128})$")


class Casso(Provider):
    name = "casso"

    def __init__(self, *, checksum_key: str, max_age_seconds: float = 600, clock=time.time):
        if not checksum_key:
            raise ValueError("Casso needs its webhook checksum key")
        self.checksum_key = checksum_key
        self.max_age_seconds = max_age_seconds
        self.clock = clock

    def sign(self, body: dict, *, timestamp_ms: int | None = None) -> str:
        """The header Casso would send with ``body`` (used by the stand-in and the tests)."""
        timestamp = str(timestamp_ms if timestamp_ms is not None else int(self.clock() * 1000))
        return f"t={timestamp},v1={casso_signature(self.checksum_key, timestamp, body)}"

    def transfers(self, headers: dict, raw_body: bytes) -> list[Transfer]:
        header = next((v for k, v in headers.items() if k.lower() == "x-casso-signature"), "")
        match = _HEADER.match(header.strip())
        if not match:
            raise InvalidNotification("missing or malformed X-Casso-Signature")
        timestamp, given = match.groups()
        try:
            body = json.loads(raw_body)
        except ValueError as exc:
            raise InvalidNotification("the body is not JSON") from exc
        if not isinstance(body, dict):
            raise InvalidNotification("the body is not a JSON object")
        expected = [casso_signature(self.checksum_key, timestamp, body, ascii_only=flag) for flag in (False, True)]
        if not any(hmac.compare_digest(given, candidate) for candidate in expected):
            raise InvalidNotification("X-Casso-Signature does not match")
        age = self.clock() - int(timestamp) / 1000
        if abs(age) > self.max_age_seconds:
            raise InvalidNotification(f"signed {age:.0f} s ago: outside the replay window")
        data = body.get("data")
        items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
        transfers = []
        for item in items:
            try:
                amount = Decimal(str(item["amount"]))
                external_id = str(item["id"])
            except (KeyError, TypeError, InvalidOperation) as exc:
                raise InvalidNotification(f"a transaction without id or amount: {exc}") from exc
            if amount <= 0:
                continue  # money going out of the account: not a payment to us
            transfers.append(
                Transfer(
                    external_id=external_id,
                    amount=amount,
                    description=str(item.get("description") or ""),
                    account=str(item.get("accountNumber") or ""),
                    bank_reference=str(item.get("reference") or ""),
                    happened_at=str(item.get("transactionDateTime") or ""),
                )
            )
        return transfers
