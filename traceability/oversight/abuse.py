"""Abuse limits on the public report form, with no third-party service.

- Per-address rate limits: counters in the cache (Redis), one per window, that expire with the window.
- A signed challenge: a small sum to answer, the time the form was served (a form sent back faster than a
  person can fill it is refused, so is a stale one) and a nonce that makes a report stored once however many
  times the form is sent. Plus a honeypot field that people never see and robots fill in.
"""

import dataclasses
import hashlib
import hmac
import logging
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

logger = logging.getLogger(__name__)

SALT = "oversight.report-challenge"
RATE_KEY = "oversight:report-rate:{window}:{bucket}:{sender}"


def client_address(request) -> str:
    header = getattr(settings, "OVERSIGHT_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    value = value.split(",")[0].strip() if value else request.META.get("REMOTE_ADDR", "")
    return value[:64] or "unknown"


def sender_hash(address: str) -> str:
    """A keyed hash of the address: abuse can be traced across reports without keeping the address."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _limits() -> list[tuple[int, int]]:
    limits = []
    for spec in settings.OVERSIGHT_REPORT_RATE_LIMITS:
        count, _, seconds = str(spec).partition("/")
        limits.append((int(count), int(seconds)))
    return limits


def hit_rate_limit(address: str, now: float | None = None) -> bool:
    """Count one submission from ``address``; True when any window's limit is exceeded."""
    now = time.time() if now is None else now
    sender = sender_hash(address)[:32]
    exceeded = False
    try:
        for count, seconds in _limits():
            key = RATE_KEY.format(window=seconds, bucket=int(now // seconds), sender=sender)
            cache.add(key, 0, timeout=seconds + 60)
            try:
                used = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=seconds + 60)
                used = 1
            exceeded = exceeded or used > count
    except Exception:  # the cache being down must not cost a valid report: the challenge still applies
        logger.warning("Report rate limit not checked: the cache is unavailable", exc_info=True)
        return False
    return exceeded


@dataclasses.dataclass(frozen=True)
class Challenge:
    a: int
    b: int
    nonce: str
    issued: int

    @property
    def token(self) -> str:
        return signing.dumps({"a": self.a, "b": self.b, "n": self.nonce, "t": self.issued}, salt=SALT, compress=True)

    @property
    def answer(self) -> int:
        return self.a + self.b


def new_challenge(now: float | None = None) -> Challenge:
    return Challenge(
        a=secrets.randbelow(9) + 1, b=secrets.randbelow(9) + 1, nonce=secrets.token_hex(16),
        issued=int(time.time() if now is None else now),
    )


def read_challenge(token: str) -> Challenge | None:
    """The challenge a form carries, or None when the token is missing, forged or malformed."""
    if not token or len(token) > 500:
        return None
    try:
        data = signing.loads(token, salt=SALT)
        return Challenge(a=int(data["a"]), b=int(data["b"]), nonce=str(data["n"])[:64], issued=int(data["t"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


class ChallengeProblem:
    FORGED = "forged"
    TOO_FAST = "too_fast"
    STALE = "stale"
    WRONG = "wrong"


def check_challenge(challenge: Challenge | None, answer: str, now: float | None = None) -> str | None:
    """None when passed, else a ``ChallengeProblem``."""
    if challenge is None:
        return ChallengeProblem.FORGED
    now = time.time() if now is None else now
    age = now - challenge.issued
    if age < settings.OVERSIGHT_CHALLENGE_MIN_SECONDS:
        return ChallengeProblem.TOO_FAST
    if age > settings.OVERSIGHT_CHALLENGE_MAX_SECONDS:
        return ChallengeProblem.STALE
    if str(answer).strip() != str(challenge.answer):
        return ChallengeProblem.WRONG
    return None
