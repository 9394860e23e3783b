"""Serving the scan page at the code's URI, or redirecting (307) to the default link first: what a tourist on a
slow mobile connection waits, measured in headless Chromium with DevTools network throttling (CDP
``Network.emulateNetworkConditions``).

    .venv/bin/python bench/resolver_redirect.py http://127.0.0.1:8791 /01/08934602001238/10/L1/21/ABCD… [runs]

Start a server on the demo data first (``bin/run``, or ``manage.py runserver``). Each load is a fresh browser
context (no cache, no open connection), as a first scan is. The redirect is the resolver's own
``?linkType=gs1:defaultLink``, a 307 to the page at the same URI. Prints the median and spread of the time to
the page's ``load`` event, per network profile and way of answering.
"""

import statistics
import sys
import time

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
#: DevTools' presets (latency in ms, throughput in bytes/s).
PROFILES = {
    "Slow 3G (2000 ms, 400 kbit/s)": (2000, 400_000 / 8, 400_000 / 8),
    "Fast 3G (562.5 ms, 1.6 Mbit/s)": (562.5, 1_638_400 / 8, 768_000 / 8),
}


def load(browser, url: str, profile: tuple) -> float:
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    latency, down, up = profile
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency, "downloadThroughput": down, "uploadThroughput": up},
    )
    started = time.perf_counter()
    response = page.goto(url, wait_until="load", timeout=120_000)
    elapsed = time.perf_counter() - started
    assert response is not None and response.status == 200, (url, response and response.status)
    context.close()
    return 1000 * elapsed


def main() -> None:
    base, path = sys.argv[1].rstrip("/"), sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    direct = base + path
    redirect = base + path + ("&" if "?" in path else "?") + "linkType=gs1:defaultLink"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for name, profile in PROFILES.items():
            figures = {"page at the URI (200)": [], "307 to the default link": []}
            for _ in range(runs):  # alternate, so a slower moment of a shared machine hits both alike
                figures["page at the URI (200)"].append(load(browser, direct, profile))
                figures["307 to the default link"].append(load(browser, redirect, profile))
            print(name)
            for way, times in figures.items():
                print(
                    f"    {way:26} median {statistics.median(times):6.0f} ms  "
                    f"(min {min(times):.0f}, max {max(times):.0f}; {runs} loads)"
                )
        browser.close()


if __name__ == "__main__":
    main()
