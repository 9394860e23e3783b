"""Per-client request limits in the nginx configurations deploy/ ships (issue #14), run by Debian's nginx in front
of the app (the fixture of tests/security/test_private_files_nginx.py, for both the Compose proxy and the
Kubernetes sidecar): a client flooding the scan URLs gets nginx's own 429 page in Vietnamese and English with
Retry-After while another client's scan is still answered by the app; static files are not limited. (That the
app sees the real client behind these proxies, forged headers or not: tests/security/test_throttling.py.)"""

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.security.test_private_files_nginx import proxy  # noqa: F401 - the shared nginx fixture

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = Path(__file__).resolve().parents[2] / "ocop" / "static" / "errors" / "429.html"
FLOODER, OTHER = "203.0.113.50", "198.51.100.60"


@pytest.fixture
def limited(proxy, request, tmp_path, settings):  # noqa: F811
    """Clients through the proxy, each with its own address: by its socket (Compose: nginx is the edge) or by
    the X-Forwarded-For an ingress would write (Kubernetes: the sidecar trusts the ingress's header)."""
    (tmp_path / "static" / "errors").mkdir(parents=True, exist_ok=True)
    shutil.copy(PAGE, tmp_path / "static" / "errors" / "429.html")  # what collectstatic puts there
    kind = request.node.callspec.params["proxy"]
    settings.TRUSTED_PROXY_COUNT = 1 if kind == "compose" else 2

    def client_from(address: str) -> httpx.Client:
        base = proxy()
        if kind == "k8s":
            base.headers["X-Forwarded-For"] = address
            return base
        transport = httpx.HTTPTransport(verify=False, local_address=address_on_loopback(address))  # noqa: S501
        return httpx.Client(base_url=base.base_url, headers=base.headers, transport=transport, timeout=10)

    return client_from


def address_on_loopback(address: str) -> str:
    """Distinct loopback source addresses stand for distinct clients (the whole 127/8 is local)."""
    return {FLOODER: "127.0.0.50", OTHER: "127.0.0.60"}[address]


def test_a_flooding_client_gets_the_429_page_and_another_clients_scan_is_answered(limited, item):
    flooder, other = limited(FLOODER), limited(OTHER)

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda n: flooder.get(f"/q/ZZZZZZZZZZZZZZZ{n % 10}"), range(160)))
    while_flooded = other.get(f"/q/{item.serial}")

    refused = [answer for answer in answers if answer.status_code == 429]
    assert len(refused) >= 40, [answer.status_code for answer in answers]  # burst 40 + 10/s, the rest refused
    assert {answer.status_code for answer in answers} <= {404, 429}  # never a 5xx
    page = refused[0]
    assert "Quá nhiều yêu cầu" in page.text and "Too many requests" in page.text
    assert page.headers["Retry-After"] == "5" and "no-store" in page.headers["Cache-Control"]
    assert while_flooded.status_code == 200 and item.serial[:4] in while_flooded.text


def test_static_files_are_not_limited(limited):
    client = limited(FLOODER)

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _n: client.get("/static/errors/429.html").status_code, range(150)))

    assert set(answers) == {200}
