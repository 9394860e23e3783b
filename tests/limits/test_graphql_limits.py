"""What one request to /graphql/ may cost (issue #14): deep, aliased, wide and oversized queries are refused
before any resolver runs, with a message saying which limit; introspection only in development; a per-client
rate limit; every argument checked with a clear message and no internal error text ever returned."""

import pytest

from catalog.graphql import resolvers

pytestmark = pytest.mark.django_db


def post(client, query, variables=None, **extra):
    return client.post(
        "/graphql/", {"query": query, "variables": variables or {}}, content_type="application/json", **extra
    )


def messages(response) -> list[str]:
    return [error["message"] for error in response.json()["errors"]]


def nested(depth: int) -> str:
    """product { certificate { product { certificate … } } } with ``depth`` levels of fields."""
    inner = "id"
    for level in range(depth - 1, 0, -1):
        inner = f"{'product' if level % 2 else 'certificate'} {{ {inner} }}"
    return "{ " + inner.replace("product {", 'product(id: "1") {', 1) + " }"


def test_a_query_deeper_than_the_limit_is_refused_before_it_runs(client, settings, django_assert_num_queries):
    settings.GRAPHQL_MAX_DEPTH = 6
    with django_assert_num_queries(0):
        too_deep = post(client, nested(7))
    allowed = post(client, nested(6))

    assert too_deep.status_code == 400 and messages(too_deep) == ["The query is too deep: at most 6 levels."]
    assert allowed.status_code == 200 and allowed.json() == {"data": {"product": None}}


def test_more_aliases_than_the_limit_are_refused(client, settings, django_assert_num_queries):
    settings.GRAPHQL_MAX_ALIASES = 10
    aliased = "{ " + " ".join(f"a{n}: products {{ totalCount }}" for n in range(200)) + " }"
    with django_assert_num_queries(0):
        response = post(client, aliased)
    ten = post(client, "{ " + " ".join(f"a{n}: products {{ totalCount }}" for n in range(10)) + " }")

    assert response.status_code == 400 and messages(response) == ["Too many aliases in one query: at most 10."]
    assert ten.status_code == 200 and "errors" not in ten.json()


def test_a_flood_of_aliases_is_refused_from_the_text_before_it_is_parsed(client, settings, monkeypatch):
    """Parsing is the costliest part of a refusal (12 ms of CPU for 200 aliases): aliases are counted in the text,
    and colons in strings, comments, arguments and variables are not aliases."""
    from ocop.api import limits

    settings.GRAPHQL_MAX_ALIASES = 10
    parsed = []
    real_parse = limits.parse
    monkeypatch.setattr(limits, "parse", lambda *args, **kwargs: parsed.append(1) or real_parse(*args, **kwargs))
    aliased = "{ " + " ".join(f"a{n}: products {{ totalCount }}" for n in range(200)) + " }"
    ten_with_colons = (
        'query($g: String = "1:1", $n: Int) # note: not an alias\n{ a0: products(group: $g) { totalCount } '
        + " ".join(f'a{n}: products(group: "x:{n}", first: $n) {{ totalCount }}' for n in range(1, 10))
        + " }"
    )

    refused = post(client, aliased)
    allowed = post(client, ten_with_colons, {"n": 2})

    assert refused.status_code == 400 and messages(refused) == ["Too many aliases in one query: at most 10."]
    assert allowed.status_code == 200 and "errors" not in allowed.json()
    assert len(parsed) == 1  # the allowed one only


def test_a_document_over_a_limit_is_refused_before_graphqls_own_rules_compare_its_fields(client, monkeypatch):
    """GraphQL's rule on overlapping fields compares fields pairwise: 200 aliases cost more to check than to refuse.
    The limits run first, alone, and a refused document goes no further."""
    from graphql.validation import OverlappingFieldsCanBeMergedRule

    compared = []
    monkeypatch.setattr(OverlappingFieldsCanBeMergedRule, "enter_selection_set", lambda self, *args: compared.append(1))
    aliased = "{ " + " ".join(f"a{n}: products {{ totalCount }}" for n in range(200)) + " }"

    response = post(client, aliased)
    allowed = post(client, "{ a: products { totalCount } b: products { totalCount } }")

    assert response.status_code == 400 and messages(response) == ["Too many aliases in one query: at most 10."]
    assert allowed.status_code == 200 and compared, "the allowed query is checked by GraphQL's own rules"
    assert len(compared) == 3  # the allowed query's selection sets (its root, a, b), never the refused one's


def test_aliases_hidden_in_fragments_count_too(client, settings):
    settings.GRAPHQL_MAX_ALIASES = 10
    fragment = "fragment F on Query { " + " ".join(f"a{n}: products {{ totalCount }}" for n in range(6)) + " }"

    response = post(client, f"{{ ...F x: products {{ totalCount }} ... on Query {{ ...F }} }} {fragment}")

    assert response.status_code == 400 and messages(response) == ["Too many aliases in one query: at most 10."]


def test_a_wide_page_of_wide_items_is_refused_by_its_cost(client, settings):
    settings.GRAPHQL_MAX_COST = 5000
    fields = "id nameVi nameEn descriptionVi descriptionEn storyVi storyEn gtin packaging shelfLifeDays " * 5
    wide = f"{{ products(first: 100) {{ items {{ {fields} }} }} }}"  # 1 + 100 × (1 + 50) = 5101
    affordable = f"{{ products(first: 90) {{ items {{ {fields} }} }} }}"  # 1 + 90 × 51 = 4591

    response = post(client, wide)

    assert response.status_code == 400
    assert messages(response) == [
        "The query costs too much (5101, at most 5000): ask for smaller pages or fewer fields."
    ]
    assert post(client, affordable).status_code == 200


def test_a_page_size_given_by_a_variable_counts_as_the_largest_page(client, settings):
    settings.GRAPHQL_MAX_COST = 1000
    items = "items { id nameVi nameEn gtin packaging certifiedStars producer { id name } group { code nameVi } }"

    variable = post(client, f"query($n: Int) {{ products(first: $n) {{ {items} }} }}", {"n": 5})  # 1 + 100 × 13
    literal = post(client, f"{{ products(first: 5) {{ {items} }} }}")  # 1 + 5 × 13

    assert variable.status_code == 400 and messages(variable) == [
        "The query costs too much (1301, at most 1000): ask for smaller pages or fewer fields."
    ]
    assert literal.status_code == 200


def test_too_many_fields_are_refused(client, settings):
    settings.GRAPHQL_MAX_NODES = 200
    response = post(client, '{ product(id: "1") { ' + "id " * 300 + "} }")

    assert response.status_code == 400 and messages(response) == ["Too many fields in one query: at most 200."]


def test_a_page_size_out_of_range_is_refused_with_a_clear_message(client):
    literal = post(client, "{ products(first: 1000) { totalCount } }")
    variable = post(client, "query($n: Int) { products(first: $n) { totalCount } }", {"n": 1000})
    offset = post(client, "{ products(offset: 99999999) { totalCount } }")

    assert literal.status_code == 400 and messages(literal) == ["'first' must be between 1 and 100."]
    assert messages(variable) == ["'first' must be between 1 and 100."]
    assert messages(offset) == ["'offset' must be between 0 and 10000."]


def test_an_oversized_document_is_refused_before_parsing(client, settings):
    settings.GRAPHQL_MAX_QUERY_LENGTH = 10_000
    settings.GRAPHQL_MAX_TOKENS = 2_000
    long_comment = post(client, "{ products { totalCount } }\n#" + "x" * 10_001)
    settings.GRAPHQL_MAX_QUERY_LENGTH = 100_000
    many_tokens = post(client, "{ products { totalCount " + "__typename " * 2_500 + "} }")

    assert long_comment.status_code == 400
    assert messages(long_comment) == ["The query is too long: at most 10000 characters."]
    assert messages(many_tokens) == ["The query is too long: at most 2000 tokens."]


INTROSPECTION = "{ __schema { queryType { name } } }"


def test_introspection_is_refused_in_production_and_allowed_in_development(client, settings):
    settings.DEBUG = False
    refused = post(client, INTROSPECTION)
    settings.DEBUG = True
    allowed = post(client, INTROSPECTION)

    assert refused.status_code == 400 and "introspection" in messages(refused)[0].lower()
    assert allowed.status_code == 200 and allowed.json()["data"]["__schema"]["queryType"]["name"] == "Query"


def test_each_client_is_rate_limited_on_its_own(client, settings):
    settings.GRAPHQL_RATE_LIMIT = "3/h"
    query = "{ products { totalCount } }"
    answers = [post(client, query, REMOTE_ADDR="203.0.113.5").status_code for _ in range(4)]
    limited = post(client, query, REMOTE_ADDR="203.0.113.5")
    other = post(client, query, REMOTE_ADDR="198.51.100.9")

    assert answers == [200, 200, 200, 429]
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 3600
    assert messages(limited)[0].startswith("Too many requests to the API from your address")
    assert other.status_code == 200


def test_the_rate_limit_message_is_vietnamese_for_vietnamese_callers(client, settings):
    settings.GRAPHQL_RATE_LIMIT = "1/h"
    post(client, "{ products { totalCount } }")

    limited = post(client, "{ products { totalCount } }", HTTP_ACCEPT_LANGUAGE="vi")

    assert limited.status_code == 429 and "Quá nhiều yêu cầu" in messages(limited)[0]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('{ products(commune: "") { totalCount } }', "'commune' must be a positive whole number (an id)."),
        ('{ products(producer: "abc") { totalCount } }', "'producer' must be a positive whole number (an id)."),
        ('{ product(id: "-1") { id } }', "'id' must be a positive whole number (an id)."),
        ('{ product(id: "99999999999999999999") { id } }', "'id' must be a positive whole number (an id)."),
        ('{ producers(commune: "1.5") { totalCount } }', "'commune' must be a positive whole number (an id)."),
        ('{ products(group: "\\u0000") { totalCount } }', "'group' must be a code of at most 50 printable characters."),
        (
            '{ producers(kind: "' + "x" * 51 + '") { totalCount } }',
            "'kind' must be a code of at most 50 printable characters.",
        ),
        ("{ certificates(minStars: 9) { totalCount } }", "'minStars' must be between 1 and 5."),
    ],
)
def test_bad_arguments_get_a_clear_message_and_no_internal_text(client, query, message):
    response = post(client, query)

    body = response.json()
    assert [error["message"] for error in body["errors"]] == [message]
    assert "expected a number" not in response.content.decode()


def test_an_unexpected_failure_is_not_described_to_the_caller(client, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise ValueError("relation catalog_product: secret internal detail")

    monkeypatch.setattr(resolvers, "resolve_products", broken)

    response = post(client, "{ products { totalCount } }")

    assert messages(response) == ["The server could not answer this query."]
    assert "secret internal detail" not in response.content.decode()
    assert "secret internal detail" in caplog.text  # kept for the operators


def test_graphiql_is_served_from_our_own_files_under_a_content_security_policy(client):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")

    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn." not in html and "https://" not in html
    assert html.count('src="/static/vendor/graphiql/') == 5
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "font-src 'self' data:" in policy
    assert "default-src 'self'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in html


def test_fragments_that_double_at_each_level_are_refused_without_walking_them_all(client, settings):
    """30 fragments each spreading the next twice: 2^30 fields if expanded; refused at once."""
    fragments = " ".join(f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}" for n in range(30))
    query = f"{{ ...F0 }} {fragments} fragment F30 on Query {{ products {{ totalCount }} }}"

    response = post(client, query)

    assert response.status_code == 400 and messages(response) == ["Too many fields in one query: at most 200."]
