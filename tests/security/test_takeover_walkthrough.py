"""End to end in headless Chromium (issue #12): the takeover tried through the web pages is refused at each step;
the two legitimate ways in work: an invitation from the OCOP office, and the one-time code sent to the phone on
record, which the producer's existing account and the office are told about and the office suspends in one click.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from catalog.accounts.models import ProducerTie
from catalog.accounts.tests.fixtures import code_in
from catalog.tests.fixtures import sent_mail
from ocop.messaging.sms import LoggingBackend
from ocop.outbox import services as outbox

PHONE_ON_RECORD = "0262 3812 345"  # printed on every scan page of the producer's products
PASSWORD = "Cafe-Robusta-2026"


def sign_in(page, base, username, password):
    page.goto(base + "/portal/applications/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


def register(page, base, *, username, email):
    page.goto(base + "/portal/applications/register/")
    page.fill("input[name=registration_number]", "6000123456")
    page.fill("input[name=producer_name]", "HTX Cà phê Buôn Ma Thuột")
    page.check("input[name=channel][value=sms]")
    page.fill("input[name=email]", email)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#register-form button[type=submit]")


def last_code_sent_to(phone_digits: str) -> str:
    """The code the phone on record received (the logging SMS backend keeps what it sent)."""
    outbox.drain()
    return code_in([message for message in LoggingBackend.sent if message["to"] == phone_digits][-1]["text"])


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_takeover_is_refused_and_the_invitation_and_the_code_on_record_work(
    live_server,
    open_browser_page,
    producer,
    office_user,
    sms_messages,
):
    producer.phone = PHONE_ON_RECORD
    producer.save()
    base = live_server.url
    office, owner, accountant, attacker = (open_browser_page() for _ in range(4))

    # (1) The office invites the producer; the link in the e-mail opens an account tied to it.
    sign_in(office, base, "office", "pw-office-123")
    office.goto(base + "/portal/applications/staff/invite/")
    office.select_option("select[name=producer]", str(producer.pk))
    office.fill("input[name=email]", "chu@htx.vn")
    office.click("main form button[type=submit]")
    link = re.search(r"https?://\S+/invitation/\S+/", sent_mail()[-1].body).group(0)
    owner.goto(base + link.split("127.0.0.1:8000", 1)[-1])
    owner.fill("input[name=username]", "chu-htx")
    owner.fill("input[name=password]", PASSWORD)
    owner.click("main form button[type=submit]")
    sign_in(owner, base, "chu-htx", PASSWORD)
    assert owner.url.endswith("/portal/")  # a producer lands on its portal
    assert ProducerTie.objects.get(user__username="chu-htx").via == ProducerTie.Via.INVITATION

    # (2) A second account of the producer: the code goes to the phone on record, is entered, the account opens.
    register(accountant, base, username="ke-toan-htx", email="ketoan@htx.vn")
    assert accountant.url.endswith("/portal/applications/register/code/")
    assert "••• 345" in accountant.locator("#code-sent").inner_text()
    accountant.fill("input[name=code]", last_code_sent_to("02623812345"))
    accountant.click("#code-form button[type=submit]")
    sign_in(accountant, base, "ke-toan-htx", PASSWORD)
    assert accountant.url.endswith("/portal/")

    # the existing account and the office are told
    owner.goto(base + "/portal/applications/notices/")
    assert "ke-toan-htx" in owner.locator("#notices").inner_text()
    office.goto(base + "/portal/applications/notices/")
    assert "ke-toan-htx" in office.locator("#notices").inner_text()

    # and the office suspends it in one click: the account stops acting for the producer at once
    tie = ProducerTie.objects.get(user__username="ke-toan-htx")
    office.goto(base + "/portal/applications/staff/accounts/")
    office.click(f"#tie-{tie.pk} button.suspend")
    tie.refresh_from_db()
    assert not tie.active and tie.suspended_by == office_user
    assert "office" in office.locator(f"#tie-{tie.pk}").inner_text()
    assert accountant.goto(base + "/portal/lots/").status == 403

    # (3) The takeover: public registration number + public phone, tried through the pages.
    register(attacker, base, username="mao-danh", email="attacker@mail.example")
    assert attacker.locator("input[name=phone]").count() == 0  # no typed phone or e-mail is matched any more
    assert attacker.url.endswith("/register/code/")  # the code went to the phone on record, not to the attacker
    right = last_code_sent_to("02623812345")
    for guess in range(5):
        attacker.fill("input[name=code]", f"{(int(right) + 1 + guess) % 10**6:06d}")
        attacker.click("#code-form button[type=submit]")
    assert attacker.locator("#code-locked").is_visible()
    assert attacker.locator("#code-form").count() == 0

    sign_in(attacker, base, "mao-danh", PASSWORD)
    assert attacker.url.endswith("/portal/applications/login/")  # no such account
    attacker.goto(base + "/portal/lots/")
    assert "/portal/applications/login/" in attacker.url
    register(attacker, base, username="mao-danh-2", email="attacker@mail.example")
    assert attacker.url.endswith("/portal/applications/register/")  # locked for the producer for a day
    assert attacker.locator(".errorlist").count() == 1
    assert not get_user_model().objects.filter(username__startswith="mao-danh").exists()

    office.goto(base + "/portal/applications/notices/")
    assert "mao-danh" in office.locator("#notices").inner_text()
