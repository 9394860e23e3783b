"""The GraphQL endpoint (``/graphql/``): graphene-django's view with the platform's limits.

Before anything else a client is counted against ``GRAPHQL_RATE_LIMIT`` (per client address, ``ocop.client``);
over it the answer is a 429 with ``Retry-After``. The document is bounded in size before parsing and validated
against the limits alone, then GraphQL's own rules, before any resolver runs. An error the caller did not
cause (anything but a
``GraphQLError`` raised on purpose) is logged and answered with a generic message: no internal text leaves.
GraphiQL is served from our own static files, under a Content-Security-Policy that allows nothing else.
"""

import logging
import secrets

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from graphene_django.views import GraphQLView
from graphql import ExecutionResult, GraphQLError

from ocop.client import client_address

from .limits import refusal

logger = logging.getLogger(__name__)

#: GraphiQL needs inline styles (its editor) and fonts as data: URLs; scripts only ours and the page's nonce.
GRAPHIQL_CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'; object-src 'none'"
)


def over_rate_limit(request) -> int | None:
    """Count this request for its client; seconds until the window ends when over ``GRAPHQL_RATE_LIMIT``."""
    usage = get_usage(
        request,
        group="graphql",
        key=lambda _group, _request: client_address(request),
        rate=settings.GRAPHQL_RATE_LIMIT,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(int(usage["time_left"]), 1)


class LimitedGraphQLView(GraphQLView):
    graphiql_template = "api/graphiql.html"

    def dispatch(self, request, *args, **kwargs):
        wants_page = request.method == "GET" and self.graphiql and self.can_display_graphiql(request, request.GET)
        if not wants_page:
            wait = over_rate_limit(request)
            if wait:
                message = _("Too many requests to the API from your address: try again in %(seconds)d seconds.")
                response = JsonResponse({"errors": [{"message": message % {"seconds": wait}}]}, status=429)
                response["Retry-After"] = str(wait)
                return response
        return super().dispatch(request, *args, **kwargs)

    def render_graphiql(self, request, **data):
        nonce = secrets.token_urlsafe(16)
        response = super().render_graphiql(request, **data, csp_nonce=nonce)
        response["Content-Security-Policy"] = GRAPHIQL_CSP.format(nonce=nonce)
        return response

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        if query:
            errors = refusal(self.schema.graphql_schema, query)
            if errors:
                return ExecutionResult(data=None, errors=errors)
        # What passed the limits is then validated by GraphQL's own rules only (graphene's default: validation_rules
        # is None); graphene answers an empty query before validating anything.
        return super().execute_graphql_request(request, data, query, variables, operation_name, show_graphiql)

    @staticmethod
    def format_error(error):
        """The error as the caller sees it, with an Apollo-style ``extensions.code``: ``BAD_USER_INPUT`` (an
        argument), ``GRAPHQL_VALIDATION_FAILED`` (the document: syntax, schema, limits), or
        ``INTERNAL_SERVER_ERROR`` with a generic message (anything not raised on purpose; logged)."""
        if (
            isinstance(error, GraphQLError)
            and error.original_error is not None
            and not isinstance(error.original_error, GraphQLError)
        ):
            logger.error("GraphQL resolver failed", exc_info=error.original_error)
            error = GraphQLError(
                _("The server could not answer this query."),
                error.nodes,
                path=error.path,
                extensions={"code": "INTERNAL_SERVER_ERROR"},
            )
        formatted = GraphQLView.format_error(error)
        if isinstance(error, GraphQLError) and not error.path:
            formatted.setdefault("extensions", {}).setdefault("code", "GRAPHQL_VALIDATION_FAILED")
        return formatted
