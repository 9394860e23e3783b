"""The single-server stack (deploy/compose): every service the settings need, with its environment."""

import importlib.util
import re
from urllib.parse import urlsplit

import pytest
import yaml

from .environment import DEPLOY, required_in_production

COMPOSE = DEPLOY / "compose"
APP_SERVICES = ["web", "celery-worker", "celery-bulk-worker", "celery-beat", "migrate", "saleor-app-register"]
SECRET_NAME = re.compile(r"SECRET|PASSWORD|_KEY$|TOKEN")


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load((COMPOSE / "docker-compose.yml").read_text())["services"]


def test_the_stack_has_saleor_the_stores_our_app_and_a_proxy(services):
    assert {
        "postgres",
        "redis",
        "elasticsearch",
        "saleor-api",
        "saleor-worker",
        "saleor-dashboard",
        "proxy",
        *APP_SERVICES,
    } <= set(services)
    assert services["saleor-api"]["image"] == "ghcr.io/saleor/saleor:3.23"
    assert services["saleor-worker"]["image"] == "ghcr.io/saleor/saleor:3.23"
    assert services["elasticsearch"]["image"].split(":")[-1].startswith("8.")
    assert services["web"]["command"][:3] == ["granian", "--interface", "wsgi"]
    assert services["web"]["command"][-1] == "ocop.wsgi:application"
    assert services["celery-worker"]["command"][:4] == ["celery", "-A", "ocop", "worker"]
    assert services["celery-beat"]["command"][:4] == ["celery", "-A", "ocop", "beat"]
    assert services["saleor-app-register"]["command"] == ["python", "manage.py", "saleor_app_register"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_app_service_gets_every_setting_production_needs(services, name):
    environment = services[name]["environment"]

    assert required_in_production() <= set(environment), required_in_production() - set(environment)
    assert environment["DJANGO_DEBUG"] == "false"
    assert "localhost" in environment["DJANGO_ALLOWED_HOSTS"].split(",")  # the health probe's Host


def _host(url):
    return urlsplit(re.sub(r"\$\{[^}]*\}", "x", url)).hostname


def test_the_urls_in_the_environment_point_at_services_of_the_stack(services):
    environment = services["web"]["environment"]

    for variable in (
        "DATABASE_URL",
        "CACHE_URL",
        "CELERY_BROKER_URL",
        "ELASTICSEARCH_URL",
        "TRACEABILITY_SCAN_QUEUE_URL",
        "INTEGRATIONS_REDIS_URL",
    ):
        host = _host(environment[variable])
        assert host in services, f"{variable} points at {host}"
    saleor = services["saleor-api"]["environment"]
    assert _host(saleor["DATABASE_URL"]) in services
    redis_databases = {urlsplit(environment[v]).path for v in ("CACHE_URL", "CELERY_BROKER_URL")}
    redis_databases |= {urlsplit(saleor[v]).path for v in ("REDIS_URL", "CELERY_BROKER_URL")}
    assert len(redis_databases) == 4  # ours and Saleor's never share a Redis database


def test_no_secret_is_written_in_the_files_and_every_required_variable_is_in_the_example(services):
    text = "\n".join(
        line.split(" #")[0]
        for line in (COMPOSE / "docker-compose.yml").read_text().splitlines()
        if not line.lstrip().startswith("#")
    )
    example = {
        line.split("=", 1)[0]
        for line in (COMPOSE / "env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }

    for service in services.values():
        environment = service.get("environment") or {}
        for key, value in environment.items():
            if SECRET_NAME.search(key):
                assert re.fullmatch(r"\$\{[A-Z_]+(:\?[^}]*)?\}|.*\$\{[A-Z_]+:\?[^}]*\}.*", str(value)), key
    required = set(re.findall(r"\$\{([A-Z_]+):\?", text))
    assert required and required <= example, required - example


def test_probes_and_startup_order(services):
    assert services["web"]["healthcheck"]["test"] == ["CMD", "python", "deploy/probe.py", "/readyz"]
    assert "/healthz" in " ".join(services["proxy"]["healthcheck"]["test"])
    assert all("healthcheck" in services[name] for name in ("postgres", "redis", "elasticsearch", "saleor-api"))
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["saleor-api"]["depends_on"]["saleor-migrate"]["condition"] == "service_completed_successfully"
    assert services["saleor-app-register"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert services["saleor-app-register"]["depends_on"]["saleor-api"]["condition"] == "service_healthy"


def test_the_proxy_terminates_tls_and_serves_static_and_media_with_caching_headers(services):
    config = (COMPOSE / "nginx" / "default.conf.template").read_text()
    static_volume = next(v for v in services["migrate"]["volumes"] if v.endswith(":/app/var/static"))

    assert "listen 443 ssl" in config and "ssl_certificate " in config
    assert "Strict-Transport-Security" in config
    for location, root in (("/static/", "/srv/static/"), ("/media/", "/srv/media/")):
        block = config.split(f"location {location} {{", 1)[1].split("}", 1)[0]
        assert f"alias {root};" in block
        assert "Cache-Control" in block
    assert f"{static_volume.split(':')[0]}:/srv/static:ro" in services["proxy"]["volumes"]
    assert "proxy_set_header X-Request-ID" in config


def _probe_module():
    spec = importlib.util.spec_from_file_location("deploy_probe", DEPLOY / "probe.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_container_probe_passes_on_a_live_app_and_fails_on_a_missing_page(live_server, monkeypatch, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    monkeypatch.setenv("PORT", str(live_server.thread.port))
    probe = _probe_module()

    assert probe.main("/healthz") == 0
    assert probe.main("/readyz") == 0
    assert probe.main("/no-such-page-for-the-probe") == 1
    monkeypatch.setenv("PORT", "1")
    assert probe.main("/healthz") == 1


def test_private_files_have_their_own_volume_that_the_proxy_serves_only_through_x_accel_redirect(services):
    config = (COMPOSE / "nginx" / "default.conf.template").read_text()
    environment = services["web"]["environment"]
    location = environment["PRIVATE_FILES_ACCEL_REDIRECT"]
    block = config.split(f"location {location} {{", 1)[1].split("}", 1)[0]

    assert "internal;" in block and "alias /srv/private/;" in block
    assert "private:/srv/private:ro" in services["proxy"]["volumes"]
    for name in ("web", "celery-worker", "migrate"):
        assert f"private:{environment['PRIVATE_FILES_ROOT']}" in services[name]["volumes"], name
    assert "move_private_files" in " ".join(services["migrate"]["command"])
