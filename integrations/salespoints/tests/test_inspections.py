"""Inspections against the criteria checklist: findings, photos (checked by content and size), follow-up."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from integrations.models import Inspection, PointCriterion, validate_photo
from integrations.models.salespoints import MAX_PHOTO_BYTES


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _inspection_form(point, photo, **extra):
    criteria = list(PointCriterion.objects.order_by("order")[:2])
    return {
        "point": point.pk,
        "inspected_on": "2026-11-20",
        "inspector": "Lê Văn Hùng",
        "summary": "",
        "findings-TOTAL_FORMS": "2",
        "findings-INITIAL_FORMS": "0",
        "findings-0-criterion": criteria[0].pk,
        "findings-0-result": "pass",
        "findings-0-note": "",
        "findings-1-criterion": criteria[1].pk,
        "findings-1-result": "fail",
        "findings-1-note": "Quầy quá chật",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-0-image": photo,
        "photos-0-caption": "Quầy",
        "follow_ups-TOTAL_FORMS": "1",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-0-action": "Mở rộng quầy trưng bày",
        "follow_ups-0-deadline": "2026-12-31",
        **extra,
    }


def test_department_staff_record_an_inspection_with_findings_photo_and_follow_up(
    client, department_user, airport_point
):
    client.force_login(department_user)

    response = client.post(
        reverse("admin:integrations_inspection_add"),
        _inspection_form(airport_point, SimpleUploadedFile("quay.png", _png())),
    )

    assert response.status_code == 302, response.content.decode()[-3000:]
    inspection = Inspection.objects.get()
    assert inspection.recorded_by == department_user and not inspection.passed
    assert [(f.criterion.code, f.result) for f in inspection.findings.all()] == [("1", "pass"), ("2", "fail")]
    assert inspection.photos.get().image.name.endswith(".png")
    assert inspection.follow_ups.get().done_on is None
    page = client.get(reverse("integrations:point_detail", args=[airport_point.pk])).content.decode()
    assert "Quầy quá chật" in page and "Mở rộng quầy trưng bày" in page


def test_a_file_that_is_not_a_photo_is_refused_whatever_its_name(client, department_user, airport_point):
    client.force_login(department_user)

    response = client.post(
        reverse("admin:integrations_inspection_add"),
        _inspection_form(airport_point, SimpleUploadedFile("quay.png", b"%PDF-1.4 not a photo")),
    )

    assert response.status_code == 200 and not Inspection.objects.exists()


def test_photo_checks():
    validate_photo(SimpleUploadedFile("a.png", _png()))
    with pytest.raises(ValidationError) as error:
        validate_photo(SimpleUploadedFile("a.jpg", b"GIF89a" + b"\0" * 64))
    assert error.value.code == "not_an_image"
    with pytest.raises(ValidationError) as error:
        validate_photo(SimpleUploadedFile("big.png", _png() + b"\0" * MAX_PHOTO_BYTES))
    assert error.value.code == "too_large"


def test_an_operator_sees_inspections_of_its_own_points_only(
    client, make_operator, operator_org, airport_point, buon_don_point
):
    Inspection.objects.create(point=airport_point, inspected_on="2026-11-01", inspector="A")
    other = Inspection.objects.create(point=buon_don_point, inspected_on="2026-11-02", inspector="B")
    client.force_login(make_operator("lan", operator_org))

    listing = client.get(reverse("admin:integrations_inspection_changelist")).content.decode()
    assert airport_point.name in listing and buon_don_point.name not in listing
    assert client.get(reverse("admin:integrations_inspection_change", args=[other.pk])).status_code == 302
