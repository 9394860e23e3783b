"""Throttling (issue #12): sign-in, registration and order look-up are limited per client and per account, and the
client address cannot be forged when the app is reached through our nginx."""

import http.client
import http.server
import json
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.test import RequestFactory

from ocop.client import client_address

from .nginx import http_level

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/portal/applications/login/"
REGISTER = "/portal/applications/register/"
LOOKUP = "/orders/lookup/"


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("chu-the", password="Cafe-Robusta-2026")


def sign_in(client, password, **extra):
    return client.post(LOGIN, {"username": "chu-the", "password": password}, **extra)


def test_guessing_a_password_from_one_client_is_locked_out(client, owner):
    answers = [sign_in(client, "wrong-guess").status_code for _ in range(5)]
    assert answers == [200] * 4 + [429]  # the fifth failure locks

    # even the right password is refused now, with a 429 page saying what to do
    answer = sign_in(client, "Cafe-Robusta-2026")
    assert answer.status_code == 429 and 'id="locked-out"' in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_guessing_one_accounts_password_from_many_clients_is_locked_out(client, owner):
    for n in range(5):
        sign_in(client, "wrong-guess", REMOTE_ADDR=f"203.0.113.{n + 1}")

    answer = sign_in(client, "Cafe-Robusta-2026", REMOTE_ADDR="198.51.100.7")

    assert answer.status_code == 429


def test_the_admin_sign_in_is_locked_out_too(client, owner):
    for _ in range(5):
        client.post("/admin/login/", {"username": "chu-the", "password": "wrong-guess"})

    answer = client.post("/admin/login/", {"username": "chu-the", "password": "Cafe-Robusta-2026"})

    assert answer.status_code == 429


def test_a_forged_forwarded_header_does_not_escape_the_lockout(client, owner, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # as behind deploy/compose's nginx, which appends the real address
    for n in range(5):
        sign_in(client, "wrong-guess", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 192.0.2.10", REMOTE_ADDR="172.18.0.5")

    # a new forged entry on the left changes nothing: the proxy-written entry is the same client
    answer = sign_in(client, "wrong-guess", HTTP_X_FORWARDED_FOR="10.0.0.99, 192.0.2.10", REMOTE_ADDR="172.18.0.5")
    assert answer.status_code == 429


def registration(number="6000123456", n=0):
    return {
        "registration_number": number,
        "producer_name": "HTX",
        "channel": "sms",
        "email": f"x{n}@mail.example",
        "username": f"user-{number}-{n}",
        "password": "Cafe-Robusta-2026",
    }


def test_registration_is_throttled_per_registration_number_across_clients(client, db):
    answers = [client.post(REGISTER, registration(n=n), REMOTE_ADDR=f"203.0.113.{n + 1}") for n in range(6)]

    assert [answer.status_code for answer in answers[:5]] == [302] * 5  # unknown number: requests for the office
    assert answers[5].status_code == 429 and 'id="throttled"' in answers[5].content.decode()
    assert int(answers[5]["Retry-After"]) > 0


def test_registration_is_throttled_per_client_across_numbers(client, db):
    answers = [client.post(REGISTER, registration(number=f"01009{n:05d}")) for n in range(21)]

    assert answers[19].status_code == 302 and answers[20].status_code == 429


def test_the_order_lookup_is_throttled_per_email_and_per_client(client, db):
    per_email = [
        client.post(LOOKUP, {"email": "khach@mail.example", "number": str(1000 + n)}, REMOTE_ADDR=f"203.0.113.{n + 1}")
        for n in range(11)
    ]
    assert [answer.status_code for answer in per_email] == [200] * 10 + [429]

    per_client = [
        client.post(LOOKUP, {"email": f"k{n}@mail.example", "number": "1"}, REMOTE_ADDR="198.51.100.9")
        for n in range(21)
    ]
    assert per_client[19].status_code == 200 and per_client[20].status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "172.18.0.5"),  # reached directly: the header is the client's own words
        (1, "6.6.6.6, 192.0.2.10", "192.0.2.10"),  # compose: nginx appended the real address last
        (2, "6.6.6.6, 192.0.2.10, 10.42.0.7", "192.0.2.10"),  # k8s: ingress, then the pod's nginx
        (2, "192.0.2.10", "172.18.0.5"),  # fewer entries than proxies: not through them, the socket address
        (1, "not-an-address", "172.18.0.5"),
    ],
)
def test_the_client_address_is_taken_from_the_entries_our_proxies_wrote(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="172.18.0.5")

    assert client_address(request) == expected


# --- Through the real nginx configurations of deploy/ ----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Echo(http.server.BaseHTTPRequestHandler):
    """The app's place: answers with the REMOTE_ADDR and X-Forwarded-For it received."""

    def do_GET(self):  # noqa: N802 - http.server's naming
        body = json.dumps(
            {"REMOTE_ADDR": self.client_address[0], "HTTP_X_FORWARDED_FOR": self.headers.get("X-Forwarded-For", "")}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _location_block(config: str, after: str) -> str:
    """The ``location / { ... }`` block that follows ``after`` in an nginx configuration."""
    start = config.index("location / {", config.index(after))
    return config[start : config.index("}", start) + 1]


@pytest.fixture
def echo_app():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


@pytest.fixture
def nginx(tmp_path):
    """Start nginx with the given server blocks; stopped (by its own pid) at the end of the test."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    started = []

    def _start(servers: str) -> None:
        (tmp_path / "logs").mkdir(exist_ok=True)
        (tmp_path / "nginx.conf").write_text(
            f"worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/logs/error.log;\n"
            "events { worker_connections 64; }\n"
            f"http {{ access_log off; client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path};\n{servers}\n}}\n"
        )
        command = [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"]
        # The machine's nginx, on a configuration of the test, listening on loopback only.
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
        started.append(process)
        time.sleep(0.5)
        assert process.poll() is None, process.stderr.read().decode()

    yield _start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


#: The visitor's address: another loopback address than the proxies' 127.0.0.1, so the two cannot be confused.
VISITOR = "127.0.0.2"


def _seen_by_app(port: int, forged: str, settings, count: int) -> str:
    """What ``client_address`` makes of the request the app got, when a visitor forged the headers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(VISITOR, 0))
    connection.request("GET", "/", headers={"X-Forwarded-For": forged, "X-Real-IP": forged})
    seen = json.loads(connection.getresponse().read())
    connection.close()
    settings.TRUSTED_PROXY_COUNT = count
    meta = {"REMOTE_ADDR": seen["REMOTE_ADDR"], "HTTP_X_FORWARDED_FOR": seen["HTTP_X_FORWARDED_FOR"]}
    return client_address(RequestFactory().get("/", **meta))


def test_behind_the_compose_nginx_a_forged_header_gives_the_real_address(nginx, echo_app, settings):
    template = (ROOT / "deploy" / "compose" / "nginx" / "default.conf.template").read_text()
    compose = (ROOT / "deploy" / "compose" / "docker-compose.yml").read_text()
    port = _free_port()
    location = (
        _location_block(template, "server_name ${OCOP_HOST};")
        .replace("http://ocop_web", f"http://127.0.0.1:{echo_app}")
        .replace("$ocop_request_id", "$request_id")
    )
    nginx(f"{http_level(template)}\nserver {{ listen 127.0.0.1:{port}; {location} }}")

    assert _seen_by_app(port, "6.6.6.6", settings, count=1) == VISITOR
    assert 'TRUSTED_PROXY_COUNT: "1"' in compose


def test_behind_the_ingress_and_the_pods_nginx_a_forged_header_gives_the_real_address(nginx, echo_app, settings):
    sidecar_config = (ROOT / "deploy" / "k8s" / "base" / "nginx.conf").read_text()
    kustomization = (ROOT / "deploy" / "k8s" / "base" / "kustomization.yaml").read_text()
    sidecar, ingress = _free_port(), _free_port()
    sidecar_location = _location_block(sidecar_config, "listen 8080;").replace(
        "http://127.0.0.1:8000", f"http://127.0.0.1:{echo_app}"
    )
    # ingress-nginx's default (use-forwarded-headers off): X-Forwarded-For is replaced by the address it sees.
    nginx(
        f"{http_level(sidecar_config)}\nserver {{ listen 127.0.0.1:{sidecar}; {sidecar_location} }}\n"
        f"server {{ listen 127.0.0.1:{ingress}; location / {{ proxy_pass http://127.0.0.1:{sidecar};"
        " proxy_set_header X-Forwarded-For $remote_addr; proxy_set_header X-Real-IP $remote_addr; } }"
    )

    assert _seen_by_app(ingress, "6.6.6.6", settings, count=2) == VISITOR
    assert "TRUSTED_PROXY_COUNT=2" in kustomization
