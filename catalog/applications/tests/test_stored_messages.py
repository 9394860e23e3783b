"""What the platform tells a producer is stored as a message key and its parameters, never as a sentence, so the
same notice and the same history line read in Vietnamese for a Vietnamese reader and in English for an English one."""

from django.utils import translation

from catalog.applications import keys
from catalog.applications.models import ApplicationStep, DocumentKind, Notice
from catalog.applications.notices import parse, render
from catalog.models import ProductGroup


def _in(language, read):
    with translation.override(language):
        return read()


def test_a_status_notice_is_stored_as_a_key_and_read_in_each_readers_language(producer_user, submitted_application):
    application = submitted_application()

    notice = Notice.objects.filter(user=producer_user).first()

    assert (notice.key, notice.text) == (keys.STATUS_CHANGED, "")
    assert _in("vi", lambda: notice.message) == (
        f"Hồ sơ #{application.pk} (Cà phê bột Buôn Ma Thuột): Đã nộp, chờ cấp xã đánh giá sơ bộ."
    )
    assert _in("en", lambda: notice.message) == (
        f"Application #{application.pk} (Buon Ma Thuot ground coffee): Submitted, waiting for the commune "
        "pre-assessment."
    )


def test_the_history_shows_steps_and_document_kinds_in_the_readers_language(
    client, producer_user, submitted_application
):
    application = submitted_application()
    client.force_login(producer_user)
    url = f"/portal/applications/{application.pk}/"

    vi = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Phiếu đăng ký sản phẩm OCOP: registration_form.pdf" in vi and "Thêm tài liệu" in vi
    assert "OCOP product registration form: registration_form.pdf" in en and "Document added" in en
    assert "document.added" not in vi + en  # an action is a label, not its code


def test_a_generated_step_reads_in_each_language_with_vietnamese_number_formats(submitted_application):
    step = ApplicationStep.objects.create(
        application=submitted_application(),
        action="scoring.closed",
        key=keys.FORWARDED,
        params={"total": 59.5, "stars": 3, "count": 2, "level": "province", "notes": "Bao bì cần cải tiến."},
    )

    assert _in("vi", lambda: step.message) == (
        "59,5 điểm (3★) từ 2 thành viên. Chuyển lên cấp Tỉnh. Bao bì cần cải tiến."
    )
    assert _in("en", lambda: step.message) == (
        "59,5 points (3★) from 2 member(s). Forwarded to the Province level. Bao bì cần cải tiến."
    )
    assert _in("en", lambda: step.action_label) == "Scoring closed"


def test_reference_names_follow_the_readers_language(db):
    kind = DocumentKind.objects.get(code="registration_form")
    group = ProductGroup.objects.order_by("code").first()

    assert _in("vi", lambda: str(kind)) == "Phiếu đăng ký sản phẩm OCOP"
    assert _in("en", lambda: str(kind)) == "OCOP product registration form"
    assert _in("vi", lambda: group.local_name) == group.name_vi
    assert _in("en", lambda: group.local_name) == group.name_en != group.name_vi


def test_a_frozen_sentence_from_before_is_recognised_as_its_key_or_kept(db):
    vietnamese = parse("Hồ sơ #12 (Cà phê bột): Đã nộp, chờ cấp xã đánh giá sơ bộ.")
    english = parse("Application #12 (Ground coffee): Submitted, waiting for the commune pre-assessment.")

    assert vietnamese == (keys.STATUS_CHANGED, {"id": 12, "product": "Cà phê bột", "status": "submitted"})
    assert english == (keys.STATUS_CHANGED, {"id": 12, "product": "Ground coffee", "status": "submitted"})
    assert _in("en", lambda: render(*vietnamese)) == (
        "Application #12 (Cà phê bột): Submitted, waiting for the commune pre-assessment."
    )
    assert parse("Application #12 (Ground coffee): not a status we know.") is None
    assert parse("A note typed by an officer.") is None


def test_an_unknown_key_shows_the_frozen_text_never_an_error(producer_user):
    notice = Notice.objects.create(user=producer_user, key="gone.away", params={}, text="Thông báo cũ.")

    assert notice.message == "Thông báo cũ."
