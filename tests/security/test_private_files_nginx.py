"""The production path of private files: nginx (Debian's, started here) in front of the app, with the nginx
configs shipped in deploy/ (the Kubernetes sidecar's and the Compose proxy's, rendered with the test's ports and
folders). The app's permission-checked view answers with X-Accel-Redirect; nginx sends the bytes; a request
straight to the internal location, or to the file under /media/, is refused by nginx itself."""

import httpx
import pytest
from django.conf import settings
from django.test import Client

from .nginx import (
    OCOP_HOST,
    Nginx,
    free_port,
    nginx_binary,
    nginx_version,
    render_compose,
    render_k8s,
    self_signed_certificate,
)

pytestmark = pytest.mark.django_db(transaction=True)


def session_cookie(user) -> dict:
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


@pytest.fixture(params=["k8s", "compose"])
def proxy(request, live_server, settings, tmp_path):
    """nginx with one of the shipped configs in front of Django's live server; yields an httpx client factory."""
    binary = nginx_binary()
    settings.PRIVATE_FILES_ACCEL_REDIRECT = "/_private/"
    settings.ALLOWED_HOSTS = [OCOP_HOST, "localhost", "127.0.0.1"]
    static = tmp_path / "static"
    static.mkdir()
    for folder in (settings.MEDIA_ROOT, settings.PRIVATE_FILES_ROOT):
        folder.mkdir(parents=True, exist_ok=True)
    folders = {"static": static, "media": settings.MEDIA_ROOT, "private": settings.PRIVATE_FILES_ROOT}
    port, app_port = free_port(), live_server.thread.port
    if request.param == "k8s":
        site, ports = render_k8s(port=port, app_port=app_port, **folders), [port]
        base_url = f"http://127.0.0.1:{port}"
    else:
        http_port = free_port()
        certs = self_signed_certificate(tmp_path / "certs", OCOP_HOST)
        site = render_compose(
            port=port, http_port=http_port, app_port=app_port, certs=certs, version=nginx_version(binary), **folders
        )
        ports, base_url = [port, http_port], f"https://127.0.0.1:{port}"
    nginx = Nginx(binary, tmp_path / "nginx", site, ports).start()

    def client(user=None) -> httpx.Client:
        return httpx.Client(
            base_url=base_url,
            headers={"Host": OCOP_HOST},
            verify=False,  # noqa: S501 - test cert
            cookies=session_cookie(user) if user else None,
            timeout=10,
        )

    yield client
    nginx.stop()


def test_the_app_answers_with_x_accel_redirect_and_nginx_sends_the_file(
    proxy, live_server, label_sheet, lot, producer_user
):
    path = f"/portal/lots/labels/{label_sheet.pk}/download/"
    expected = (settings.PRIVATE_FILES_ROOT / label_sheet.file.name).read_bytes()

    direct = httpx.get(live_server.url + path, cookies=session_cookie(producer_user), headers={"Host": OCOP_HOST})
    with proxy(producer_user) as client:
        response = client.get(path)

    # the app checked the permission and handed the file over to nginx, without sending a byte of it
    assert direct.status_code == 200 and direct.content == b""
    assert direct.headers["X-Accel-Redirect"] == f"/_private/{label_sheet.file.name}"
    # nginx sent the bytes, with the app's type and file name, and nothing that names the internal location
    assert response.status_code == 200 and response.content == expected and expected.startswith(b"%PDF")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="labels-{lot.number}.pdf"'
    assert response.headers.get_list("Cache-Control") == ["private, no-store"]  # the app's, kept by nginx
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Accel-Redirect" not in response.headers


def test_nginx_refuses_the_internal_location_and_media_and_the_app_refuses_others(
    proxy, label_sheet, producer_user, other_producer_user
):
    name = label_sheet.file.name
    with proxy() as anonymous, proxy(other_producer_user) as other, proxy(producer_user) as owner:
        internal = [client.get(f"/_private/{name}") for client in (anonymous, other, owner)]
        media = anonymous.get(f"/media/{name}")
        not_signed_in = anonymous.get(f"/portal/lots/labels/{label_sheet.pk}/download/")
        someone_else = other.get(f"/portal/lots/labels/{label_sheet.pk}/download/")

    for response in (*internal, media, someone_else):
        assert response.status_code == 404 and not response.content.startswith(b"%PDF"), response.url
    assert not_signed_in.status_code == 302 and "login" in not_signed_in.headers["Location"]
