"""Files, tried as an attacker would (issue #12): label sheets, proposed listing photos, inspection photos.

Each test reproduces an attack against the old entry points — a file's /media/ URL (served to anyone, as
``tests.security.media_urls`` serves MEDIA_ROOT the way development does and production's nginx did), a name
guessed from an id or the uploader's file name, a download view asked by someone else — and asserts it is refused.
Then what remains allowed: the owner and the office get the file through the permission-checked view.
"""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from catalog.permissions import COMMUNE_OFFICER
from storefront.models import ListingChange, ProductListing
from storefront.tests.fixtures import list_in_store
from traceability import services as trace
from traceability import tasks as trace_tasks
from traceability.models import LabelSheetJob
from traceability.oversight.tests.fixtures import png_bytes

pytestmark = pytest.mark.urls("tests.security.media_urls")

RANDOM = r"[0-9a-f]{32}"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def refused(response) -> bool:
    """No file in the answer: a 404, a 401/403, or a redirect to the sign-in page."""
    if response.status_code in (301, 302):
        return "login" in response["Location"]
    return response.status_code in (401, 403, 404) and not response.get("Content-Disposition")


def assert_private(client, name: str, *, folder: str, uploaded_as: str, view: str, content: bytes) -> None:
    """An attacker's tries on one stored file: guess its name, fetch its /media/ URL, ask the checked view."""
    assert re.fullmatch(rf"{folder}/{RANDOM}\.[a-z]+", name) and uploaded_as not in name, name
    assert client.get(f"/media/{name}").status_code == 404
    response = client.get(view)
    assert refused(response) and body(response) != content


def as_user(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


# --- Label sheets -------------------------------------------------------------------------------------------


def test_a_label_sheet_is_not_under_media_and_its_name_says_nothing(client, label_sheet, lot):
    name = label_sheet.file.name

    assert re.fullmatch(rf"labels/{RANDOM}\.pdf", name), name  # 128 random bits: no id, no lot number
    assert not (settings.MEDIA_ROOT / name).exists()
    assert (settings.PRIVATE_FILES_ROOT / name).read_bytes().startswith(b"%PDF")
    # the old entry point: the file's /media/ URL, and the name the platform used to give (lot id + 8 hex)
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(f"/media/labels/lot-{lot.pk}-00000000.pdf").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "other producer", "commune officer", "staff without the permission"])
def test_a_label_sheet_is_refused_to_anyone_but_its_producer_and_the_office(
    client, label_sheet, who, other_producer_user, member, commune, django_user_model
):
    user = {
        "anonymous": None,
        "other producer": other_producer_user,
        "commune officer": member("officer", COMMUNE_OFFICER, commune=commune),
        "staff without the permission": django_user_model.objects.create_user("clerk", is_staff=True),
    }[who]
    as_user(client, user)

    for url in (
        f"/media/{label_sheet.file.name}",
        f"/portal/lots/labels/{label_sheet.pk}/download/",
        f"/trace/labels/{label_sheet.pk}/download",
    ):
        response = client.get(url)
        assert refused(response), (url, response.status_code)
        assert not body(response).startswith(b"%PDF")


def test_the_producer_and_the_office_get_the_label_sheet_through_the_checked_views(
    client, label_sheet, producer_user, office_user, lot
):
    own = as_user(client, producer_user).get(f"/portal/lots/labels/{label_sheet.pk}/download/")
    office = as_user(client, office_user).get(f"/trace/labels/{label_sheet.pk}/download")

    for response in (own, office):
        assert response.status_code == 200 and body(response).startswith(b"%PDF")
        assert response["Content-Disposition"] == f'attachment; filename="labels-{lot.number}.pdf"'
        assert response["Cache-Control"] == "private, no-store"


def test_another_producers_sheet_cannot_be_found_by_counting_ids(client, label_sheet, other_producer_user):
    as_user(client, other_producer_user)

    answers = {
        client.get(f"/portal/lots/labels/{pk}/download/").status_code
        for pk in range(label_sheet.pk - 3, label_sheet.pk + 4)
    }

    assert answers == {404}  # the real one looks exactly like the ones that do not exist


def test_in_production_the_app_answers_with_x_accel_redirect_and_no_bytes(client, label_sheet, producer_user, settings):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = "/_private/"

    response = as_user(client, producer_user).get(f"/portal/lots/labels/{label_sheet.pk}/download/")

    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{label_sheet.file.name}"
    assert response["Content-Type"] == "application/pdf"


# --- Retention of label sheets -------------------------------------------------------------------------------


def test_label_sheets_older_than_the_retention_are_deleted_by_the_periodic_task(
    client, lot, issue, producer_user, office_user, settings
):
    settings.TRACEABILITY_LABEL_SHEET_RETENTION_DAYS = 30
    issue(lot, 2)
    old, recent = (trace.run_label_sheet(trace.start_label_sheet(lot=lot, actor=producer_user).pk) for _ in "ab")
    now = timezone.now()
    # shift time: one sheet was made 31 days ago, the other 29
    LabelSheetJob.objects.filter(pk=old.pk).update(finished_at=now - datetime.timedelta(days=31))
    LabelSheetJob.objects.filter(pk=recent.pk).update(finished_at=now - datetime.timedelta(days=29))
    old_path = settings.PRIVATE_FILES_ROOT / old.file.name

    assert "traceability.tasks.expire_label_sheets" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    deleted = trace_tasks.expire_label_sheets.apply().result
    again = trace_tasks.expire_label_sheets.apply().result

    assert (deleted, again) == (1, 0)  # idempotent
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old_path.exists() and not old.file and old.file_deleted_at is not None
    assert old.status == LabelSheetJob.Status.DONE and old.labels == 2  # the row is kept
    assert recent.file and (settings.PRIVATE_FILES_ROOT / recent.file.name).exists()

    portal = as_user(client, producer_user).get(f"/portal/lots/labels/{old.pk}/download/")
    vietnamese = client.get(f"/portal/lots/labels/{old.pk}/download/", HTTP_ACCEPT_LANGUAGE="vi")
    lot_page = client.get(f"/portal/lots/{lot.pk}/")
    staff = as_user(client, office_user).get(f"/trace/labels/{old.pk}/download")

    shown = timezone.localtime(old.file_deleted_at).strftime("%d/%m/%Y")
    assert portal.status_code == 410 and f"deleted on {shown}" in portal.content.decode()
    assert "Ask for a new one" in portal.content.decode()
    assert vietnamese.status_code == 410 and f"đã được xóa ngày {shown}" in vietnamese.content.decode()
    assert f"deleted on {shown}" in lot_page.content.decode()
    assert staff.status_code == 410 and staff.json()["error"] == "deleted"
    assert f"deleted on {shown}" in staff.json()["message"]


# --- Listing photos -----------------------------------------------------------------------------------------


@pytest.fixture
def coffee(certified_product):
    list_in_store(certified_product, "120000", stock=10)
    return certified_product


def jpeg_with_gps() -> bytes:
    """A phone photo: taken sideways (EXIF orientation 6), with the camera's make and where it was taken."""
    image = Image.new("RGB", (40, 20), "red")
    image.paste((0, 0, 255), (0, 0, 10, 20))  # a blue band on the left, to see which way it is turned
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "PhoneMakerX"
    exif.get_ifd(0x8825).update({1: "N", 2: (12.0, 40.0, 5.5), 3: "E", 4: (108.0, 2.0, 30.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def propose_photo(client, producer_user, product, content: bytes, filename: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    listing = ProductListing.objects.get(product=product)
    as_user(client, producer_user).post(
        f"/portal/listings/{product.pk}/propose/",
        {
            "description_vi": product.description_vi,
            "description_en": product.description_en,
            "story_vi": product.story_vi,
            "story_en": product.story_en,
            "price": str(listing.price),
            "stock": str(listing.stock),
            "image": SimpleUploadedFile(filename, content, content_type="image/jpeg"),
        },
    )
    return ListingChange.objects.get(product=product, status=ListingChange.Status.PENDING)


def test_a_proposed_photo_is_private_under_a_random_name(
    client, coffee, producer_user, other_producer_user, office_user
):
    change = propose_photo(client, producer_user, coffee, jpeg_with_gps(), "nha-rieng-ea-kao.jpg")
    name = change.image.name

    assert re.fullmatch(rf"listing-photos/{RANDOM}\.jpg", name), name
    assert "nha-rieng" not in name and not (settings.MEDIA_ROOT / name).exists()
    for user in (None, other_producer_user):
        as_user(client, user)
        assert client.get(f"/media/{name}").status_code == 404
        assert refused(client.get(f"/portal/listings/changes/{change.pk}/photo/"))
    own = as_user(client, producer_user).get(f"/portal/listings/changes/{change.pk}/photo/")
    review = as_user(client, office_user).get(f"/portal/listings/changes/{change.pk}/photo/")
    for response in (own, review):
        assert response.status_code == 200 and body(response) == jpeg_with_gps()
        assert response["Content-Type"] == "image/jpeg"


def test_a_published_photo_carries_no_exif_and_no_gps(client, coffee, producer_user, office_user, outbox_quiet):
    change = propose_photo(client, producer_user, coffee, jpeg_with_gps(), "IMG_2026.jpg")

    review = as_user(client, office_user).post(f"/portal/listings/review/{change.pk}/", {"decision": "approve"})

    assert review.status_code == 302
    coffee.refresh_from_db()
    name = coffee.image.name
    assert re.fullmatch(rf"products/{RANDOM}\.jpg", name), name
    published = client.get(f"/media/{name}")  # public, as it should be now
    data = body(published)
    assert published.status_code == 200
    picture = Image.open(io.BytesIO(data))
    assert len(picture.getexif()) == 0 and "exif" not in picture.info
    assert b"Exif" not in data and b"PhoneMakerX" not in data and b"GPS" not in data
    # turned upright before the orientation tag went: 20 wide, 40 high, the blue band now on top
    assert picture.size == (20, 40)
    top, bottom = picture.convert("RGB").getpixel((10, 2)), picture.convert("RGB").getpixel((10, 37))
    assert top[2] > 200 > top[0] and bottom[0] > 200 > bottom[2]
    # the proposal's own file is still private and never appears under /media/
    assert client.get(f"/media/{change.image.name}").status_code == 404


@pytest.fixture
def outbox_quiet(monkeypatch):
    """The approval's after-commit work (search re-index, outbox drain) is not the subject here."""
    monkeypatch.setattr("storefront.tasks.index_products.delay", lambda *args, **kwargs: None)
    monkeypatch.setattr("ocop.outbox.services._kick_drain", lambda: None)


# --- Product inspection photos (traceability/oversight) -------------------------------------------------------


@pytest.fixture
def inspection_photo(client, inspect, producer, office_user, oversight_settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    inspection = inspect(producer)
    as_user(client, office_user).post(
        f"/oversight/inspections/{inspection.pk}/",
        {"action": "evidence", "file": SimpleUploadedFile("xuong-san-xuat.png", png_bytes()), "description": "Xưởng"},
    )
    client.logout()
    return inspection.evidence.get()


@pytest.mark.parametrize("who", ["anonymous", "other producer", "other commune officer", "sales-point operator"])
def test_an_inspection_photo_is_refused_to_the_public_and_unrelated_roles(
    client, inspection_photo, who, other_producer_user, member, other_commune, make_operator, operator_org
):
    user = {
        "anonymous": None,
        "other producer": other_producer_user,
        "other commune officer": member("ea-kao", COMMUNE_OFFICER, commune=other_commune),
        "sales-point operator": make_operator("operator", operator_org),
    }[who]
    as_user(client, user)

    assert_private(
        client,
        inspection_photo.file.name,
        folder="oversight/evidence",
        uploaded_as="xuong",
        view=f"/oversight/evidence/{inspection_photo.pk}",
        content=png_bytes(),
    )


def test_the_inspected_producer_the_office_and_the_department_see_the_inspection_photo(
    client, inspection_photo, producer_user, office_user, department_user
):
    for user in (producer_user, office_user, department_user):
        response = as_user(client, user).get(f"/oversight/evidence/{inspection_photo.pk}")
        assert response.status_code == 200 and body(response) == png_bytes(), user


def test_a_report_photo_is_for_the_office_only(
    client, send_report, product, producer_user, office_user, oversight_settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from traceability.oversight.models import Report

    send_report({"product": str(product.pk)}, files={"photo": SimpleUploadedFile("p.png", png_bytes())})
    report = Report.objects.get()

    assert re.fullmatch(rf"oversight/reports/{RANDOM}\.png", report.photo.name)
    assert client.get(f"/media/{report.photo.name}").status_code == 404
    for user in (None, producer_user):
        assert refused(as_user(client, user).get(f"/oversight/reports/{report.pk}/photo"))
    assert body(as_user(client, office_user).get(f"/oversight/reports/{report.pk}/photo")) == png_bytes()


# --- Sales-point inspection photos (integrations) ------------------------------------------------------------


@pytest.fixture
def point_inspection_photo(airport_point, department_user):
    from integrations.models import Inspection, InspectionPhoto

    inspection = Inspection.objects.create(
        point=airport_point,
        inspected_on=datetime.date(2026, 11, 2),
        inspector="Sở Công Thương",
        recorded_by=department_user,
    )
    photo = InspectionPhoto(inspection=inspection, caption="Quầy trưng bày")
    photo.image.save("quay-ocop-san-bay.png", ContentFile(png_bytes()), save=True)
    return photo


@pytest.mark.parametrize("who", ["anonymous", "other operator", "OCOP office", "producer"])
def test_a_sales_point_inspection_photo_is_refused_to_the_public_and_unrelated_roles(
    client, point_inspection_photo, who, make_operator, other_org, office_user, producer_user
):
    user = {
        "anonymous": None,
        "other operator": make_operator("buon-don-operator", other_org),
        "OCOP office": office_user,
        "producer": producer_user,
    }[who]
    as_user(client, user)

    assert_private(
        client,
        point_inspection_photo.image.name,
        folder="point-inspections",
        uploaded_as="quay",
        view=f"/points/inspection-photos/{point_inspection_photo.pk}/",
        content=png_bytes(),
    )


def test_the_points_operator_and_the_department_see_its_inspection_photo(
    client, point_inspection_photo, make_operator, operator_org, department_user
):
    operator = make_operator("airport-operator", operator_org)
    for user in (operator, department_user):
        as_user(client, user)
        page = client.get(f"/points/{point_inspection_photo.inspection.point_id}/")
        photo = client.get(f"/points/inspection-photos/{point_inspection_photo.pk}/")
        assert f"/points/inspection-photos/{point_inspection_photo.pk}/" in page.content.decode()
        assert photo.status_code == 200 and body(photo) == png_bytes()


# --- Existing files ------------------------------------------------------------------------------------------


def test_files_stored_before_move_out_of_media_under_new_names(lot, issue, producer_user, coffee, settings):
    """A release runs ``move_private_files``: what the old code left in MEDIA_ROOT becomes private (idempotent)."""
    from django.core.management import call_command

    issue(lot, 1)
    legacy_sheet = settings.MEDIA_ROOT / "labels" / f"lot-{lot.pk}-1a2b3c4d.pdf"
    legacy_sheet.parent.mkdir(parents=True)
    legacy_sheet.write_bytes(b"%PDF-1.4 legacy")
    job = LabelSheetJob.objects.create(
        lot=lot,
        status=LabelSheetJob.Status.DONE,
        labels=1,
        file=f"labels/lot-{lot.pk}-1a2b3c4d.pdf",
        finished_at=timezone.now(),
    )
    legacy_photo = settings.MEDIA_ROOT / "listing_changes" / "2026" / "05" / "nha-rieng.jpg"
    legacy_photo.parent.mkdir(parents=True)
    legacy_photo.write_bytes(jpeg_with_gps())
    change = ListingChange.objects.create(
        product=coffee, proposed_by=producer_user, image="listing_changes/2026/05/nha-rieng.jpg"
    )
    # an approved change used to point the product at the very same public file
    type(coffee).objects.filter(pk=coffee.pk).update(image="listing_changes/2026/05/nha-rieng.jpg")

    call_command("move_private_files", stdout=io.StringIO())
    call_command("move_private_files", stdout=io.StringIO())

    job.refresh_from_db()
    change.refresh_from_db()
    coffee.refresh_from_db()
    assert re.fullmatch(rf"labels/{RANDOM}\.pdf", job.file.name)
    assert (settings.PRIVATE_FILES_ROOT / job.file.name).read_bytes() == b"%PDF-1.4 legacy"
    assert re.fullmatch(rf"listing-photos/{RANDOM}\.jpg", change.image.name)
    assert (settings.PRIVATE_FILES_ROOT / change.image.name).read_bytes() == jpeg_with_gps()
    assert re.fullmatch(rf"products/{RANDOM}\.jpg", coffee.image.name)
    assert b"PhoneMakerX" not in (settings.MEDIA_ROOT / coffee.image.name).read_bytes()
    assert not legacy_sheet.exists() and not legacy_photo.exists()


def test_the_office_sees_label_sheets_through_its_role(office_user):
    assert office_user.has_perm("traceability.view_labelsheetjob")
    assert Permission.objects.filter(codename="view_labelsheetjob", group__name__contains="OCOP").exists()


def test_the_staff_site_links_private_files_through_the_checked_views_only(
    client, label_sheet, point_inspection_photo, coffee, producer_user, django_user_model
):
    change = propose_photo(client, producer_user, coffee, jpeg_with_gps(), "anh.jpg")
    admin = django_user_model.objects.create_superuser("root", password="pw-root-123")
    as_user(client, admin)

    pages = {
        f"/admin/traceability/labelsheetjob/{label_sheet.pk}/change/": f"/trace/labels/{label_sheet.pk}/download",
        "/admin/traceability/labelsheetjob/": f"/trace/labels/{label_sheet.pk}/download",
        f"/admin/storefront/listingchange/{change.pk}/change/": f"/portal/listings/changes/{change.pk}/photo/",
        f"/admin/integrations/inspection/{point_inspection_photo.inspection_id}/change/": (
            f"/points/inspection-photos/{point_inspection_photo.pk}/"
        ),
    }
    for page, link in pages.items():
        response = client.get(page)
        assert response.status_code == 200, page
        assert link in response.content.decode() and "/media/" not in response.content.decode(), page
