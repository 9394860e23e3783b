"""Text messages to phones: one small interface, a backend chosen by ``settings.SMS_BACKEND``.

- ``logging``: development and tests. Keeps the last messages in memory (``LoggingBackend.sent``) and logs them;
  outside DEBUG the text is withheld from the log, since it may carry a one-time code.
- ``esms``: eSMS.vn's REST API (``SendMultipleMessage_V4_post_json``, JSON over HTTPS with ``ApiKey`` and
  ``SecretKey``; ``CodeResult`` "100" means accepted). Customer-care brand-name messages (``SmsType`` 2).
- or the dotted path of a class of one's own.

Messages are sent by outbox subscribers (never inside a request's transaction), so a provider that is down is
retried with the outbox's back-off. ``PermanentDeliveryError`` marks what retrying cannot fix.
"""

import collections
import logging
import uuid

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from ocop.outbox.services import PermanentDeliveryError

logger = logging.getLogger(__name__)


def national_number(phone: str) -> str:
    """Digits of a Vietnamese number as dialled at home: "+84 262 3812 345" → "02623812345"."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return "0" + digits[2:] if digits.startswith("84") and len(digits) > 9 else digits


def masked(phone: str) -> str:
    """What may be shown of a number on record: its last three digits."""
    digits = national_number(phone)
    return f"••• {digits[-3:]}" if len(digits) >= 3 else "•••"


class SmsBackend:
    def send(self, *, to: str, text: str) -> str:
        """Send ``text`` to the phone ``to``; return the provider's message id. Raise on failure."""
        raise NotImplementedError


class LoggingBackend(SmsBackend):
    #: The last messages, newest last (tests read the code a producer would receive from here).
    sent: collections.deque = collections.deque(maxlen=100)

    def send(self, *, to: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        self.sent.append({"to": national_number(to), "text": text, "id": message_id})
        shown = text if settings.DEBUG else "(text withheld outside development)"
        logger.info("SMS to %s: %s", masked(to), shown)
        return message_id


class EsmsBackend(SmsBackend):
    """eSMS.vn. Settings: ``ESMS_API_KEY``, ``ESMS_SECRET_KEY``, ``ESMS_BRANDNAME``, ``ESMS_API_URL``."""

    ACCEPTED = "100"
    TRANSIENT = {"", "99"}  # no code, or the provider's "unknown error": worth retrying

    def __init__(self, transport: httpx.BaseTransport | None = None):
        self.transport = transport

    def send(self, *, to: str, text: str) -> str:
        if not (settings.ESMS_API_KEY and settings.ESMS_SECRET_KEY):
            raise PermanentDeliveryError("eSMS is not configured: set ESMS_API_KEY and ESMS_SECRET_KEY")
        request_id = uuid.uuid4().hex
        body = {
            "ApiKey": settings.ESMS_API_KEY,
            "SecretKey": settings.ESMS_SECRET_KEY,
            "Phone": national_number(to),
            "Content": text,
            "Brandname": settings.ESMS_BRANDNAME,
            "SmsType": "2",
            # Vietnamese with diacritics needs Unicode messages (shorter segments); plain ASCII does not.
            "IsUnicode": "0" if text.isascii() else "1",
            "Sandbox": "0",
            "RequestId": request_id,
        }
        with httpx.Client(timeout=settings.SMS_HTTP_TIMEOUT, transport=self.transport) as client:
            response = client.post(settings.ESMS_API_URL, json=body)
        if response.status_code >= 500:
            raise RuntimeError(f"eSMS answered HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            raise RuntimeError(f"eSMS answered HTTP {response.status_code} without JSON") from None
        code = str(answer.get("CodeResult", ""))
        if code in self.TRANSIENT:
            raise RuntimeError(f"eSMS could not take the message now: CodeResult {code}")
        if code != self.ACCEPTED:
            # Wrong keys, brand name or number, or no balance: an operator must act, retrying will not help.
            raise PermanentDeliveryError(
                f"eSMS refused the message: CodeResult {code} {answer.get('ErrorMessage', '')}"
            )
        return str(answer.get("SMSID", request_id))


BACKENDS = {"logging": LoggingBackend, "esms": EsmsBackend}


def backend() -> SmsBackend:
    name = settings.SMS_BACKEND
    cls = BACKENDS.get(name) or import_string(name)
    return cls()


def send(*, to: str, text: str) -> str:
    """Send now (for outbox subscribers only: requests queue their messages through the outbox)."""
    return backend().send(to=to, text=text)
