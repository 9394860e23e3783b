"""Abuse limits on the public report form, with no third-party service.

- Per-address rate limits: counters in the cache (Redis), one per window, that expire with the window; accepted
  and refused submissions counted apart (below). The address is the client's as our own proxies vouch for it
  (``ocop.client``), never a header the client could write.
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


def sender_hash(address: str) -> str:
    """A keyed hash of the address: abuse can be traced across reports without keeping the address."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


#: Submissions accepted (stored) count towards ``OVERSIGHT_REPORT_RATE_LIMITS`` (e.g. 20 a day); refused ones
#: (wrong sum, too fast, honeypot, invalid fields) only towards ``OVERSIGHT_REPORT_FAILURE_LIMITS`` (a short
#: window): junk posts from one address cannot use up anyone's daily allowance, and cost the sender only minutes.
VALID, FAILED = "valid", "failed"
_SETTINGS = {VALID: "OVERSIGHT_REPORT_RATE_LIMITS", FAILED: "OVERSIGHT_REPORT_FAILURE_LIMITS"}


def _limits(kind: str) -> list[tuple[int, int]]:
    limits = []
    for spec in getattr(settings, _SETTINGS[kind]):
        count, _, seconds = str(spec).partition("/")
        limits.append((int(count), int(seconds)))
    return limits


def _keys(address: str, kind: str, now: float) -> list[tuple[str, int, int]]:
    sender = sender_hash(address)[:32]
    return [
        (RATE_KEY.format(window=f"{kind}:{seconds}", bucket=int(now // seconds), sender=sender), count, seconds)
        for count, seconds in _limits(kind)
    ]


def is_limited(address: str, now: float | None = None) -> bool:
    """True when ``address`` has used up an allowance (accepted or refused submissions); counts nothing."""
    now = time.time() if now is None else now
    try:
        for kind in (VALID, FAILED):
            keys = _keys(address, kind, now)
            used = cache.get_many([key for key, _count, _seconds in keys])
            if any(used.get(key, 0) >= count for key, count, _seconds in keys):
                return True
    except Exception:  # the cache being down must not cost a valid report: the challenge still applies
        logger.warning("Report rate limit not checked: the cache is unavailable", exc_info=True)
    return False


def count(address: str, kind: str, now: float | None = None) -> bool:
    """Count one ``kind`` submission from ``address``; True when it goes over a limit of that kind."""
    now = time.time() if now is None else now
    exceeded = False
    try:
        for key, allowed, seconds in _keys(address, kind, now):
            cache.add(key, 0, timeout=seconds + 60)
            try:
                used = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=seconds + 60)
                used = 1
            exceeded = exceeded or used > allowed
    except Exception:
        logger.warning("Report rate limit not counted: the cache is unavailable", exc_info=True)
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
        a=secrets.randbelow(9) + 1,
        b=secrets.randbelow(9) + 1,
        nonce=secrets.token_hex(16),
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
