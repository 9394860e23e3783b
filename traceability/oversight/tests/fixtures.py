"""Fixtures of oversight, building on catalog's and traceability's: reports, inspections, proposals."""

import datetime
import io
import itertools
import os
import time

import pytest
from PIL import Image

from traceability.oversight import abuse, services
from traceability.oversight.models import ChecklistItem, Report

_addresses = itertools.count(1)


@pytest.fixture
def oversight_settings(settings):
    """The challenge may be answered at once; generous rate limits (private files: see the root conftest)."""
    settings.OVERSIGHT_CHALLENGE_MIN_SECONDS = 0
    settings.OVERSIGHT_REPORT_RATE_LIMITS = ["1000/600"]
    settings.OVERSIGHT_REPORT_FAILURE_LIMITS = ["1000/600"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


def png_bytes(size=(8, 8), *, noise: bool = False) -> bytes:
    """A real PNG picture; with noise it does not compress (its size grows with its area)."""
    buffer = io.BytesIO()
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 30, 30))
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def fresh_address():
    """A client address of its own for each call, so rate-limit counters of other tests never interfere."""

    def _address() -> str:
        n = next(_addresses) + int(time.time() * 1000) % 1_000_000 * 1000
        return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    return _address


@pytest.fixture
def send_report(client, fresh_address):
    """POST the public report form the way a browser does after a person answered the challenge."""

    def _send(data=None, *, files=None, address=None, challenge=None, answer=None, **extra):
        challenge = challenge or abuse.new_challenge(now=time.time() - 30)
        form = {
            "kind": "counterfeit",
            "text": "Nhãn in mờ, mã QR dán đè.",
            "language": "vi",
            "challenge": challenge.token,
            "answer": str(challenge.answer if answer is None else answer),
        }
        form.update(data or {})
        form.update(files or {})
        response = client.post("/oversight/report/", form, REMOTE_ADDR=address or fresh_address(), **extra)
        response.challenge = challenge
        return response

    return _send


@pytest.fixture
def stored_report(db):
    """Store a report directly through the service (as the form would)."""
    counter = itertools.count(1)

    def _report(*, product=None, kind=Report.Kind.COUNTERFEIT, email="", phone="", text="Hàng giả"):
        report, _ = services.submit_report(
            kind=kind,
            text=text,
            language="vi",
            submission_key=f"test-{next(counter)}-{time.time_ns()}",
            product=product,
            contact_email=email,
            contact_phone=phone,
        )
        return report

    return _report


@pytest.fixture
def all_checks(db):
    """Checklist answers: every point met, except those given as failed."""

    def _checks(*failed):
        return {item.code: ("fail" if item.code in failed else "pass", "") for item in ChecklistItem.objects.all()}

    return _checks


@pytest.fixture
def inspect(office_user, all_checks):
    def _inspect(producer, *, outcome="passed", on=datetime.date(2026, 11, 1), kind="planned", products=()):
        return services.record_inspection(
            producer=producer,
            products=products,
            kind=kind,
            inspected_on=on,
            team="Đoàn kiểm tra tỉnh",
            outcome=outcome,
            checks=all_checks(),
            findings="",
            actor=office_user,
        )

    return _inspect
