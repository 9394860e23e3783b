"""What one GraphQL request may cost: validation rules run before any resolver.

- depth: at most ``GRAPHQL_MAX_DEPTH`` levels of fields (``product { certificate { product … } } }`` grows
  exponentially otherwise);
- aliases: at most ``GRAPHQL_MAX_ALIASES`` aliased fields in a document (500 aliases of one field were 4.6 s);
- nodes and cost: fields after expanding fragments (``GRAPHQL_MAX_NODES``), and a cost where each field counts 1
  and a paged field (``first``) multiplies what it selects by its page size (``GRAPHQL_MAX_COST``); a page size
  given by a variable counts as the largest page;
- page size: a literal ``first`` outside 1..``MAX_PAGE_SIZE`` is refused here (the resolver checks variables);
- introspection: refused unless ``DJANGO_DEBUG`` (graphene's ``DisableIntrospection``); introspection fields
  count towards none of the limits above.

The document's size is bounded before parsing (``GRAPHQL_MAX_QUERY_LENGTH`` characters, ``GRAPHQL_MAX_TOKENS``
tokens: ``parse_limited``), and its aliases are counted in its text before it is parsed (``aliases_in_text``):
parsing is the costliest part of a refusal (a document of 200 aliases took 12 ms of CPU to parse and refuse),
and a flood of aliased documents is the cheapest way to make the API work. Messages are for the caller:
translated, naming the limit, never internal text.
"""

import re

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from graphene.validation import DisableIntrospection
from graphql import GraphQLError, ValidationRule, parse, validate
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode, IntValueNode

from catalog.graphql.arguments import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, page_size_message

#: Root fields that return a page (``first``/``offset``): what they select is repeated once per item.
PAGED_FIELDS = {"products", "producers", "certificates"}
TOO_MANY_ALIASES = gettext_lazy("Too many aliases in one query: at most %(limit)d.")
#: What can hold a colon that is not an alias's: block strings, strings and comments (taken out first, as they
#: may hold parentheses too), then argument and variable lists (GraphQL has no parentheses inside them).
_NOT_SELECTIONS = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|#[^\n\r]*')
_ARGUMENT_LISTS = re.compile(r"\([^()]*\)")


def refusal(schema, query: str) -> list[GraphQLError]:
    """Why the document is refused before GraphQL's own validation: too long, too many aliases, unparsable, or over
    a limit."""
    try:
        if aliases_in_text(query) > settings.GRAPHQL_MAX_ALIASES:
            raise GraphQLError(TOO_MANY_ALIASES % {"limit": settings.GRAPHQL_MAX_ALIASES})
        document = parse_limited(query)
    except GraphQLError as error:
        return [error]
    return validate(schema, document, limit_rules())


def aliases_in_text(query: str) -> int:
    """The aliases written in the document, counted in its text without parsing it: outside strings, comments and
    argument lists, a colon can only be an alias's. It is at most what the cost rule counts (fragments count once
    here, once per spread there), but for a document of several operations (their aliases add up here) and for
    aliased introspection fields (which the rule leaves out): neither is what a client of this API needs."""
    if len(query) > settings.GRAPHQL_MAX_QUERY_LENGTH:
        return 0  # refused for its length, without reading it
    return _ARGUMENT_LISTS.sub("", _NOT_SELECTIONS.sub("", query)).count(":")


def parse_limited(query: str):
    """The parsed document, or a ``GraphQLError`` when the text is longer or has more tokens than allowed."""
    if len(query) > settings.GRAPHQL_MAX_QUERY_LENGTH:
        raise GraphQLError(
            _("The query is too long: at most %(limit)d characters.") % {"limit": settings.GRAPHQL_MAX_QUERY_LENGTH}
        )
    try:
        return parse(query, max_tokens=settings.GRAPHQL_MAX_TOKENS)
    except GraphQLError as error:
        if "more than" in error.message and "tokens" in error.message:
            raise GraphQLError(
                _("The query is too long: at most %(limit)d tokens.") % {"limit": settings.GRAPHQL_MAX_TOKENS}
            ) from None
        raise


def _page_size(field: FieldNode) -> int:
    if field.name.value not in PAGED_FIELDS:
        return 1
    for argument in field.arguments or ():
        if argument.name.value == "first":
            if isinstance(argument.value, IntValueNode):
                return max(int(argument.value.value), 1)
            return MAX_PAGE_SIZE  # a variable: the largest page it could ask for
    return DEFAULT_PAGE_SIZE


class _TooBig(Exception):
    pass


class _Measure:
    """Fields, aliases, depth and cost of a selection set; fragments expanded per spread (cycles cut). The walk
    stops once it has seen more selections than any allowed query has: fragments spreading fragments twice
    would otherwise make the walk itself exponential."""

    def __init__(self, context):
        self.context = context
        self.nodes = self.aliases = self.depth = self.visits = 0
        self.max_visits = 4 * settings.GRAPHQL_MAX_NODES

    def cost(self, selection_set, depth=1, seen=frozenset()) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            self.visits += 1
            if self.visits > self.max_visits:
                raise _TooBig
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue  # introspection: allowed (DEBUG) or refused as a whole (DisableIntrospection)
                self.nodes += 1
                self.aliases += selection.alias is not None
                self.depth = max(self.depth, depth)
                inner = self.cost(selection.selection_set, depth + 1, seen) if selection.selection_set else 0
                total += 1 + _page_size(selection) * inner
            elif isinstance(selection, InlineFragmentNode):
                total += self.cost(selection.selection_set, depth, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is not None and name not in seen:
                    total += self.cost(fragment.selection_set, depth, seen | {name})
        return total


class CostLimitRule(ValidationRule):
    """Refuses an operation too deep, with too many fields or aliases, too costly, or with a page out of range."""

    def enter_operation_definition(self, node, *_args):
        measure = _Measure(self.context)
        try:
            cost = measure.cost(node.selection_set)
        except _TooBig:
            measure.nodes = cost = measure.max_visits
        limits = (
            (measure.depth, settings.GRAPHQL_MAX_DEPTH, _("The query is too deep: at most %(limit)d levels.")),
            (measure.aliases, settings.GRAPHQL_MAX_ALIASES, TOO_MANY_ALIASES),
            (measure.nodes, settings.GRAPHQL_MAX_NODES, _("Too many fields in one query: at most %(limit)d.")),
            (
                cost,
                settings.GRAPHQL_MAX_COST,
                _("The query costs too much (%(value)d, at most %(limit)d): ask for smaller pages or fewer fields."),
            ),
        )
        for value, limit, message in limits:
            if value > limit:
                self.report_error(GraphQLError(message % {"value": value, "limit": limit}, node))
                return

    def enter_argument(self, node, *_args):
        literal = isinstance(node.value, IntValueNode)
        if node.name.value == "first" and literal and not 0 < int(node.value.value) <= MAX_PAGE_SIZE:
            self.report_error(GraphQLError(page_size_message(), node))


def limit_rules() -> tuple:
    """The limits, checked alone and once (``refusal``), before GraphQL's own rules: a refused document never
    reaches them (one of them, overlapping fields, compares fields pairwise: 200 aliases cost 35 ms of CPU before
    being refused), and an allowed one is not measured again by them."""
    return (CostLimitRule,) if settings.DEBUG else (CostLimitRule, DisableIntrospection)
