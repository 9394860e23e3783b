"""What deploy/ runs for issue #14: the Celery broker on a Redis of its own with bounded memory (nothing a visitor
can fill shares it), the cache/scan Redis bounded too, and two worker lanes: the urgent one (-Q celery: the outbox)
and the bulk one (-Q bulk), in Compose and in every Kubernetes overlay."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tests.deploy.test_kubernetes import OVERLAYS, by_kind, render

from .test_bulk_lanes import queue_of

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "deploy" / "compose" / "docker-compose.yml"
COMPOSE = yaml.safe_load(COMPOSE_FILE.read_text())["services"]


def flag(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_compose_puts_the_broker_on_its_own_bounded_redis():
    environment = COMPOSE["web"]["environment"]
    broker = urlsplit(environment["CELERY_BROKER_URL"]).hostname
    others = {urlsplit(environment[name]).hostname for name in ("CACHE_URL", "TRACEABILITY_SCAN_QUEUE_URL")}

    assert broker == "redis-broker" and others == {"redis"}
    assert urlsplit(COMPOSE["saleor-api"]["environment"]["CELERY_BROKER_URL"]).hostname == "redis-broker"
    for service, policy in (("redis-broker", "noeviction"), ("redis", "allkeys-lru")):
        command = COMPOSE[service]["command"]
        assert flag(command, "--maxmemory") and flag(command, "--maxmemory-policy") == policy


def test_compose_runs_an_urgent_and_a_bulk_worker():
    urgent, bulk = COMPOSE["celery-worker"]["command"], COMPOSE["celery-bulk-worker"]["command"]

    assert flag(urgent, "-Q") == queue_of("ocop.outbox.tasks.drain_outbox") == "celery"
    assert flag(bulk, "-Q") == queue_of("traceability.tasks.issue_serials") == "bulk"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_kubernetes_runs_both_lanes_and_a_bounded_broker_of_its_own(overlay, tmp_path):
    objects = render(overlay, tmp_path)
    deployments = by_kind(objects, "Deployment")
    config = by_kind(objects, "ConfigMap")
    data = next(item["data"] for name, item in config.items() if name.startswith("ocop-config"))

    assert urlsplit(data["CELERY_BROKER_URL"]).hostname == "redis-broker"
    assert urlsplit(data["CACHE_URL"]).hostname == "redis"
    lanes = {
        name: flag(deployments[name]["spec"]["template"]["spec"]["containers"][0]["command"], "-Q")
        for name in ("celery-worker", "celery-bulk-worker")
    }
    assert lanes == {"celery-worker": "celery", "celery-bulk-worker": "bulk"}
    for name, policy in (("redis-broker", "noeviction"), ("redis", "allkeys-lru")):
        args = deployments[name]["spec"]["template"]["spec"]["containers"][0]["args"]
        assert flag(args, "--maxmemory") and flag(args, "--maxmemory-policy") == policy
