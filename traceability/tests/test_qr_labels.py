import io
import re

import pytest
from django.contrib.auth.models import Permission

from traceability import services
from traceability.labels import COLUMNS, ROWS
from traceability.models import LabelSheetJob


def test_qr_images_need_the_item_permission(client, item, trace_staff):
    assert client.get(f"/trace/items/{item.serial}/qr.svg").status_code == 401
    client.force_login(trace_staff("view_lot"))
    assert client.get(f"/trace/items/{item.serial}/qr.svg").status_code == 403


def test_svg_is_sized_for_print_and_carries_the_item_uri(client, item, trace_staff):
    client.force_login(trace_staff("view_item"))

    svg = client.get(f"/trace/items/{item.serial}/qr.svg?mm=25").content.decode()

    assert 'width="25.0mm"' in svg
    assert f"/21/{item.serial}?17=271101</title>" in svg


def test_png_error_correction_defaults_to_m_and_h_makes_a_denser_code(client, item, trace_staff):
    client.force_login(trace_staff("view_item"))

    default = client.get(f"/trace/items/{item.serial}/qr.png?dpi=72&mm=60")
    high = client.get(f"/trace/items/{item.serial}/qr.png?dpi=72&mm=60&ec=H")
    bad = client.get(f"/trace/items/{item.serial}/qr.png?ec=X")

    assert default["Content-Type"] == "image/png" and default.content.startswith(b"\x89PNG")
    assert default.content != high.content
    assert bad.status_code == 404


def test_png_decodes_to_the_items_digital_link(client, item, trace_staff):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    client.force_login(trace_staff("view_item"))
    png = client.get(f"/trace/items/{item.serial}/qr.png?ec=Q").content

    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert decoded.text.endswith(f"/01/08934602001238/10/L2026-11/21/{item.serial}?17=271101")


def pages_of(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def test_label_sheet_is_an_a4_grid_with_one_label_per_serial(
    lot, issue, office_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    issue(lot, COLUMNS * ROWS + 1)

    with django_capture_on_commit_callbacks(execute=False):
        job = services.start_label_sheet(lot=lot, actor=office_user)
    services.run_label_sheet(job.pk)

    job.refresh_from_db()
    with job.file.open("rb") as handle:
        pdf = handle.read()
    assert (job.status, job.labels) == (LabelSheetJob.Status.DONE, COLUMNS * ROWS + 1)
    assert pdf.startswith(b"%PDF") and pages_of(pdf) == 2


def test_label_sheet_of_a_lot_without_serials_is_refused(lot, office_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.start_label_sheet(lot=lot, actor=office_user)


def test_label_endpoints_check_permissions_and_offer_the_download(
    client, lot, issue, trace_staff, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    issue(lot, 2)
    client.force_login(trace_staff("view_labelsheetjob"))
    assert client.post(f"/trace/lots/{lot.pk}/labels").status_code == 403
    printer = trace_staff("add_labelsheetjob", "view_labelsheetjob", username="printer")
    # Label sheets list every serial: staff get them for the lots the scoping rule shows them (here, all).
    printer.user_permissions.add(Permission.objects.get(content_type__app_label="catalog", codename="view_all_records"))
    client.force_login(printer)

    with django_capture_on_commit_callbacks(execute=False):
        started = client.post(f"/trace/lots/{lot.pk}/labels").json()
    services.run_label_sheet(started["id"])
    progress = client.get(f"/trace/labels/{started['id']}").json()
    download = client.get(progress["download"])

    assert progress["status"] == "done" and progress["labels"] == 2
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
