"""A token bucket per destination in Redis, shared by every worker process."""

import time

import redis
from django.conf import settings

# KEYS[1] bucket; ARGV: rate per second, burst, now (ms). Returns 0 when a token was taken, else ms to wait.
_TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait
"""

_client = None


class RateLimited(Exception):
    """Our own budget for the destination is spent for longer than is worth waiting."""


def _redis():
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.INTEGRATIONS_REDIS_URL)
    return _client


def take(destination, *, max_wait: float = 2.0) -> None:
    """Take one request token for ``destination``, sleeping up to ``max_wait`` seconds for it."""
    deadline = time.monotonic() + max_wait
    key = f"integrations:bucket:{destination.pk}"
    while True:
        wait_ms = int(
            _redis().eval(_TAKE, 1, key, destination.rate_per_second, destination.burst, int(time.time() * 1000))
        )
        if wait_ms == 0:
            return
        if time.monotonic() + wait_ms / 1000 > deadline:
            raise RateLimited(f"Rate limit of {destination.rate_per_second}/s for {destination.name} reached")
        time.sleep(wait_ms / 1000)
