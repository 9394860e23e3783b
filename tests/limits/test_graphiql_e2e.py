"""GraphiQL renders in a real browser (headless Debian Chromium) from our own static files, under its
Content-Security-Policy: no request leaves the site and the browser reports no policy violation."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_graphiql_renders_without_any_request_to_another_site(live_server, browser_page):
    requests, problems = [], []
    browser_page.on("request", lambda request: requests.append(request.url))
    browser_page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    browser_page.on("response", lambda response: response.status >= 400 and problems.append(response.url))
    browser_page.on("pageerror", lambda error: problems.append(str(error)))

    browser_page.goto(f"{live_server.url}/graphql/")
    browser_page.wait_for_selector(".graphiql-container .graphiql-query-editor", state="visible")

    assert requests and all(url.startswith(live_server.url) for url in requests), requests
    assert not [text for text in problems if "Content Security Policy" in text or "/static/" in text], problems
    assert any("/static/vendor/graphiql/graphiql.min.js" in url for url in requests)
