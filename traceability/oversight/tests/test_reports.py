"""Consumer reports from the scan page and the product page: where they land, what is refused and kept."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from traceability.identifiers import item_path
from traceability.oversight import abuse
from traceability.oversight.models import Report, ReportEvent
from traceability.oversight.tests.fixtures import png_bytes

pytestmark = pytest.mark.django_db


def test_a_report_from_a_scan_lands_on_the_item_its_lot_and_product(send_report, item, lot, product):
    # given the scan page of an item, with its Digital Link address
    path = item_path(gtin=product.gtin, lot=lot.number, serial=item.serial, expires_on=lot.expires_on)

    # when the visitor reports from it
    response = send_report({"code": item.serial, "path": path, "kind": "quality"})

    # then the report is tied to that serial, lot and product
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.item, report.lot, report.product) == (item, lot, product)
    assert report.source == Report.Source.SCAN and report.status == Report.Status.NEW
    assert report.events.get().action == ReportEvent.Action.RECEIVED


def test_a_report_from_a_short_code_typed_with_hyphens_finds_the_item(send_report, item):
    grouped = "-".join(item.serial[i : i + 4] for i in range(0, 16, 4)).lower()

    send_report({"code": grouped})

    assert Report.objects.get().item == item


def test_an_unknown_code_is_kept_as_scanned_and_the_form_proposes_the_unknown_code_type(client, send_report, db):
    page = client.get("/oversight/report/", {"code": "ZZZZ-9999-FAKE", "path": "/q/ZZZZ-9999-FAKE"})
    assert page.status_code == 200
    assert page.context["form"]["kind"].value() == Report.Kind.UNKNOWN_CODE
    assert b"ZZZZ-9999-FAKE" in page.content

    send_report({"code": "ZZZZ-9999-FAKE", "path": "/q/ZZZZ-9999-FAKE", "kind": "unknown_code"})

    report = Report.objects.get()
    assert report.code == "ZZZZ-9999-FAKE" and report.item is None and report.product is None
    assert report.kind == Report.Kind.UNKNOWN_CODE


def test_a_real_serial_copied_onto_another_lot_is_unknown_but_the_report_reaches_the_product(
    send_report, item, product
):
    # a Digital Link with the product's GTIN, a lot that does not exist, and a genuine serial copied from a label
    path = f"/01/{product.gtin}/10/FAKE-LOT/21/{item.serial}"

    send_report({"code": item.serial, "path": path})

    report = Report.objects.get()
    assert report.item is None and report.lot is None
    assert report.product == product


def test_the_scan_page_offers_the_report_form_with_the_code(client, item, scan_queue):
    page = client.get(f"/q/{item.serial}")
    unknown = client.get("/q/ZZZZ9999XYZW")

    assert b'action="/oversight/report/"' in page.content
    assert b'name="code"' in page.content
    assert b'value="ZZZZ9999XYZW"' in unknown.content
    assert b'name="path" value="/q/ZZZZ9999XYZW"' in unknown.content


def test_the_product_page_links_to_the_report_form_and_the_report_is_tied_to_the_product(
    client, send_report, certified_product
):
    page = client.get(f"/products/{certified_product.pk}/")
    assert f"/oversight/report/?product={certified_product.pk}".encode() in page.content

    send_report({"product": str(certified_product.pk), "kind": "labelling"})

    report = Report.objects.get()
    assert report.product == certified_product and report.source == Report.Source.PRODUCT


def test_the_report_page_has_the_language_switch_and_names_the_product_in_the_readers_language(
    client, certified_product
):
    url = f"/oversight/report/?product={certified_product.pk}"

    vi = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'action="/i18n/setlang/"' in vi and 'name="language" value="en"' in vi
    assert 'action="/i18n/setlang/"' in en and 'name="language" value="vi"' in en
    assert "Cà phê bột Buôn Ma Thuột" in vi and "Buon Ma Thuot ground coffee" in en
    switched = client.post("/i18n/setlang/", {"language": "en", "next": url}, HTTP_ACCEPT_LANGUAGE="vi")
    assert switched.url == url and "Buon Ma Thuot ground coffee" in client.get(url).content.decode()


def test_a_photo_is_stored_privately_and_shown_to_the_office_only(client, send_report, office_user, product):
    send_report({"product": str(product.pk)}, files={"photo": SimpleUploadedFile("x.bin", png_bytes())})
    report = Report.objects.get()
    assert report.photo_type == "image/png" and report.photo.name.endswith(".png")

    anonymous = client.get(f"/oversight/reports/{report.pk}/photo")
    client.force_login(office_user)
    office = client.get(f"/oversight/reports/{report.pk}/photo")

    assert anonymous.status_code == 302
    assert office.status_code == 200 and office["Content-Type"] == "image/png"
    assert b"".join(office.streaming_content) == png_bytes()


def test_a_file_that_is_not_a_picture_is_refused_with_the_report_kept_on_the_page(send_report):
    text = "Sản phẩm bị mốc, hạn dùng bị sửa."
    response = send_report(
        {"text": text, "contact_email": "an@example.vn"},
        files={"photo": SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture" * 50)},
    )

    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    assert text in response.content.decode() and "an@example.vn" in response.content.decode()
    assert not Report.objects.exists()


def test_an_oversized_photo_is_refused_clearly(send_report, settings):
    settings.OVERSIGHT_MAX_PHOTO_BYTES = 1000

    response = send_report(files={"photo": SimpleUploadedFile("big.png", png_bytes((300, 300), noise=True))})

    assert response.status_code == 200
    assert "larger than" in str(response.context["form"].errors["photo"])
    assert not Report.objects.exists()


def test_the_same_form_sent_twice_is_stored_once(send_report):
    challenge = abuse.new_challenge(now=time.time() - 30)

    first = send_report(challenge=challenge)
    second = send_report(challenge=challenge)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Report.objects.count() == 1


def test_a_wrong_answer_to_the_challenge_keeps_the_text_and_asks_a_new_question(send_report):
    response = send_report({"text": "Mã không quét được"}, answer="999")

    assert response.status_code == 200
    assert "answer" in response.context["form"].errors
    assert "Mã không quét được" in response.content.decode()
    assert response.context["challenge"].nonce != response.challenge.nonce
    assert not Report.objects.exists()


def test_a_form_sent_back_faster_than_a_person_can_is_refused(send_report, settings):
    settings.OVERSIGHT_CHALLENGE_MIN_SECONDS = 3

    response = send_report(challenge=abuse.new_challenge())

    assert response.status_code == 200 and "answer" in response.context["form"].errors
    assert not Report.objects.exists()


def test_a_forged_challenge_is_refused(send_report):
    forged = abuse.Challenge(a=1, b=1, nonce="x", issued=int(time.time()) - 60)

    response = send_report({"challenge": forged.token[:-2] + "xx"}, answer="2")

    assert response.status_code == 200 and not Report.objects.exists()


def test_a_robot_filling_the_honeypot_is_refused(send_report):
    response = send_report({"website": "http://spam.example"})

    assert response.status_code == 200 and not Report.objects.exists()


def test_rate_limits_per_address_hold(send_report, settings, fresh_address):
    # given a limit of 3 reports per 10 minutes from one address
    settings.OVERSIGHT_REPORT_RATE_LIMITS = ["3/600"]
    address = fresh_address()

    # when the same address sends 5
    codes = [send_report({"text": f"Báo cáo {n}"}, address=address).status_code for n in range(5)]
    # and another address sends one
    other = send_report({"text": "Người khác"}, address=fresh_address())

    # then the first 3 are stored, the rest refused with 429 and their text kept on the page
    assert codes == [302, 302, 302, 429, 429]
    assert other.status_code == 302
    assert Report.objects.count() == 4


def test_a_refused_submission_over_the_limit_shows_the_text_again(send_report, settings, fresh_address):
    settings.OVERSIGHT_REPORT_RATE_LIMITS = ["1/600"]
    address = fresh_address()
    send_report(address=address)

    refused = send_report({"text": "Văn bản của tôi"}, address=address)

    assert refused.status_code == 429
    assert "Văn bản của tôi" in refused.content.decode()


def test_the_form_speaks_vietnamese_and_english(client, db):
    vietnamese = client.get("/oversight/report/", HTTP_ACCEPT_LANGUAGE="vi")
    english = client.get("/oversight/report/", HTTP_ACCEPT_LANGUAGE="en")

    assert "Report a problem with an OCOP product" in english.content.decode()
    assert vietnamese.context["form"]["language"].value() == "vi"
    assert english.context["form"]["language"].value() == "en"


def test_a_photo_that_cannot_be_written_does_not_lose_the_report(send_report, settings, tmp_path, product):
    # given a files folder that cannot be created (a plain file is in its way)
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    settings.PRIVATE_FILES_ROOT = blocker / "private"

    response = send_report({"product": str(product.pk)}, files={"photo": SimpleUploadedFile("p.png", png_bytes())})

    assert response.status_code == 302
    report = Report.objects.get()
    assert not report.photo
    assert report.events.filter(action=ReportEvent.Action.PHOTO_LOST).exists()


def test_reports_are_still_taken_when_the_cache_is_down(send_report, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }

    response = send_report()

    assert response.status_code == 302 and Report.objects.count() == 1
