"""The SMS adapter (logging backend, eSMS.vn's HTTP API) and notices stored as keys rendered in the reader's
language."""

import json
import logging

import httpx
import pytest
from django.utils import translation

from catalog.applications.models import Notice
from catalog.applications.notices import define, notify, render
from ocop.messaging.sms import EsmsBackend, LoggingBackend, masked, national_number
from ocop.outbox import services as outbox


def esms(handler):
    return EsmsBackend(transport=httpx.MockTransport(handler))


@pytest.fixture
def esms_settings(settings):
    settings.ESMS_API_KEY = "api-key"
    settings.ESMS_SECRET_KEY = "secret-key"
    settings.ESMS_BRANDNAME = "OCOP DAKLAK"
    return settings


def test_esms_gets_its_documented_json_and_an_accepted_answer_gives_the_message_id(esms_settings):
    seen = {}

    def handler(request):
        seen["url"] = str(request.url)
        seen["body"] = json.loads(request.content)
        return httpx.Response(200, json={"CodeResult": "100", "SMSID": "abc-123"})

    message_id = esms(handler).send(to="+84 262 3812 345", text="Mã OCOP: 123456")

    assert message_id == "abc-123"
    assert seen["url"] == esms_settings.ESMS_API_URL
    body = seen["body"]
    assert body["ApiKey"] == "api-key" and body["SecretKey"] == "secret-key"
    assert body["Phone"] == "02623812345" and body["Brandname"] == "OCOP DAKLAK"
    assert body["SmsType"] == "2" and body["IsUnicode"] == "1"  # Vietnamese with diacritics


def test_esms_refusals_are_permanent_and_outages_are_retried(esms_settings):
    refused = esms(lambda request: httpx.Response(200, json={"CodeResult": "101", "ErrorMessage": "bad key"}))
    with pytest.raises(outbox.PermanentDeliveryError, match="101"):
        refused.send(to="0905123456", text="ASCII only")

    for answer in (httpx.Response(503), httpx.Response(200, json={"CodeResult": "99"})):
        with pytest.raises(RuntimeError) as failure:
            esms(lambda request, answer=answer: answer).send(to="0905123456", text="x")
        assert not isinstance(failure.value, outbox.PermanentDeliveryError)


def test_esms_without_keys_sends_nothing(settings):
    settings.ESMS_API_KEY = ""
    calls = []

    with pytest.raises(outbox.PermanentDeliveryError, match="not configured"):
        esms(lambda request: calls.append(request) or httpx.Response(200)).send(to="0905123456", text="x")
    assert calls == []


def test_the_logging_backend_withholds_the_text_outside_development(settings, caplog):
    LoggingBackend.sent.clear()
    settings.DEBUG = False
    with caplog.at_level(logging.INFO, logger="ocop.messaging.sms"):
        LoggingBackend().send(to="0905 123 456", text="code 654321")

    assert "654321" not in caplog.text and "••• 456" in caplog.text
    assert LoggingBackend.sent[-1]["text"] == "code 654321"

    settings.DEBUG = True
    with caplog.at_level(logging.INFO, logger="ocop.messaging.sms"):
        LoggingBackend().send(to="0905 123 456", text="code 111222")
    assert "111222" in caplog.text


def test_numbers_are_dialled_nationally_and_shown_masked():
    assert national_number("+84 905 123 456") == "0905123456"
    assert national_number("0905.123.456") == "0905123456"
    assert masked("0905 123 456") == "••• 456"


SAMPLE = define(
    "tests.sample",
    "Account %(username)s tied on %(tied_at)s (%(via)s).",
    via={"code": "one-time code sent to the contact on record"},
)


def test_a_keyed_notice_is_rendered_in_the_readers_language(office_user):
    [notice] = notify(
        [office_user],
        key="accounts.tied.office",
        params={"username": "owner-2", "producer": "HTX", "via": "code", "tied_at": "2026-11-30T01:05:00+00:00"},
    )

    notice = Notice.objects.get(pk=notice.pk)
    assert notice.text == "" and notice.key == "accounts.tied.office"
    with translation.override("en"):
        english = notice.message
    with translation.override("vi"):
        vietnamese = notice.message
    assert "one-time code sent to the contact on record" in english and "30/11/2026 08:05" in english
    assert "mã xác nhận gửi tới liên hệ đã đăng ký" in vietnamese and "30/11/2026 08:05" in vietnamese


def test_an_unknown_key_shows_as_itself():
    assert render("no.such.key", {"x": 1}) == "no.such.key"
    assert render(SAMPLE, {"username": "a", "tied_at": "2026-01-01T00:00:00+00:00", "via": "code"}) == (
        "Account a tied on 01/01/2026 07:00 (one-time code sent to the contact on record)."
    )
