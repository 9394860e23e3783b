"""A real Celery worker, in its own process, for tests about background work.

Use with ``@pytest.mark.django_db(transaction=True)`` so the worker (another process, another
connection) sees what the test wrote. The worker talks to the test database and to a Redis
database of its own, so parallel runs do not steal each other's tasks.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests import clock

ROOT = Path(__file__).resolve().parent.parent


class WorkerProcess:
    def __init__(self, env):
        self.env = env
        self.process = None

    def start(self, *, concurrency: int = 2) -> "WorkerProcess":
        env = {**self.env, **clock.environment()}  # the worker reads the test run's clock
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv
            [
                sys.executable,
                "-m",
                "tests.clock",
                "celery",
                "-A",
                "ocop",
                "worker",
                "--pool=prefork",
                f"--concurrency={concurrency}",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """Kill the worker and its children at once (SIGKILL): a crash, not a shutdown."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def worker_environment() -> dict:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    env["DATABASE_URL"] = f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    env["CACHE_URL"] = (
        settings.CACHES["default"]["LOCATION"]
        if isinstance(settings.CACHES["default"].get("LOCATION"), str)
        else env.get("CACHE_URL", "")
    )
    env["CELERY_TASK_ALWAYS_EAGER"] = "false"
    # Files the worker writes land where the test reads them (each test has its own folders).
    env["DJANGO_MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    env["PRIVATE_FILES_ROOT"] = str(settings.PRIVATE_FILES_ROOT)
    env.setdefault("DJANGO_SECRET_KEY", settings.SECRET_KEY)
    for name in ("SALEOR_APP_ENCRYPTION_KEY", "INTEGRATIONS_ENCRYPTION_KEY"):  # the worker reads what tests wrote
        env.setdefault(name, ",".join(getattr(settings, name)))
    return env


@pytest.fixture
def celery_worker_process(transactional_db):
    """Start a worker against the test database; yields the handle (``.kill()``, ``.start()``)."""
    from ocop.celery import app

    app.control.purge()
    worker = WorkerProcess(worker_environment()).start()
    time.sleep(0.5)
    yield worker
    worker.stop()


def wait_until(predicate, *, timeout: float = 15.0, interval: float = 0.05):
    """Poll ``predicate`` until it returns a truthy value or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
