"""The public GraphQL endpoint and what a request to it may cost (``view``, ``limits``)."""

from .view import LimitedGraphQLView

__all__ = ["LimitedGraphQLView"]
