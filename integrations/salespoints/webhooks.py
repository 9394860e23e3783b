"""Signed webhooks to sales points: HMAC-SHA256 over "<timestamp>.<body>", with a replay window.

Headers: ``X-OCOP-Timestamp`` (Unix seconds), ``X-OCOP-Signature`` (``sha256=<hex>``), ``X-OCOP-Delivery``
(unique per delivery; repeats of one delivery carry the same id). ``verify`` is what a receiver runs.
"""

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping

TIMESTAMP_HEADER = "X-OCOP-Timestamp"
SIGNATURE_HEADER = "X-OCOP-Signature"
DELIVERY_HEADER = "X-OCOP-Delivery"
#: How old (or how far in the future) a timestamp may be.
TOLERANCE_SECONDS = 300


class InvalidWebhook(Exception):
    pass


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signed_headers(secret: str, body: bytes, *, delivery_id: str, now: float | None = None) -> dict:
    timestamp = int(time.time() if now is None else now)
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
        DELIVERY_HEADER: delivery_id,
    }


def verify(
    secret: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
    seen: Callable[[str], bool] | None = None,
) -> None:
    """Raise ``InvalidWebhook`` unless the body is signed with ``secret`` recently and not seen before.

    ``seen(delivery_id)`` should record the id and return True if it was already recorded (keep ids for
    at least ``2 × tolerance``); without it only the time window protects against replays.
    """
    lower = {k.lower(): v for k, v in headers.items()}
    timestamp = lower.get(TIMESTAMP_HEADER.lower(), "")
    given = lower.get(SIGNATURE_HEADER.lower(), "")
    if not timestamp.isdigit() or not given:
        raise InvalidWebhook("missing timestamp or signature")
    if not hmac.compare_digest(given, signature(secret, timestamp, body)):
        raise InvalidWebhook("signature does not match")
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        raise InvalidWebhook("timestamp outside the replay window")
    delivery_id = lower.get(DELIVERY_HEADER.lower(), "")
    if seen is not None and (not delivery_id or seen(delivery_id)):
        raise InvalidWebhook("delivery already received")
