"""Every page of every role, as a person would open them, in headless Chromium.

With the embedded demo loaded, each role signs in on the one sign-in page and follows the links of its pages
(breadth first, same site, one page of each URL pattern, no downloads, no forms sent), from its home; anonymous
visitors also open the public pages nothing links to (the report form, the scan page in each status, the error
pages). Each page is opened on a desktop (1280 px) and a phone (390 px), in Vietnamese and in English, and must
answer below 400 (or its own error code), scroll only vertically, squeeze no table column narrower than its words,
have no control covered by another element, show no broken image, no text left in the other language (data typed
into the database aside: see checks.py), and break no rule of the Content-Security-Policy. A page whose URL
pattern an earlier role saw in every view is opened only on the desktop in Vietnamese, to follow its links (the
role's own menu pages are always opened in every view). axe-core (npm package, vendored beside this test) checks
each page on a desktop in Vietnamese and on a phone in English, where the screenshots are taken: no serious or
critical violation. The screenshots' folder is printed with a table of the pages and their results (run with
``-s`` to read them).
"""

import io
import re
import tempfile
import time
from collections import defaultdict
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import Resolver404, resolve
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError

from tests.browser import PHONE
from tests.crawl import checks

DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "ocop-demo-2026"
ROLES = {  # demo account → where the role must land after signing in
    None: "/",
    "chuthe": "/portal/",
    "canboxa": "/portal/applications/staff/",
    "vanphong": "/dashboards/ocop/",
    "socongthuong": "/dashboards/sales-points/",
    "diemban": "/points/",
}
#: Pages nothing links to, with the answer they must give.
PUBLIC_EXTRAS = {
    "/oversight/report/": 200,
    "/orders/lookup/": 200,
    "/portal/applications/login/": 200,
    "/portal/applications/register/": 200,
    "/register/": 200,
    "/events/": 200,
    "/no-such-page/": 404,
    "/01/12345678901234": 400,  # a wrong check digit: not a valid code
    "/crawl-server-error/": 500,  # the 500 page, drawn by ocop.errors and served by the test (see _serve_500)
}
ROLE_EXTRAS = {"chuthe": {"/dashboards/ocop/": 403}}
#: Not pages: sign-out and language switch (forms), files, APIs, the Django admin and GraphiQL.
SKIP = re.compile(
    r"^/(admin|graphql|media|static|i18n|api|feeds|healthz|readyz|saleor-app|\.well-known)/|"
    r"/logout/|\.(xlsx|pdf|csv|zip|svg|png|jpe?g|webp|xml|ics)$|/download|/photo|/qr\.|format=|export=|/evidence/"
)
MAX_PAGES = 40  # per role
VIEWS = (("desktop", DESKTOP, "vi"), ("desktop", DESKTOP, "en"), ("phone", PHONE, "vi"), ("phone", PHONE, "en"))
AXE_VIEWS = {("desktop", "vi"), ("phone", "en")}


@dataclass
class Crawl:
    """What the crawl keeps from page to page: images already checked, where screenshots go, time spent by step."""

    shots: Path
    language_arguments: dict
    role: str = ""
    images_seen: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    seconds: dict = field(default_factory=lambda: defaultdict(float))
    started: float = field(default_factory=time.monotonic)

    def clock(self, step: str):
        now = time.monotonic()
        self.seconds[step] += now - self.started
        self.started = now


@dataclass
class Visit:
    role: str
    path: str
    results: dict = field(default_factory=dict)  # (viewport, language) → (status, axe serious+critical or None)


def _pattern(path: str) -> str:
    """One page of each URL pattern: ``/products/12/`` and ``/products/13/`` are the same page to look at."""
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return path


def _load_demo() -> str:
    with override_settings(DEBUG=True), redirect_stdout(io.StringIO()) as out:
        for command in ("load_demo", "load_demo_store", "load_demo_trace", "load_demo_points", "load_demo_programme"):
            call_command(command, stdout=out)
    return out.getvalue()


def _scan_pages(demo_output: str) -> dict[str, int]:
    """The scan page of each status the demo prints (genuine, revoked, expired, unknown), one URL per status."""
    paths = {}
    for status, url in re.findall(r"scan (\w+): (\S+)", demo_output):
        paths.setdefault(status, urlsplit(url).path)
    return {path: 404 if status == "unknown" else 200 for status, path in paths.items()}


def _sign_in(page, base, username) -> str:
    page.goto(base + "/portal/applications/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page.url[len(base) :]


def _links(page, base) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
    found = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(page.url, href)
        if not url.startswith(base):
            continue
        path = url[len(base) :].split("#")[0]
        if not SKIP.search(path):
            found.append(path)
    return found


def _broken_images(page, images_seen) -> list[str]:
    """Images the browser failed to draw; those not loaded yet (lazy, below the fold) are fetched, once each."""
    broken = []
    sources = page.eval_on_selector_all(
        "img", "els => els.map(i => [i.currentSrc || i.src, i.complete, i.complete && i.naturalWidth > 0])"
    )
    for source, complete, drawn in sources:
        if source and complete:
            images_seen[source] = drawn
        elif source and source not in images_seen:
            answer = page.context.request.get(source)
            images_seen[source] = answer.ok and answer.headers.get("content-type", "").startswith("image/")
        if source and not images_seen[source]:
            broken.append(f"broken image {source}")
    return broken


def _serve_500(page, base):
    """The 500 page as ocop.errors draws it, at a URL of its own (the live server has no failing page)."""
    from ocop.errors import server_error

    def fulfil(route):
        language = "en" if "django_language=en" in (route.request.headers.get("cookie") or "") else "vi"
        with translation.override(language):
            answer = server_error(RequestFactory().get("/crawl-server-error/"))
        route.fulfill(status=500, body=answer.content, content_type="text/html; charset=utf-8")

    page.route(base + "/crawl-server-error/", fulfil)


def _open_views(open_browser_page, base, state, crawl):
    views = {}
    for viewport_name, viewport, language in VIEWS:
        page = open_browser_page(
            locale="vi-VN" if language == "vi" else "en-GB",
            viewport=viewport,
            mobile=viewport is PHONE,
            storage_state=state,
        )
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        if (viewport_name, language) in AXE_VIEWS:
            page.context.add_init_script(checks.axe_source())  # run by the driver: the page's CSP does not apply
        page.on("console", lambda message, page=page: _console(message, page, crawl))
        page.on("response", lambda answer: _response(answer, crawl))
        _serve_500(page, base)
        views[(viewport_name, language)] = page
    return views


def _console(message, page, crawl):
    if "Content Security Policy" in message.text:
        crawl.failures.append(f"{crawl.role} {page.url}: CSP violation: {message.text[:160]}")


def _response(answer, crawl):
    if answer.status >= 500 and not answer.url.endswith("/crawl-server-error/"):
        crawl.failures.append(f"{crawl.role}: HTTP {answer.status} on {answer.url}")


def _look(page, key, base, path, expected, crawl) -> tuple[int, int | None]:
    """Opens ``path`` in one view and checks it; returns its status and axe's serious+critical count."""
    clock, viewport, language = crawl.clock, *key
    answer = page.goto(base + path)
    clock("open")
    status = answer.status if answer else 0
    problems = []
    if status != expected and not (expected == 200 and status < 400):
        problems.append(f"HTTP {status} (expected {expected})")
    if status < 500 or expected == 500:
        problems += _problems(page, language, crawl)
    axe_count = None
    if key in AXE_VIEWS and (status < 500 or expected == 500):
        violations = page.evaluate(checks.AXE_RUN)
        axe_count = sum(v["nodes"] for v in violations)
        problems += [f"axe {v['impact']} {v['id']} ×{v['nodes']} at {v['target']}" for v in violations]
        clock("axe")
    where = f"{crawl.role} {path} [{viewport} {language}]"
    crawl.failures += [f"{where}: {problem}" for problem in problems]
    if key in AXE_VIEWS:  # one screenshot on a desktop, one on a phone
        name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "home"
        page.screenshot(path=str(crawl.shots / f"{crawl.role}-{name}-{viewport}-{language}.png"), full_page=True)
        clock("screenshot")
    return status, axe_count


def _problems(page, language, crawl) -> list[str]:
    problems = []
    lang = page.evaluate("document.documentElement.lang")
    if lang != language:
        problems.append(f"page in '{lang}'")
    problems += [problem for problem in (page.evaluate(checks.SIDEWAYS), page.evaluate(checks.CRUSHED)) if problem]
    problems += page.evaluate(checks.COVERED)
    crawl.clock("layout")
    for text in page.evaluate(checks.OTHER_LANGUAGE, crawl.language_arguments[language]):
        problems.append(f"{language} page shows '{text}'")
    crawl.clock("language")
    problems += _broken_images(page, crawl.images_seen)
    crawl.clock("images")
    return problems


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_role_on_desktop_and_phone_in_both_languages(live_server, open_browser_page):
    demo_output = _load_demo()
    base = live_server.url
    crawl = Crawl(
        shots=Path(tempfile.mkdtemp(prefix="ocop-crawl-")),  # kept for a person to look at (pytest's are pruned)
        language_arguments={language: checks.other_language_arguments(language) for language in ("vi", "en")},
    )
    visits, patterns_seen = [], set()  # patterns an earlier role saw in every view
    public = dict(PUBLIC_EXTRAS, **_scan_pages(demo_output))
    for username, home in ROLES.items():
        crawl.role = username or "anonymous"
        crawl.clock("other")
        door = open_browser_page(locale="vi-VN", viewport=DESKTOP)
        if username:
            landed = _sign_in(door, base, username)
            if landed != home:
                crawl.failures.append(f"{crawl.role}: signed in, landed on {landed} instead of {home}")
        views = _open_views(open_browser_page, base, door.context.storage_state(), crawl)
        door.context.close()
        expected = public if username is None else ROLE_EXTRAS.get(crawl.role, {})
        role_visits = _crawl_role(views, base, home, expected, patterns_seen, crawl)
        for page in views.values():
            page.context.close()
        visits += role_visits

    _print_table(visits, crawl)
    assert {visit.role for visit in visits} == {username or "anonymous" for username in ROLES}
    assert not crawl.failures, f"{len(crawl.failures)} problems:\n" + "\n".join(crawl.failures)


def _crawl_role(views, base, home, expected, patterns_seen, crawl) -> list[Visit]:
    """Breadth first from ``home``: the role's menu and its own pages in every view; a page of a pattern an
    earlier role saw in every view only on the desktop in Vietnamese (to follow its links)."""
    crawler = views[("desktop", "vi")]
    queue, seen, seen_here, menu, visits = [home, *expected], set(), set(), [], []
    while queue and len(visits) < MAX_PAGES:
        path = queue.pop(0)
        pattern = _pattern(path)
        if path in seen or (path not in expected and pattern in seen_here):
            continue
        seen.add(path)
        seen_here.add(pattern)
        everywhere = path in expected or path in menu or pattern not in patterns_seen
        visit = Visit(crawl.role, path)
        for key, page in views.items():
            if page is not crawler and not everywhere:
                continue
            try:
                visit.results[key] = _look(page, key, base, path, expected.get(path, 200), crawl)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    break  # a file, not a page
                raise
            if page is crawler:
                if path == home:
                    menu = page.eval_on_selector_all("#site-nav a[href]", "els => els.map(a => a.pathname)")
                queue += [link for link in _links(page, base) if link not in seen]
        if visit.results:
            visits.append(visit)
    patterns_seen.update(_pattern(visit.path) for visit in visits if len(visit.results) == len(VIEWS))
    crawled = {visit.path for visit in visits}
    crawl.failures += [f"{crawl.role}: menu link {link} not crawled" for link in menu if link not in crawled]
    return visits


def _print_table(visits, crawl):
    print(f"\nScreenshots: {crawl.shots}")
    print("Seconds by step: " + ", ".join(f"{step} {seconds:.1f}" for step, seconds in crawl.seconds.items()))
    print(
        "Pages crawled; each cell: HTTP status / axe-core serious+critical violations (– where axe did not run; · where"
        " the page was opened only to follow its links, an earlier role having seen its pattern in every view)"
    )
    columns = [f"{viewport} {language}" for viewport, _size, language in VIEWS]
    width = max(len(visit.path) for visit in visits)
    print(f"{'page':<{width}}  {'role':<12}  " + "  ".join(f"{column:<11}" for column in columns))
    for visit in visits:
        cells = []
        for viewport, _size, language in VIEWS:
            if (viewport, language) not in visit.results:
                cells.append("·")
                continue
            status, axe_count = visit.results[(viewport, language)]
            cells.append(f"{status} / {'–' if axe_count is None else axe_count}")
        print(f"{visit.path:<{width}}  {visit.role:<12}  " + "  ".join(f"{cell:<11}" for cell in cells))
