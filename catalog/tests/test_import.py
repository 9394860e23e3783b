import csv
import datetime
import io
import unicodedata

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from catalog import importing, permissions
from catalog.models import (
    AuditLogEntry,
    Certificate,
    CertificationDecision,
    Commune,
    Producer,
    Product,
)
from ocop.outbox.models import OutboxEvent

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã số thuế",
    "Tên chủ thể",
    "Loại hình",
    "Xã/phường",
    "Huyện (trước 07/2025)",
    "Tỉnh",
    "Tên sản phẩm",
    "Nhóm sản phẩm",
    "Phân nhóm",
    "GTIN/Mã vạch",
    "Số quyết định",
    "Ngày quyết định",
    "Cấp công nhận",
    "Cơ quan ban hành",
    "Hạng sao",
]
COFFEE = {
    "Mã số thuế": "6000123456",
    "Tên chủ thể": "HTX Cà phê Buôn Ma Thuột",
    "Loại hình": "Hợp tác xã",
    "Xã/phường": "Phường Buôn Ma Thuột",
    "Huyện (trước 07/2025)": "",
    "Tỉnh": "Đắk Lắk",
    "Tên sản phẩm": "Cà phê bột Buôn Ma Thuột",
    "Nhóm sản phẩm": "1",
    "Phân nhóm": "1.6",
    "GTIN/Mã vạch": "8934602001238",
    "Số quyết định": "101/QĐ-UBND",
    "Ngày quyết định": "01/09/2025",
    "Cấp công nhận": "Tỉnh",
    "Cơ quan ban hành": "UBND tỉnh Đắk Lắk",
    "Hạng sao": "4",
}
# Same producer (type written as an abbreviation), same decision, group and sub-group by name.
ROASTED = {
    **COFFEE,
    "Loại hình": "HTX",
    "Tên sản phẩm": "Cà phê hạt rang xay",
    "Nhóm sản phẩm": "Thực phẩm",
    "Phân nhóm": "ca phe, CA CAO",
    "GTIN/Mã vạch": "",
    "Hạng sao": "3 sao",
}
# A household in a pre-2025 district, certified 3★ by the district under Decision 148 (English names).
HONEY = {
    "Mã số thuế": "40A8001234",
    "Tên chủ thể": "Hộ kinh doanh Mật ong Ea Kao",
    "Loại hình": "Hộ sản xuất kinh doanh",
    "Xã/phường": "Xã Ea Kao",
    "Huyện (trước 07/2025)": "Thành phố Buôn Ma Thuột",
    "Tỉnh": "",
    "Tên sản phẩm": "Mật ong hoa cà phê",
    "Nhóm sản phẩm": "Food",
    "Phân nhóm": "Honey and honey products",
    "GTIN/Mã vạch": "",
    "Số quyết định": "55/QĐ-UBND",
    "Ngày quyết định": "2024-05-10",
    "Cấp công nhận": "Huyện",
    "Cơ quan ban hành": "UBND thành phố Buôn Ma Thuột",
    "Hạng sao": "3",
}
GOOD_ROWS = [COFFEE, ROASTED, HONEY]
REGISTRY = (Producer, Product, Certificate, CertificationDecision, AuditLogEntry, OutboxEvent, Commune)


def csv_bytes(rows, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def registry_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in REGISTRY}


def run(rows=GOOD_ROWS, *, dry_run=False, actor=None, headers=HEADERS):
    return importing.import_registry(csv_bytes(rows, headers), filename="registry.csv", actor=actor, dry_run=dry_run)


def only_error(result):
    assert len(result.errors) == 1, [str(issue) for issue in result.errors]
    return result.errors[0]


def test_good_csv_imports_producers_products_and_decisions_through_the_services(office_user):
    result = run(actor=office_user)

    assert result.ok and result.committed
    assert (result.producers.created, result.products.created, result.decisions.created) == (2, 3, 2)
    assert result.certificates.created == 3
    coffee = Product.objects.get(name_vi="Cà phê bột Buôn Ma Thuột")
    assert coffee.gtin == "08934602001238"  # stored as GTIN-14
    assert (coffee.group.code, coffee.subgroup.code) == ("1", "1.6")
    assert coffee.producer.kind == Producer.Kind.COOPERATIVE
    assert Product.objects.get(name_vi="Cà phê hạt rang xay").certified_stars == 3
    honey = Product.objects.get(name_vi="Mật ong hoa cà phê")
    assert honey.subgroup.code == "1.7"
    # a pre-07/2025 address goes to the commune that took it over (vietnamadminunits), the old one kept
    assert str(honey.producer.commune) == "Phường Ea Kao, Đắk Lắk"
    assert honey.producer.former_address == "Xã Ea Kao, Thành phố Buôn Ma Thuột, Đắk Lắk"
    assert honey.producer.kind == Producer.Kind.HOUSEHOLD
    decision = CertificationDecision.objects.get(number="55/QĐ-UBND")
    assert (decision.signed_on, decision.authority_level, decision.rule_set.code) == (
        datetime.date(2024, 5, 10),
        "district",
        "148/QĐ-TTg",
    )
    assert decision.created_by == office_user
    assert Product.objects.listable(datetime.date(2026, 11, 30)).count() == 3
    assert OutboxEvent.objects.count() == 3
    assert AuditLogEntry.objects.filter(action="certificate.issued", actor=office_user).count() == 3
    assert AuditLogEntry.objects.filter(action="producer.created").count() == 2


def test_the_brand_column_is_imported_and_a_later_change_updates_it(office_user):
    headers = [*HEADERS, "Nhãn hiệu"]
    first = run([{**COFFEE, "Nhãn hiệu": "Ban Mê Xanh"}, HONEY], actor=office_user, headers=headers)
    second = run([{**COFFEE, "Nhãn hiệu": "Ban Mê Gold"}, HONEY], actor=office_user, headers=headers)

    assert first.ok and second.ok and second.products.updated == 1
    assert Product.objects.get(name_vi="Cà phê bột Buôn Ma Thuột").brand == "Ban Mê Gold"
    assert Product.objects.get(name_vi="Mật ong hoa cà phê").brand == ""
    assert "Nhãn hiệu" in [column.header_vi for column in importing.COLUMNS]


def test_good_xlsx_with_a_title_row_real_dates_and_numeric_cells(office_user):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH SẢN PHẨM OCOP TỈNH ĐẮK LẮK"])
    sheet.append(["STT", *HEADERS])
    for position, row in enumerate(GOOD_ROWS, start=1):
        cells = [row[header] for header in HEADERS]
        cells[HEADERS.index("Ngày quyết định")] = datetime.datetime.strptime(
            row["Ngày quyết định"].replace("-", "/"), "%d/%m/%Y" if "/" in row["Ngày quyết định"] else "%Y/%m/%d"
        )
        cells[HEADERS.index("Hạng sao")] = int(row["Hạng sao"][0])
        if row["Mã số thuế"].isdigit():
            cells[HEADERS.index("Mã số thuế")] = int(row["Mã số thuế"])
        if row["GTIN/Mã vạch"]:
            cells[HEADERS.index("GTIN/Mã vạch")] = int(row["GTIN/Mã vạch"])
        sheet.append([position, *cells])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = importing.import_registry(buffer.getvalue(), filename="Danh sach.XLSX", actor=office_user)

    assert result.ok, [str(issue) for issue in result.errors]
    assert (result.rows, result.producers.created, result.decisions.created) == (3, 2, 2)
    assert Producer.objects.filter(registration_number="6000123456").exists()
    assert CertificationDecision.objects.get(number="101/QĐ-UBND").signed_on == datetime.date(2025, 9, 1)
    assert Product.objects.get(name_vi="Cà phê bột Buôn Ma Thuột").gtin == "08934602001238"


def test_dry_run_reports_what_would_change_and_writes_nothing(office_user):
    before = registry_counts()

    result = run(dry_run=True, actor=office_user)

    assert result.ok and not result.committed
    assert (result.producers.created, result.products.created, result.decisions.created) == (2, 3, 2)
    assert registry_counts() == before


def test_reimporting_the_same_file_changes_nothing(office_user):
    run(actor=office_user)
    before = registry_counts()

    result = run(actor=office_user)

    assert result.ok
    assert (result.created, result.updated) == (0, 0)
    assert (result.producers.unchanged, result.products.unchanged, result.decisions.unchanged) == (2, 3, 2)
    assert result.certificates.unchanged == 3
    assert registry_counts() == before


def test_a_changed_value_updates_only_that_record_and_is_audited(office_user, producer):
    run(actor=office_user)
    before = registry_counts()
    renamed = {**HONEY, "Tên chủ thể": "Hộ kinh doanh Mật ong Ea Kao (Bà H'Linh)"}

    result = run([COFFEE, ROASTED, renamed], actor=office_user)

    assert result.ok
    assert (result.producers.updated, result.producers.unchanged, result.products.updated) == (1, 1, 0)
    assert Producer.objects.get(registration_number="40A8001234").name.endswith("(Bà H'Linh)")
    entry = AuditLogEntry.objects.get(action="producer.updated")
    assert entry.before["name"] == "Hộ kinh doanh Mật ong Ea Kao" and entry.actor == office_user
    assert registry_counts() == {**before, "AuditLogEntry": before["AuditLogEntry"] + 1}


def test_existing_producer_and_product_are_matched_not_duplicated(office_user, product):
    # The fixture product already carries this GTIN; the file names the same producer and product.
    result = run([COFFEE], actor=office_user)

    assert result.ok, [str(issue) for issue in result.errors]
    assert (result.producers.unchanged, result.products.unchanged, result.products.created) == (1, 1, 0)
    product.refresh_from_db()
    assert product.certified_stars == 4


# --- Bad files: nothing is written, and the row, column and problem are named in both languages ---------


def test_missing_and_unknown_columns_are_named(office_user):
    headers = [h for h in HEADERS if h not in ("Hạng sao", "Số quyết định")] + ["Hang sao xep loai"]
    before = registry_counts()

    result = run(headers=headers, actor=office_user)

    assert registry_counts() == before
    texts_en = {issue.text("en") for issue in result.errors}
    texts_vi = {issue.text("vi") for issue in result.errors}
    assert texts_en == {
        "Required column “Hạng sao (stars)” is missing.",
        "Required column “Số quyết định (decision_number)” is missing.",
        "Unknown column “Hang sao xep loai”.",
    }
    assert "Thiếu cột bắt buộc “Hạng sao (stars)”." in texts_vi
    assert "Cột “Hang sao xep loai” không có trong mẫu." in texts_vi
    assert {issue.row for issue in result.errors} == {1}


BAD_ROWS = {  # change to a good row → column, Vietnamese and English text of the one error
    "invalid registration number": (
        {"Mã số thuế": "12345"},
        "registration_number",
        "không phải là mã số hợp lệ",
        "is not a valid registration number",
    ),
    "invalid GTIN check digit": (
        {"GTIN/Mã vạch": "8934602001239"},
        "gtin",
        "Số kiểm tra của GTIN",
        "check digit of GTIN",
    ),
    "GTIN of a wrong length": (
        {"GTIN/Mã vạch": "8934602"},
        "gtin",
        "GTIN phải có 8, 12, 13 hoặc 14 chữ số",
        "8, 12, 13 or 14 digits",
    ),
    "unknown product group": (
        {"Nhóm sản phẩm": "Điện tử"},
        "product_group",
        "Không có nhóm sản phẩm “Điện tử”",
        "Unknown product group “Điện tử”",
    ),
    "unknown sub-group": (
        {"Phân nhóm": "1.99"},
        "product_subgroup",
        "Không có phân nhóm sản phẩm “1.99”",
        "Unknown product sub-group “1.99”",
    ),
    "sub-group of another group": (
        {"Phân nhóm": "2.1"},
        "product_subgroup",
        "không thuộc nhóm",
        "does not belong to group",
    ),
    "unknown producer type": (
        {"Loại hình": "Công ty TNHH"},
        "producer_type",
        "Loại hình chủ thể “Công ty TNHH” không hợp lệ",
        "Unknown producer type “Công ty TNHH”",
    ),
    "date in the future": (
        {"Ngày quyết định": "01/01/2099"},
        "decision_date",
        "Ngày 01/01/2099 là ngày trong tương lai",
        "The date 01/01/2099 is in the future",
    ),
    "not a date": (
        {"Ngày quyết định": "31/02/2025"},
        "decision_date",
        "“31/02/2025” không phải là ngày",
        "“31/02/2025” is not a date",
    ),
    "stars out of range": (
        {"Hạng sao": "6"},
        "stars",
        "Hạng sao phải là số nguyên từ 1 đến 5",
        "Stars must be a whole number from 1 to 5",
    ),
    "unknown level": ({"Cấp công nhận": "Thôn"}, "authority_level", "Cấp “Thôn” không hợp lệ", "Unknown level “Thôn”"),
    "value too long": (
        {"Số quyết định": "1/" + "QĐ" * 40},
        "decision_number",
        "tối đa 64 ký tự",
        "At most 64 characters",
    ),
    "missing value": ({"Tên sản phẩm": ""}, "product_name", "Giá trị này là bắt buộc", "This value is required"),
    "2 stars is not a certification": (
        {"Hạng sao": "2"},
        "stars",
        "2★ không phải là chứng nhận OCOP",
        "2★ is not an OCOP certification",
    ),
    "province may not certify 3 stars under Decision 148": (
        {"Ngày quyết định": "10/05/2024", "Hạng sao": "3"},
        "authority_level",
        "Theo 148/QĐ-TTg, cấp Tỉnh không được công nhận sản phẩm 3★; việc này thuộc cấp Huyện.",
        "Under 148/QĐ-TTg the Province level may not certify 3★; that is for the District level.",
    ),
    "district may not certify after the 2025 reform": (
        {"Cấp công nhận": "Huyện", "Hạng sao": "3"},
        "authority_level",
        "Theo 1489/QĐ-TTg, cấp Huyện không được công nhận",
        "Under 1489/QĐ-TTg the District level may not certify",
    ),
    "no rule set in force on the date": (
        {"Ngày quyết định": "01/01/2015"},
        "decision_date",
        "Không có bộ tiêu chí OCOP nào có hiệu lực",
        "No OCOP rule set was in force on 01/01/2015",
    ),
}


@pytest.mark.parametrize("change", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_a_bad_row_is_reported_and_nothing_is_written(office_user, change):
    overrides, column, vietnamese, english = change
    before = registry_counts()

    result = run([HONEY, {**COFFEE, **overrides}], actor=office_user)

    assert registry_counts() == before  # not even the producer of the good row
    issue = only_error(result)
    assert (issue.row, issue.column) == (3, column)
    assert vietnamese in issue.text("vi")
    assert english in issue.text("en")


def test_a_refusal_in_a_later_decision_rolls_back_the_decisions_already_written(office_user):
    # 55/QĐ-UBND (2024) is written first, then the 2025 decision is refused by the service.
    before = registry_counts()
    refused = {**COFFEE, "Cấp công nhận": "Huyện"}

    result = run([refused, HONEY], actor=office_user)

    issue = only_error(result)
    assert (issue.row, issue.column) == (2, "authority_level")
    assert registry_counts() == before


def test_each_refused_row_of_a_shared_decision_is_named(office_user):
    rows = [
        COFFEE,
        {**ROASTED, "Hạng sao": "2"},
        {**COFFEE, "Tên sản phẩm": "Cà phê nhân", "GTIN/Mã vạch": "", "Hạng sao": "5"},
    ]
    before = registry_counts()

    result = run(rows, actor=office_user)

    assert registry_counts() == before
    assert sorted((issue.row, issue.column) for issue in result.errors) == [(3, "stars"), (4, "authority_level")]
    five_stars = next(issue for issue in result.errors if issue.row == 4)
    assert five_stars.text("vi").endswith("việc này thuộc cấp Trung ương.")
    assert five_stars.text("en").endswith("that is for the Central level.")


def test_conflicting_rows_for_one_registration_number_are_named(office_user):
    conflicting = {**ROASTED, "Tên chủ thể": "Công ty Cà phê Khác", "Xã/phường": "Xã Hòa Thuận"}
    before = registry_counts()

    result = run([COFFEE, conflicting], actor=office_user)

    assert registry_counts() == before
    assert {(issue.row, issue.column) for issue in result.errors} == {(3, "producer_name"), (3, "commune")}
    issue = next(issue for issue in result.errors if issue.column == "producer_name")
    assert issue.text("en") == (
        "Registration number 6000123456 is also on row 2 with a different value in this "
        "column (“HTX Cà phê Buôn Ma Thuột”)."
    )
    assert issue.text("vi").startswith("Mã số 6000123456 cũng có ở dòng 2 với giá trị khác")


def test_rows_of_one_decision_must_agree_on_date_and_authority(office_user):
    before = registry_counts()

    result = run([COFFEE, {**ROASTED, "Ngày quyết định": "02/09/2025", "Cơ quan ban hành": "UBND tỉnh"}])

    assert registry_counts() == before
    assert {(issue.row, issue.column) for issue in result.errors} == {(3, "decision_date"), (3, "authority_name")}
    assert all("Quyết định 101/QĐ-UBND cũng có ở dòng 2" in issue.text("vi") for issue in result.errors)


def test_a_product_twice_in_one_decision_and_a_gtin_on_two_products(office_user):
    result = run([COFFEE, {**COFFEE, "Hạng sao": "4"}, {**ROASTED, "GTIN/Mã vạch": COFFEE["GTIN/Mã vạch"]}])

    assert {(issue.row, issue.column) for issue in result.errors} == {(3, "product_name"), (4, "gtin")}
    assert registry_counts()["Product"] == 0


def test_a_gtin_already_held_by_another_product_in_the_registry(office_user, other_product):
    other_product.gtin = "08934602001238"
    other_product.save()
    before = registry_counts()

    result = run([COFFEE], actor=office_user)

    issue = only_error(result)
    assert (issue.row, issue.column) == (2, "gtin")
    assert issue.text("en") == "GTIN 08934602001238 already belongs to “Mật ong hoa cà phê” in the registry."
    assert registry_counts() == before


def test_a_recorded_decision_with_different_content_is_refused(office_user):
    run(actor=office_user)
    before = registry_counts()

    result = run([{**COFFEE, "Hạng sao": "3"}, {**HONEY, "Cơ quan ban hành": "UBND huyện Cư M'gar"}])

    assert registry_counts() == before
    assert {(issue.row, issue.column) for issue in result.errors} == {(2, "stars"), (3, "authority_name")}
    stars = next(issue for issue in result.errors if issue.column == "stars")
    assert stars.text("en") == "Decision 101/QĐ-UBND is already in the registry with 4★ for this product."
    assert stars.text("vi") == "Quyết định 101/QĐ-UBND đã có trong hệ thống với hạng 4★ cho sản phẩm này."


def test_an_unreadable_file_is_reported(office_user):
    result = importing.import_registry(b"not a zip", filename="registry.xlsx", actor=office_user)

    assert only_error(result).text("en") == "The file could not be read as Excel (XLSX)."
    assert importing.import_registry(b"x", filename="registry.pdf").errors[0].text("vi") == (
        "Hãy tải lên tệp .csv hoặc .xlsx."
    )


def windows_1258(text: str) -> bytes:
    """Encode as Vietnamese Windows does: letters with â/ă/ơ… precomposed, tone marks as combining marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    encoded = b""
    for char in text:
        marks = unicodedata.normalize("NFD", char)
        head = unicodedata.normalize("NFC", "".join(mark for mark in marks if mark not in tones))
        encoded += (head + "".join(mark for mark in marks if mark in tones)).encode("cp1258")
    return encoded


def test_a_semicolon_separated_csv_in_windows_encoding_is_read(office_user):
    text = csv_bytes([HONEY]).decode("utf-8").replace(",", ";")

    result = importing.import_registry(windows_1258(text), filename="r.csv", actor=office_user)

    assert result.ok, [str(issue) for issue in result.errors]
    assert Product.objects.filter(name_vi="Mật ong hoa cà phê").exists()


# --- Management command ------------------------------------------------------------------------------


def test_command_dry_run_then_import_then_errors_exit_1(tmp_path, capsys):
    good = tmp_path / "registry.csv"
    good.write_bytes(csv_bytes(GOOD_ROWS))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([{**COFFEE, "Hạng sao": "9"}]))

    call_command("import_registry", str(good), "--dry-run")
    assert Producer.objects.count() == 0
    call_command("import_registry", str(good))
    assert CertificationDecision.objects.count() == 2
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_registry", str(bad))

    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "row 2, column Hạng sao (stars)" in err
    assert "Hạng sao phải là số nguyên từ 1 đến 5" in err and "Stars must be a whole number" in err


# --- Staff page ---------------------------------------------------------------------------------------


def upload(client, rows, *, dry_run):
    file = io.BytesIO(csv_bytes(rows))
    file.name = "registry.csv"
    data = {"file": file}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("catalog:import"), data)


def test_import_page_needs_the_permission(client, member, commune):
    officer = member("officer", permissions.COMMUNE_OFFICER, commune=commune)

    assert client.get(reverse("catalog:import")).status_code == 302  # to the login page
    client.force_login(officer)
    assert client.get(reverse("catalog:import")).status_code == 403
    assert upload(client, GOOD_ROWS, dry_run=False).status_code == 403
    assert client.get(reverse("catalog:import_template_xlsx")).status_code == 403
    assert Producer.objects.count() == 0


def test_office_user_dry_runs_then_commits_through_the_page(client, office_user):
    client.force_login(office_user)
    page = client.get(reverse("catalog:import"))
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content

    dry = upload(client, GOOD_ROWS, dry_run=True)
    assert dry.status_code == 200 and dry.context["result"].ok and Producer.objects.count() == 0

    done = upload(client, GOOD_ROWS, dry_run=False)
    assert done.context["result"].committed
    assert CertificationDecision.objects.count() == 2


def test_page_lists_errors_in_both_languages(client, office_user):
    client.force_login(office_user)

    response = upload(client, [{**COFFEE, "GTIN/Mã vạch": "123"}], dry_run=False)

    html = response.content.decode()
    assert "GTIN phải có 8, 12, 13 hoặc 14 chữ số; “123” thì không." in html
    assert "A GTIN has 8, 12, 13 or 14 digits; “123” does not." in html
    assert "GTIN/Mã vạch (gtin)" in html
    assert Producer.objects.count() == 0


def test_downloaded_template_imports_once_filled_in(client, office_user):
    client.force_login(office_user)

    response = client.get(reverse("catalog:import_template_xlsx"))

    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == importing.template_headers()
    sheet.append([{**COFFEE, "Người đại diện": "Y Bhin Niê"}.get(header, "") for header in headers])
    filled = io.BytesIO()
    workbook.save(filled)
    result = importing.import_registry(filled.getvalue(), filename="t.xlsx", actor=office_user)
    assert result.ok, [str(issue) for issue in result.errors]
    assert Producer.objects.get().representative == "Y Bhin Niê"
    csv_template = client.get(reverse("catalog:import_template_csv")).content.decode("utf-8-sig")
    assert csv_template.strip() == ",".join(importing.template_headers())
