"""Container health probe: GET a path of the local web app; exit 0 on HTTP 200, 1 otherwise.

    python deploy/probe.py /healthz        (liveness)
    python deploy/probe.py /readyz         (readiness: database and broker reachable)

Sends ``Host: localhost`` (keep ``localhost`` in DJANGO_ALLOWED_HOSTS) and ``X-Forwarded-Proto: https`` so
neither the host check nor the HTTPS redirect gets in the way.
"""

import os
import sys
import urllib.error
import urllib.request


def main(path: str) -> int:
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(  # noqa: S310 - fixed local http URL
        f"http://127.0.0.1:{port}{path}", headers={"Host": "localhost", "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/healthz"))
