"""A short, seeded schemathesis pass over /graphql/ (issue #14): queries generated from the schema, with valid and
invalid arguments, never get a server error — a 5xx, an error from inside a resolver, or internal error text
such as a database message. The schema comes from the code (introspection is off in production)."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from ocop.schema import schema as graphene_schema

SCHEMA = schemathesis.graphql.from_file(str(graphene_schema))
SCHEMA.app = WSGIHandler()
SCHEMA.location = "/graphql/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _app_in_the_test_transaction(settings):
    """Requests go straight to Django's WSGI handler, inside the test's transaction (as Django's test client
    does: connections are not closed at the end of each request); the rate limit is not what is tested."""
    settings.GRAPHQL_RATE_LIMIT = "100000/m"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@SCHEMA.parametrize()
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_generated_queries_never_get_a_server_error(case, certified_product, other_product):
    # A value the schema allows but the API does not (a page of 150) is the caller's error, a 4xx or an error
    # marked BAD_USER_INPUT: only server errors fail here.
    response = case.call_and_validate(checks=[not_a_server_error])

    assert response.status_code < 500
    codes = {error.get("extensions", {}).get("code") for error in response.json().get("errors", [])}
    assert codes <= {"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}, response.text
    assert "expected a number" not in response.text
