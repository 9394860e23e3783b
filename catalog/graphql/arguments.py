"""Checks of the GraphQL API's arguments: a value the API cannot use is a ``BadInput`` error naming the argument
and what it accepts (translated), raised before any query runs, never a database error's text. Its
``extensions.code`` is ``BAD_USER_INPUT`` (as Apollo and GraphQL clients expect): the caller's mistake."""

from django.utils.translation import gettext as _
from graphql import GraphQLError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_OFFSET = 10_000
MAX_CODE_LENGTH = 50
_MAX_ID = 2**63 - 1  # PostgreSQL bigint


class BadInput(GraphQLError):
    def __init__(self, message: str):
        super().__init__(message, extensions={"code": "BAD_USER_INPUT"})


def page_size_message() -> str:
    return _("'first' must be between 1 and %(limit)d.") % {"limit": MAX_PAGE_SIZE}


def offset_message() -> str:
    return _("'offset' must be between 0 and %(limit)d.") % {"limit": MAX_OFFSET}


def check_id(name: str, value):
    """An id argument as the integer primary key it names, or None when absent."""
    if value is None:
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= _MAX_ID:
        raise BadInput(_("'%(name)s' must be a positive whole number (an id).") % {"name": name})
    return int(text)


def check_code(name: str, value):
    """A short code (product group, producer kind): printable text of at most ``MAX_CODE_LENGTH`` characters."""
    if value is None or value == "":
        return value
    if len(value) > MAX_CODE_LENGTH or not value.isprintable():
        raise BadInput(
            _("'%(name)s' must be a code of at most %(limit)d printable characters.")
            % {"name": name, "limit": MAX_CODE_LENGTH}
        )
    return value


def check_stars(name: str, value):
    if value is not None and not 1 <= value <= 5:
        raise BadInput(_("'%(name)s' must be between 1 and 5.") % {"name": name})
    return value
