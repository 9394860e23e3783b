"""Abuse limits on consumer reports that punish the abuser, not the province (issue #14): refused submissions
count only towards a short window, accepted reports towards the daily allowance, per client address as our own
proxy vouches for it (a forged X-Forwarded-For entry changes nothing; the proxy's address is not the client's)."""

import time

import pytest

from traceability.oversight import abuse
from traceability.oversight.models import Report

pytestmark = pytest.mark.django_db

PROXY = "172.18.0.5"  # deploy/compose's nginx, as the app sees it


@pytest.fixture
def limits(oversight_settings):
    oversight_settings.OVERSIGHT_REPORT_RATE_LIMITS = ["20/86400"]
    oversight_settings.OVERSIGHT_REPORT_FAILURE_LIMITS = ["10/600"]
    oversight_settings.TRUSTED_PROXY_COUNT = 1
    return oversight_settings


def behind_proxy(client_ip: str, forged: str = "") -> dict:
    """What deploy/compose's nginx sends: the client's own entries (if any), then the address it saw."""
    return {"address": PROXY, "HTTP_X_FORWARDED_FOR": f"{forged}, {client_ip}" if forged else client_ip}


def test_junk_from_one_client_behind_the_proxy_blocks_neither_others_nor_its_daily_allowance(
    send_report, limits, fresh_address
):
    abuser = fresh_address()
    junk = [send_report({"text": ""}, **behind_proxy(abuser, forged=f"10.0.0.{n}")).status_code for n in range(21)]

    others = [send_report({"text": f"Báo cáo {n}"}, **behind_proxy(fresh_address())).status_code for n in range(3)]

    assert junk[:10] == [200] * 10 and set(junk[10:]) == {429}  # the abuser waits (10 minutes at most)
    assert others == [302] * 3 and Report.objects.count() == 3  # everyone else is served
    # the abuser's daily allowance of accepted reports is untouched: only the short window is spent
    assert not abuse.is_limited(abuser, now=time.time() + 601)


def test_only_accepted_reports_count_towards_the_daily_limit(send_report, limits, fresh_address):
    limits.OVERSIGHT_REPORT_RATE_LIMITS = ["3/86400"]
    client = behind_proxy(fresh_address())
    failed = [send_report({"text": ""}, **client).status_code for _ in range(5)]

    accepted = [send_report({"text": f"Báo cáo {n}"}, **client).status_code for n in range(4)]

    assert failed == [200] * 5
    assert accepted == [302, 302, 302, 429] and Report.objects.count() == 3


def test_a_wrong_answer_counts_as_a_failure_not_as_a_report(send_report, limits, fresh_address):
    limits.OVERSIGHT_REPORT_FAILURE_LIMITS = ["2/600"]
    client = behind_proxy(fresh_address())

    wrong = [send_report(answer="999", **client).status_code for _ in range(3)]

    assert wrong == [200, 200, 429] and not Report.objects.exists()


def test_the_failure_window_ends_and_the_client_may_report_again(fresh_address):
    address = fresh_address()
    now = 1_800_000_000.0
    for _ in range(10):
        abuse.count(address, abuse.FAILED, now=now)

    assert abuse.is_limited(address, now=now)
    assert not abuse.is_limited(address, now=now + 600)
