"""Account takeover (issue #12): each attack tried against the real pages, and refused.

The attacker knows what is public: the producer's registration number (GraphQL, registry pages) and its phone
(printed on every scan page). Before the fix, posting both to the registration page opened an account acting for
the producer at once, which could issue serials and print label sheets of its 5★ product.
"""

import datetime
import io
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from catalog.accounts import services as accounts
from catalog.accounts.models import ProducerTie, TieCode
from catalog.accounts.tests.fixtures import code_in
from catalog.applications.models import Notice
from catalog.models import AuditLogEntry, Membership
from catalog.tests.fixtures import sent_mail
from ocop.outbox.models import OutboxEvent
from traceability.models import IssuanceJob, LabelSheetJob, Lot

PUBLIC_PHONE = "0262 3812 345"
REGISTER = "/portal/applications/register/"
CODE = "/portal/applications/register/code/"
RESEND = "/portal/applications/register/code/resend/"
TIES = "/portal/applications/staff/accounts/"


@pytest.fixture
def public_producer(producer):
    """The fixtures' producer, with the phone that every scan page of its products shows."""
    producer.phone = PUBLIC_PHONE
    producer.email = "htx@coop.vn"
    producer.save()
    return producer


def attacker_form(**overrides):
    form = {
        "registration_number": "6000123456",
        "producer_name": "HTX Cà phê Buôn Ma Thuột",
        # The old form matched this phone against the registry; it is public, so it proves nothing.
        "phone": PUBLIC_PHONE,
        "channel": "sms",
        "email": "attacker@mail.example",
        "username": "impostor",
        "password": "Cafe-Robusta-2026",
    }
    return {**form, **overrides}


def wrong_code(right: str) -> str:
    return f"{(int(right) + 1) % 10**6:06d}"


def test_the_public_number_and_phone_open_no_account(client, public_producer, sms_messages):
    # when the attacker registers with the public registration number and phone
    response = client.post(REGISTER, attacker_form(), follow=True)

    # then no account exists and nothing acts for the producer: a code went to the phone ON RECORD only
    assert response.redirect_chain[-1][0] == CODE
    assert not get_user_model().objects.filter(username="impostor").exists()
    assert not Membership.objects.filter(producer=public_producer).exists()
    messages = sms_messages()
    assert [message["to"] for message in messages] == ["02623812345"]
    assert code_in(messages[0]["text"]) not in response.content.decode()  # the page shows only "••• 345"
    assert "••• 345" in response.content.decode()

    # and signing in with the chosen name and password fails; the producer's lots stay closed
    login = client.post("/portal/applications/login/", {"username": "impostor", "password": "Cafe-Robusta-2026"})
    assert login.status_code == 200 and "_auth_user_id" not in client.session
    assert client.get("/portal/lots/").status_code == 302


def test_the_code_never_goes_to_an_address_the_visitor_types(client, public_producer, sms_messages):
    # when the attacker asks for the code by e-mail, typing their own address
    client.post(REGISTER, attacker_form(channel="email"))

    # then it goes to the producer's e-mail on record, and the attacker gets nothing
    delivered = sent_mail()
    assert [message.to for message in delivered] == [["htx@coop.vn"]]
    assert sms_messages() == []


def test_a_producer_without_that_contact_on_record_gets_no_code_and_is_sent_to_the_office(client, producer):
    response = client.post(REGISTER, attacker_form())

    assert response.status_code == 200
    assert "ask the OCOP office" in response.content.decode()
    assert not TieCode.objects.exists() and not OutboxEvent.objects.exists()


def test_guessing_the_code_locks_the_request_after_five_tries(client, public_producer, sms_messages, office_user):
    client.post(REGISTER, attacker_form())
    right = code_in(sms_messages()[-1]["text"])

    # when the attacker tries five wrong codes
    answers = [client.post(CODE, {"code": wrong_code(right)}) for _ in range(5)]

    # then the fifth locks the request, says what to do next, and even the right code opens nothing after
    assert "4 tries left" in answers[0].content.decode()
    locked = answers[-1].content.decode()
    assert "this request is locked" in locked and "ask the OCOP office" in locked
    client.post(CODE, {"code": right})
    assert not get_user_model().objects.filter(username="impostor").exists()
    challenge = TieCode.objects.get()
    assert challenge.attempts == 5 and challenge.locked_at is not None and challenge.code_hash == ""

    # and the office is told, and new code requests for the producer are refused for a day
    notice = Notice.objects.get(user=office_user, key="accounts.code_locked.office")
    assert "impostor" in notice.message
    again = client.post(REGISTER, attacker_form(username="impostor2"))
    assert "locked for a day" in again.content.decode()
    assert TieCode.objects.count() == 1


def test_the_lock_message_is_in_vietnamese_too(client, public_producer, sms_messages):
    client.post(REGISTER, attacker_form())
    right = code_in(sms_messages()[-1]["text"])
    for _ in range(4):
        client.post(CODE, {"code": wrong_code(right)})

    answer = client.post(CODE, {"code": wrong_code(right)}, HTTP_ACCEPT_LANGUAGE="vi")

    with translation.override("vi"):
        expected = str(accounts.ASK_THE_OFFICE)
    with translation.override("en"):
        english = str(accounts.ASK_THE_OFFICE)
    assert expected in answer.content.decode() and expected != english


def test_asking_for_a_new_code_keeps_the_wrong_tries(client, public_producer, sms_messages):
    client.post(REGISTER, attacker_form())
    first = code_in(sms_messages()[-1]["text"])
    for _ in range(3):
        client.post(CODE, {"code": wrong_code(first)})

    # a new code is refused within the minute, then sent; it replaces the first
    assert "Wait a minute" in client.post(RESEND, follow=True).content.decode()
    TieCode.objects.update(last_sent_at=timezone.now() - datetime.timedelta(minutes=2))
    client.post(RESEND)
    second = code_in(sms_messages()[-1]["text"])

    # and two more wrong codes lock it: the counter was not reset
    client.post(CODE, {"code": wrong_code(second)})
    answer = client.post(CODE, {"code": wrong_code(second)})
    assert "this request is locked" in answer.content.decode()
    assert TieCode.objects.get().sends == 2


def test_no_more_than_three_codes_are_sent_for_one_request(client, public_producer, sms_messages):
    client.post(REGISTER, attacker_form())
    for _ in range(3):
        TieCode.objects.update(last_sent_at=timezone.now() - datetime.timedelta(minutes=2))
        client.post(RESEND)

    assert TieCode.objects.get().sends == 3
    assert len(sms_messages()) == 3


def test_an_expired_code_is_refused(client, public_producer, sms_messages):
    client.post(REGISTER, attacker_form())
    right = code_in(sms_messages()[-1]["text"])
    TieCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    answer = client.post(CODE, {"code": right})

    assert "This code has expired" in answer.content.decode()
    assert not get_user_model().objects.filter(username="impostor").exists()


def test_only_a_keyed_hash_of_the_code_is_stored_and_the_code_is_never_logged(
    client,
    public_producer,
    sms_messages,
    caplog,
    settings,
):
    settings.DEBUG = False
    with caplog.at_level(logging.DEBUG):
        client.post(REGISTER, attacker_form())
        code = code_in(sms_messages()[-1]["text"])

    challenge = TieCode.objects.get()
    stored = " ".join(str(getattr(challenge, field.attname)) for field in TieCode._meta.concrete_fields)
    assert code not in stored and challenge.code_hash == accounts.code_hash(challenge, code)
    assert challenge.password.startswith("pbkdf2_") or challenge.password.startswith("argon2")
    assert all(code not in str(event.payload) for event in OutboxEvent.objects.all())
    assert all(code not in record.getMessage() for record in caplog.records)


def test_the_right_code_ties_the_account_and_the_producer_and_office_are_told(
    client,
    public_producer,
    sms_messages,
    producer_user,
    office_user,
):
    # when the producer's owner registers and enters the code its phone received
    client.post(REGISTER, attacker_form(username="owner-2"))
    client.post(CODE, {"code": code_in(sms_messages()[-1]["text"])})

    # then the account acts for the producer, tied through the code
    tie = ProducerTie.objects.get(user__username="owner-2")
    assert tie.via == ProducerTie.Via.CODE and tie.producer == public_producer and tie.active

    # and the producer's existing account and the office get a notice, in the reader's language
    for user in (producer_user, office_user):
        notice = Notice.objects.get(user=user, key__startswith="accounts.tied")
        with translation.override("vi"):
            in_vietnamese = notice.message
        with translation.override("en"):
            in_english = notice.message
        assert "owner-2" in in_vietnamese and "owner-2" in in_english and in_vietnamese != in_english
    assert any("owner-2" in message.body for message in sent_mail())


def test_the_office_suspends_a_new_tie_in_one_click_and_it_stops_at_once(
    client,
    public_producer,
    sms_messages,
    office_user,
):
    client.post(REGISTER, attacker_form(username="owner-2"))
    client.post(CODE, {"code": code_in(sms_messages()[-1]["text"])})
    tie = ProducerTie.objects.get(user__username="owner-2")
    new_account = tie.user

    client.force_login(office_user)
    page = client.get(TIES).content.decode()
    assert f'id="tie-{tie.pk}" class="young"' in page and f"/staff/accounts/{tie.pk}/suspend/" in page
    client.post(f"/portal/applications/staff/accounts/{tie.pk}/suspend/")

    tie.refresh_from_db()
    assert not tie.active and tie.suspended_by == office_user and tie.suspended_at is not None
    assert AuditLogEntry.objects.filter(action="producer.account_suspended", actor=office_user).exists()
    client.force_login(new_account)
    assert client.get("/portal/lots/").status_code == 403
    assert Notice.objects.filter(user=new_account, key="accounts.suspended").exists()


def test_only_the_office_may_suspend_and_only_by_a_protected_post(client, producer_user, office_user, producer):
    tie = accounts.tie_account(user=producer_user, producer=producer, via=ProducerTie.Via.INVITATION)
    url = f"/portal/applications/staff/accounts/{tie.pk}/suspend/"

    client.force_login(producer_user)
    assert client.post(url).status_code == 403
    assert client.get(TIES).status_code == 403

    client.force_login(office_user)
    assert client.get(url).status_code == 405
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(office_user)
    assert strict.post(url).status_code == 403
    tie.refresh_from_db()
    assert tie.active


@pytest.fixture
def new_account(public_producer, client, sms_messages, certify, product):
    """An account tied through a code minutes ago, for a 5★ product with a lot of 2,000 units."""
    certify(product, stars=5)
    client.post(REGISTER, attacker_form(username="new-owner"))
    client.post(CODE, {"code": code_in(sms_messages()[-1]["text"])})
    user = get_user_model().objects.get(username="new-owner")
    client.force_login(user)
    return user


@pytest.fixture
def big_lot(product, office_user):
    from traceability import services

    return services.create_lot(
        product=product, number="L-5STAR", produced_on=datetime.date(2026, 11, 1), quantity=2000, actor=office_user
    )


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr("traceability.services.lots._queue", lambda name, *args: sent.append((name, *args)))
    return sent


def test_a_young_account_prints_no_label_sheet_and_issues_no_large_batch_without_the_office(
    client,
    new_account,
    big_lot,
    queued,
    office_user,
    issue,
    django_capture_on_commit_callbacks,
):
    issue(big_lot, 2)

    # a label sheet waits for the office
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portal/lots/{big_lot.pk}/labels/")
    sheet = LabelSheetJob.objects.get(lot=big_lot)
    assert sheet.status == LabelSheetJob.Status.HELD and queued == []

    # serials: up to the threshold at once they are issued; beyond it (counted since the tie) they wait
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portal/lots/{big_lot.pk}/issuance/", {"count": "600"})
        client.post(f"/portal/lots/{big_lot.pk}/issuance/", {"count": "401"})
    small, large = IssuanceJob.objects.filter(created_by=new_account).order_by("pk")
    assert small.status == IssuanceJob.Status.PENDING and large.status == IssuanceJob.Status.HELD
    assert queued == [("issue_serials", small.pk)]

    # and the codes in bulk are not handed out either
    zipped = client.get(f"/portal/lots/{big_lot.pk}/qr.zip")
    assert zipped.status_code == 302
    assert Notice.objects.filter(user=office_user, key="traceability.held.office").count() == 2


def test_the_office_approves_or_refuses_what_a_young_account_asked_for(
    client,
    new_account,
    big_lot,
    queued,
    office_user,
    issue,
    django_capture_on_commit_callbacks,
):
    issue(big_lot, 2)
    client.post(f"/portal/lots/{big_lot.pk}/labels/")
    client.post(f"/portal/lots/{big_lot.pk}/issuance/", {"count": "1500"})
    sheet = LabelSheetJob.objects.get(lot=big_lot)
    serials = IssuanceJob.objects.get(created_by=new_account)

    # the young account cannot approve its own requests
    assert client.post(f"/trace/approvals/labels/{sheet.pk}/approve/").status_code == 403

    client.force_login(office_user)
    page = client.get("/trace/approvals/").content.decode()
    assert f'id="held-labels-{sheet.pk}"' in page and f'id="held-serials-{serials.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/trace/approvals/labels/{sheet.pk}/approve/")
        client.post(f"/trace/approvals/serials/{serials.pk}/refuse/")

    sheet.refresh_from_db()
    serials.refresh_from_db()
    assert sheet.status == LabelSheetJob.Status.PENDING and ("build_label_sheet", sheet.pk) in queued
    assert serials.status == IssuanceJob.Status.FAILED and ("issue_serials", serials.pk) not in queued
    assert AuditLogEntry.objects.filter(action="labels.approved", actor=office_user).exists()
    assert set(
        Notice.objects.filter(user=new_account, key__startswith="traceability.held").values_list("key", flat=True)
    ) == {"traceability.held.approved", "traceability.held.refused"}
    # the producer reads the refusal in its own language, and the figures the Vietnamese way
    client.force_login(new_account)
    vi = client.get(f"/portal/lots/{big_lot.pk}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    en = client.get(f"/portal/lots/{big_lot.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Bị Văn phòng Điều phối OCOP từ chối." in vi and "Refused by the OCOP office." in en
    assert "0/1.500" in vi and "0/1.500" in en


def test_the_staff_api_holds_a_young_producer_account_too(new_account, big_lot, queued):
    """The gate is in the service: whatever calls ``start_issuance`` gets it."""
    from traceability import services

    job = services.start_issuance(lot=Lot.objects.get(pk=big_lot.pk), count=1001, actor=new_account)

    assert job.status == IssuanceJob.Status.HELD and queued == []


def test_after_its_probation_an_account_prints_without_approval(client, new_account, big_lot, queued, issue):
    issue(big_lot, 2)
    long_ago = timezone.now() - datetime.timedelta(days=8)
    get_user_model().objects.filter(pk=new_account.pk).update(date_joined=long_ago)
    ProducerTie.objects.filter(user=new_account).update(tied_at=long_ago)

    client.post(f"/portal/lots/{big_lot.pk}/labels/")
    client.post(f"/portal/lots/{big_lot.pk}/issuance/", {"count": "1500"})

    assert LabelSheetJob.objects.get(lot=big_lot).status == LabelSheetJob.Status.PENDING
    assert IssuanceJob.objects.get(created_by=new_account).status == IssuanceJob.Status.PENDING


def test_an_invitation_from_the_office_ties_the_account_and_is_announced(
    client,
    office_user,
    public_producer,
    producer_user,
    django_capture_on_commit_callbacks,
):
    client.force_login(office_user)
    client.post("/portal/applications/staff/invite/", {"producer": public_producer.pk, "email": "chu@htx.vn"})
    link = next(line for line in sent_mail()[-1].body.splitlines() if "/invitation/" in line)
    client.logout()

    client.post(link.split("127.0.0.1:8000", 1)[-1], {"username": "invited", "password": "Cafe-Robusta-2026"})

    tie = ProducerTie.objects.get(user__username="invited")
    assert tie.via == ProducerTie.Via.INVITATION and tie.tied_by == office_user
    assert Notice.objects.filter(user=producer_user, key="accounts.tied.producer").exists()


def test_the_demo_refuses_to_run_outside_development(settings, db):
    settings.DEBUG = False

    for command in ("load_demo", "load_demo_points"):
        with pytest.raises(CommandError, match="DJANGO_DEBUG"):
            call_command(command, stdout=io.StringIO())

    assert not get_user_model().objects.filter(username="admin").exists()
