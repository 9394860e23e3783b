"""Debian's nginx, started by a test in front of the app, with the nginx configs shipped in deploy/.

The shipped files are rendered with the test's ports and folders (and nothing else), so what is tested is what
operators deploy: each replacement must find its text, or the test says the config changed under it.
"""

import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
K8S_CONF = DEPLOY / "k8s" / "base" / "nginx.conf"
COMPOSE_TEMPLATE = DEPLOY / "compose" / "nginx" / "default.conf.template"
OCOP_HOST = "ocop.test"

MAIN_CONF = """
daemon off;
master_process off;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    sendfile on;
    access_log {run}/access.log;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include {run}/site.conf;
}}
"""


def nginx_binary() -> str:
    """Debian's nginx (``apt-get install nginx-light``; ``bin/setup`` installs it for the tests), or a skip."""
    found = shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(path).is_file()), None
    )
    if not found:
        pytest.skip("nginx not found: install Debian's nginx-light (bin/setup does) to test the production path")
    return found


def nginx_version(binary: str) -> tuple[int, ...]:
    output = subprocess.run([binary, "-v"], capture_output=True, text=True, check=True).stderr  # noqa: S603
    return tuple(int(part) for part in re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", output).groups())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"the shipped nginx config no longer contains {old!r}: update tests/security/nginx.py"
    return text.replace(old, new)


def _folders(text: str, *, static: Path, media: Path, private: Path) -> str:
    text = _replace(text, "alias /srv/static/errors/;", f"alias {static}/errors/;")  # the 429 page (limit_req)
    text = _replace(text, "alias /srv/static/;", f"alias {static}/;")
    text = _replace(text, "alias /srv/media/;", f"alias {media}/;")
    return _replace(text, "alias /srv/private/;", f"alias {private}/;")


def http_level(config: str) -> str:
    """The lines of a shipped config that belong to nginx's http block (maps and limit_req zones), for a test that
    runs one of its server or location blocks on its own."""
    return "\n".join(
        line
        for line in config.splitlines()
        if line.startswith("limit_req_zone ") or (line.startswith("map ") and line.rstrip().endswith("}"))
    )


def render_k8s(*, port: int, app_port: int, **folders) -> str:
    """deploy/k8s/base/nginx.conf (the web pods' sidecar) on ``port``, in front of the app on ``app_port``."""
    text = _replace(K8S_CONF.read_text(), "listen 8080;", f"listen 127.0.0.1:{port};")
    text = _replace(text, "proxy_pass http://127.0.0.1:8000;", f"proxy_pass http://127.0.0.1:{app_port};")
    return _folders(text, **folders)


def render_compose(
    *, port: int, http_port: int, app_port: int, certs: Path, version: tuple[int, ...], **folders
) -> str:
    """deploy/compose/nginx/default.conf.template as the nginx image renders it (envsubst of the hosts), HTTPS on
    ``port``; the Saleor upstreams point at a closed port (not used here)."""
    hosts = {"OCOP_HOST": OCOP_HOST, "SALEOR_HOST": "saleor.test", "DASHBOARD_HOST": "dashboard.test"}
    # The image substitutes only variables the proxy service defines (others, in comments, stay as they are).
    text = re.sub(r"\$\{(\w+)\}", lambda match: hosts.get(match.group(1), match.group(0)), COMPOSE_TEMPLATE.read_text())
    text = _replace(text, "server web:8000;", f"server 127.0.0.1:{app_port};")
    text = _replace(text, "server saleor-api:8000;", "server 127.0.0.1:9;")
    text = _replace(text, "server saleor-dashboard:80;", "server 127.0.0.1:9;")
    text = _replace(text, "/etc/nginx/certs/", f"{certs}/")
    text = _replace(text, "listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;")
    text = _replace(text, "listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
    if version < (1, 25, 1):  # `http2 on;` is newer than Debian 12's nginx; HTTP/2 plays no part here
        text = _replace(text, "http2 on;", "")
    return _folders(text, **folders)


def self_signed_certificate(folder: Path, host: str) -> Path:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return folder


class Nginx:
    """One nginx process (single-process mode, in the foreground) with ``site`` as its only server config."""

    def __init__(self, binary: str, run: Path, site: str, ports: list[int]):
        self.binary, self.run, self.ports = binary, run, ports
        run.mkdir(parents=True, exist_ok=True)
        (run / "site.conf").write_text(site)
        mime_types = next(
            (p for p in ("/etc/nginx/mime.types", "/usr/local/nginx/conf/mime.types") if Path(p).is_file()), None
        )
        assert mime_types, "nginx's mime.types not found"
        self.conf = run / "nginx.conf"
        self.conf.write_text(MAIN_CONF.format(run=run, mime_types=mime_types))
        self.process = None

    def _command(self, *extra) -> list[str]:
        return [self.binary, "-p", str(self.run), "-e", str(self.run / "error.log"), "-c", str(self.conf), *extra]

    def start(self) -> "Nginx":
        check = subprocess.run(self._command("-t"), capture_output=True, text=True, check=False)  # noqa: S603
        assert check.returncode == 0, f"nginx refused the rendered config:\n{check.stderr}"
        self.process = subprocess.Popen(  # noqa: S603 - our own nginx binary and config
            self._command(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        for port in self.ports:
            while True:
                assert self.process.poll() is None, self.process.stderr.read().decode()
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, f"nginx did not listen on {port}"
                    time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
