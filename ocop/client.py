"""The client address of a request: the one function every limit, lockout and log asks.

Behind our reverse proxies ``REMOTE_ADDR`` is the proxy's own address. Each of our proxies appends the address it
received the request from to ``X-Forwarded-For`` (nginx: ``$proxy_add_x_forwarded_for``), so the last
``TRUSTED_PROXY_COUNT`` entries were written by proxies we run, and the entry they name is the client. Anything to
the left of it came from the client itself and is never trusted: a forged header only adds entries there.

- Compose (deploy/compose): nginx → app, ``TRUSTED_PROXY_COUNT=1``: the last entry is nginx's ``$remote_addr``.
- Kubernetes (deploy/k8s): ingress-nginx (sets the header to the address it sees) → nginx sidecar (appends the
  ingress's address) → app, ``TRUSTED_PROXY_COUNT=2``.
- Reached directly (development, tests): ``TRUSTED_PROXY_COUNT=0``, the socket address.
"""

import ipaddress

from django.conf import settings

UNKNOWN = "0.0.0.0"  # noqa: S104 - a placeholder address, never bound


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    """The address of the client that sent ``request``, as far as our own proxies vouch for it."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        # Fewer entries than proxies: the request did not come through all of them (or they are misconfigured).
        # The socket address is the only one not written by the client.
        return remote
    return _valid(forwarded[-count]) or remote
