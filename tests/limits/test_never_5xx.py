"""Whatever a visitor types, the answer is never a 5xx (issue #14): a property-based test (Hypothesis, seeded)
over the storefront search, the scan URLs and the public forms. Before, `?q=-` and `?q=😀` raised a FieldError,
`/q/%00` a DataError and a huge `page=` an out-of-range query."""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: What people and robots type: any text (emoji, punctuation, NUL and other control characters included).
typed = st.text(max_size=300)
numbers = st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str), typed)


@pytest.fixture
def visitor(certified_product):
    """A browser that sees 500s as answers (Django's test client would raise the exception instead)."""
    return Client(raise_request_exception=False)


@EXAMPLES
@given(q=typed, page=numbers, stars=numbers, price=numbers, sort=typed, group=typed)
def test_the_search_never_answers_5xx(visitor, q, page, stars, price, sort, group):
    response = visitor.get(
        "/products/",
        {
            "q": q,
            "page": page,
            "stars": stars,
            "price_min": price,
            "price_max": price,
            "sort": sort,
            "group": group,
            "commune": stars,
        },
    )

    assert response.status_code in (200, 400), (q, page)


@pytest.mark.parametrize("q", ["-", "😀", "...", " ", "—–"])
def test_a_search_of_punctuation_or_emoji_alone_is_a_clear_400(visitor, q):
    response = visitor.get("/products/", {"q": q}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == (200 if q == " " else 400)
    if q != " ":
        assert "Type at least one letter or digit to search" in response.content.decode()


def test_a_page_far_beyond_the_last_is_a_clear_400(visitor):
    response = visitor.get("/products/", {"q": "ca phe", "page": "99999999999999999999"})

    assert response.status_code == 400
    assert "Page: Ensure this value is less than or equal to 400." in response.content.decode()


@EXAMPLES
@given(text=typed)
def test_scan_urls_never_answer_5xx(visitor, text):
    short = visitor.get("/q/" + quote(text, safe=""))
    digital_link = visitor.get("/01/09506000134352/21/" + quote(text, safe=""))
    with_point = visitor.get("/q/0000000000000000", {"sp": text})

    assert short.status_code in (200, 301, 400, 404), text
    assert digital_link.status_code in (200, 301, 400, 404), text
    assert with_point.status_code in (200, 400, 404), text


@EXAMPLES
@given(
    kind=typed,
    text=typed,
    language=typed,
    email=typed,
    phone=typed,
    code=typed,
    path=typed,
    product=numbers,
    answer=numbers,
    challenge=typed,
)
def test_the_public_report_form_never_answers_5xx(
    visitor, kind, text, language, email, phone, code, path, product, answer, challenge
):
    response = visitor.post(
        "/oversight/report/",
        {
            "kind": kind,
            "text": text,
            "language": language,
            "contact_email": email,
            "contact_phone": phone,
            "code": code,
            "path": path,
            "product": product,
            "answer": answer,
            "challenge": challenge,
            "website": "",
        },
    )

    assert response.status_code in (200, 302, 429), response.status_code


@EXAMPLES
@given(email=typed, number=typed)
def test_the_order_lookup_never_answers_5xx(visitor, email, number):
    response = visitor.post("/orders/lookup/", {"email": email, "number": number})

    assert response.status_code in (200, 302, 429), response.status_code
