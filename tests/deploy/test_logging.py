import io
import json
import logging

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.http import HttpResponse

from ocop import logging as ocop_logging


def _json_logger(name):
    """A logger writing through the project's JSON formatter and request-id filter into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ocop_logging.RequestIdFilter())
    handler.setFormatter(ocop_logging.JsonFormatter())
    logger = logging.getLogger(name)
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def _lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_log_line_is_one_json_object_with_level_message_and_extra_fields():
    logger, stream = _json_logger("tests.deploy.plain")

    logger.warning("Sản phẩm %s hết hạn", "Cà phê", extra={"product_id": 42})
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed")

    first, second = _lines(stream)
    assert first["level"] == "WARNING"
    assert first["message"] == "Sản phẩm Cà phê hết hạn"
    assert first["logger"] == "tests.deploy.plain"
    assert first["product_id"] == 42
    assert first["request_id"] is None
    assert "ValueError: boom" in second["exception"]


@pytest.mark.django_db
def test_a_request_returns_the_proxy_request_id_in_its_response(client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123"})

    assert response["X-Request-ID"] == "abc-123"


@pytest.mark.django_db
def test_a_request_without_an_id_or_with_a_malformed_one_gets_a_new_id(client):
    plain = client.get("/healthz")
    hostile = client.get("/healthz", headers={"X-Request-ID": 'x"\n{"level": "forged"}'})

    assert len(plain["X-Request-ID"]) == 32
    assert len(hostile["X-Request-ID"]) == 32
    assert plain["X-Request-ID"] != hostile["X-Request-ID"]


def test_the_request_id_is_on_log_lines_written_during_the_request(rf):
    logger, stream = _json_logger("tests.deploy.view")

    def view(request):
        logger.info("handling")
        return HttpResponse("ok")

    middleware = ocop_logging.RequestIdMiddleware(view)
    middleware(rf.get("/", headers={"X-Request-ID": "req-7"}))
    logger.info("after")

    during, after = _lines(stream)
    assert during["request_id"] == "req-7"
    assert after["request_id"] is None


@pytest.fixture(scope="module")
def _memory_celery_worker():
    # Not the current app: the project's app stays the one shared tasks and later tests send through.
    app = Celery("tests-deploy-logging", broker="memory://", backend="cache+memory://", set_as_current=False)
    app.conf.task_default_queue = "tests-deploy-logging"
    seen = []

    @app.task(name="tests.deploy.record_request_id")
    def record_request_id(then_chain: bool = False):
        seen.append(ocop_logging.current_request_id())
        if then_chain:
            record_request_id.delay()

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield record_request_id, seen
    from ocop.celery import app as project_app

    project_app.set_current()


@pytest.fixture
def memory_celery(_memory_celery_worker):
    """A Celery worker thread on an in-memory broker, with a task recording the request id it runs under."""
    task, seen = _memory_celery_worker
    seen.clear()
    return task, seen


def _wait_for(seen, count):
    import time

    for _ in range(200):
        if len(seen) >= count:
            return
        time.sleep(0.05)


def test_a_task_started_during_a_request_runs_with_that_request_id_and_passes_it_on(rf, memory_celery):
    task, seen = memory_celery

    def view(request):
        task.delay(then_chain=True)
        return HttpResponse("ok")

    ocop_logging.RequestIdMiddleware(view)(rf.get("/", headers={"X-Request-ID": "req-celery-1"}))
    _wait_for(seen, 2)

    assert seen == ["req-celery-1", "req-celery-1"]


def test_a_task_started_outside_a_request_gets_an_id_of_its_own(memory_celery):
    task, seen = memory_celery

    task.delay()
    task.delay()
    _wait_for(seen, 2)

    assert len(seen) == 2
    assert all(seen) and seen[0] != seen[1]
