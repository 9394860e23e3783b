"""Limits on the public forms (registration, one-time codes, order look-up): per client and per account.

The counting is django-ratelimit's (fixed windows in the cache, i.e. Redis, shared by every web process); what
each limit is keyed on is ours: the client address from ``ocop.client`` and, per form, the account the attempt
is about (a registration number, an e-mail, a one-time code request). Rates are ``settings.THROTTLE_RATES``.
A request over any limit gets a 429 page saying when to try again, and the view does not run.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

from .client import client_address

AccountKey = Callable[[object], str]


def _count(request, group: str, value: str, rate: str) -> int | None:
    """Count this attempt; seconds until the window ends when the limit is exceeded, else None."""
    usage = get_usage(
        request, group=group, key=lambda _group, _request: value, rate=rate, method="POST", increment=True
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(int(usage["time_left"]), 1)


def over_limit(request, group: str, account: AccountKey | None = None) -> int | None:
    """Count a POST to ``group`` for its client and its account; seconds to wait when over a limit, else None."""
    rates = settings.THROTTLE_RATES[group]
    keys = {"client": client_address(request), "account": account(request) if account else ""}
    waits = [
        _count(request, f"{group}:{name}", value, rates[name])
        for name, value in keys.items()
        if value and rates.get(name)
    ]
    waits = [wait for wait in waits if wait]
    return max(waits) if waits else None


def throttled(group: str, *, account: AccountKey | None = None):
    """Decorate a view whose POSTs count against ``THROTTLE_RATES[group]`` (keys "client" and "account")."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                wait = over_limit(request, group, account)
                if wait:
                    minutes = (wait + 59) // 60
                    response = render(request, "throttled.html", {"minutes": minutes}, status=429)
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
