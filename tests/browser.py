"""Headless Chromium for end-to-end tests: Debian's /usr/bin/chromium driven by Playwright, never a
browser Playwright downloads. Use with ``live_server`` (and so a transactional database)."""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_browser_page(settings, monkeypatch):
    """Returns ``open_page(locale=..., viewport=..., mobile=..., **context_options)`` giving a fresh page in its own
    context (options go to Playwright's ``new_context``, e.g. ``storage_state``)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # The live server's request threads must not keep connections open past the test.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    # The live server speaks plain http: cookies must not be Secure-only for the session and CSRF.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        contexts = []

        def open_page(*, locale: str = "vi-VN", viewport: dict = PHONE, mobile: bool = False, **context_options):
            context = browser.new_context(
                locale=locale, viewport=viewport, is_mobile=mobile, has_touch=mobile, **context_options
            )
            contexts.append(context)
            page = context.new_page()
            page.set_default_timeout(15000)
            return page

        yield open_page
        for context in contexts:
            context.close()
        browser.close()
        # The test body ran inside Playwright's greenlet, with database connections of its own: close them here.
        connections.close_all()


@pytest.fixture
def browser_page(open_browser_page):
    """A Vietnamese phone-sized page."""
    return open_browser_page()
