"""Fixtures of producer accounts: text messages as the logging backend keeps them, fresh throttling counters."""

import re
import uuid

import pytest

from ocop.messaging.sms import LoggingBackend


def code_in(text: str) -> str:
    """The 6-digit code in a message (as the producer would read it)."""
    return re.search(r"\b(\d{6})\b", text).group(1)


@pytest.fixture(autouse=True)
def _fresh_throttle_counters(settings):
    """Each test counts its own attempts: throttling counters live in the shared Redis, keyed by this prefix."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl:test-{uuid.uuid4().hex}:"


@pytest.fixture
def sms_messages(settings):
    """Returns ``messages()``: the texts sent once the outbox is delivered (as the worker would, here)."""
    from ocop.outbox import services as outbox

    settings.SMS_BACKEND = "logging"
    LoggingBackend.sent.clear()

    def messages() -> list[dict]:
        outbox.drain()
        return list(LoggingBackend.sent)

    return messages
