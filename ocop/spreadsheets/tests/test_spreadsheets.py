"""Reading uploaded sheets against a template of columns, and problems in both languages (ocop.spreadsheets)."""

import datetime
import io
import unicodedata

import pytest
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from ocop import spreadsheets
from ocop.spreadsheets import Column, SheetIssue, SheetRefused

COLUMNS = (
    Column("commune", "Xã/phường", _("Commune"), True, ("Xã/phường/thị trấn", "Xã")),
    Column("stars", "Hạng sao", _("Stars"), True, ("Số sao",)),
    Column("signed_on", "Ngày quyết định", _("Decision date")),
)


class Issue(SheetIssue):
    columns = {column.key: column for column in COLUMNS}


def xlsx(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refusal(data: bytes, filename: str, **options) -> str:
    with pytest.raises(SheetRefused) as refused:
        spreadsheets.read_sheet(data, filename, **{"max_rows": 10, **options})
    return Issue(refused.value.message, params=refused.value.params).text_en


def test_headers_are_matched_by_header_alias_key_or_english_label_ignoring_accents_case_and_spacing():
    index = spreadsheets.header_index(COLUMNS, ignored=("STT",))

    assert [
        index.get(spreadsheets.fold(header))
        for header in (" XÃ/PHƯỜNG/THỊ TRẤN ", "so  sao*", "signed_on", "Decision date", "stt", "Ghi chú")
    ] == ["commune", "stars", "signed_on", "signed_on", None, None]
    assert "ghi chu" not in index  # unknown, unlike the ignored "STT"


def test_an_xlsx_sheet_is_read_below_its_title_with_blank_rows_left_out_and_rows_numbered_as_shown():
    data = xlsx(
        ["DANH SÁCH SẢN PHẨM OCOP"],
        [],
        ["STT", "Xã/phường", "Hạng sao", "Ngày quyết định"],
        [1, "Xã Ea Kao", 4, datetime.datetime(2025, 9, 1)],
        [None, None, None, None],
        [2, "Xã Hòa Thuận", 3],
    )

    sheet = spreadsheets.read_sheet(
        data,
        "Danh sach.XLSX",
        max_rows=10,
        header_search_rows=5,
        index=spreadsheets.header_index(COLUMNS, ignored=("STT",)),
    )

    assert (sheet.header_row, sheet.headers) == (3, ["STT", "Xã/phường", "Hạng sao", "Ngày quyết định"])
    assert sheet.records({1: "commune", 2: "stars", 3: "signed_on", 0: None}) == [
        (4, {"commune": "Xã Ea Kao", "stars": 4, "signed_on": datetime.datetime(2025, 9, 1)}),
        (6, {"commune": "Xã Hòa Thuận", "stars": 3, "signed_on": None}),  # a short row: missing cells are None
    ]


def test_a_semicolon_separated_csv_in_the_vietnamese_windows_encoding_is_read():
    # Windows writes tone marks as combining characters: "Xã" is X, a, combining tilde.
    data = unicodedata.normalize("NFD", "Xã;Hạng sao\nXã Ea Kao;5\n").encode("cp1258")

    sheet = spreadsheets.read_sheet(data, "r.csv", max_rows=10)

    index = spreadsheets.header_index(COLUMNS)
    assert [index.get(spreadsheets.fold(header)) for header in sheet.headers] == ["commune", "stars"]
    [(number, cells)] = sheet.records({0: "commune", 1: "stars"})
    assert (number, unicodedata.normalize("NFC", cells["commune"]), cells["stars"]) == (2, "Xã Ea Kao", "5")


def test_the_csv_written_for_a_template_reads_back_as_it_was_written():
    data = spreadsheets.csv_bytes([["Xã/phường", "Hạng sao"], ["Xã Ea Kao", "4"]])

    assert data.startswith(b"\xef\xbb\xbf")  # the byte order mark that makes Excel read UTF-8
    assert spreadsheets.read_sheet(data, "t.csv", max_rows=10).records({0: "commune", 1: "stars"}) == [
        (2, {"commune": "Xã Ea Kao", "stars": "4"})
    ]


def test_files_that_cannot_be_used_are_refused_with_the_reason():
    assert refusal(b"x", "registry.pdf") == "Upload a .csv or .xlsx file."
    assert refusal(b"not a zip", "registry.xlsx") == "The file could not be read as Excel (XLSX)."
    assert refusal(b"not a zip", "r.xlsx", unreadable=_("The file could not be read.")) == (
        "The file could not be read."
    )
    assert refusal(b"\n,,\n", "r.csv") == "The file has no header row."
    assert refusal(b"a,b\n" * 100, "r.csv", max_bytes=399, too_large=_("The file is larger than 5 MB.")) == (
        "The file is larger than 5 MB."
    )
    assert spreadsheets.read_sheet(b"a,b\n" * 100, "r.csv", max_rows=100, max_bytes=400).rows  # at the limit


def test_a_sheet_without_data_rows_or_with_more_rows_than_allowed_is_refused():
    at_limit = spreadsheets.read_sheet(b"Hang sao\n" + b"4\n" * 3, "r.csv", max_rows=3)
    over_limit = spreadsheets.read_sheet(b"Hang sao\n" + b"4\n" * 4, "r.csv", max_rows=3)
    header_only = spreadsheets.read_sheet(b"Hang sao\n\n", "r.csv", max_rows=3)

    assert len(at_limit.records({0: "stars"})) == 3
    with pytest.raises(SheetRefused) as too_many:
        over_limit.records({0: "stars"})
    with pytest.raises(SheetRefused) as empty:
        header_only.records({0: "stars"})
    too_many_issue = Issue(too_many.value.message, params=too_many.value.params)
    assert (too_many_issue.text_en, too_many_issue.text_vi) == (
        "The file has more than 3 rows; split it.",
        "Tệp có hơn 3 dòng; hãy chia nhỏ tệp.",
    )
    assert Issue(empty.value.message).text_vi == "Tệp không có dòng dữ liệu nào."


def test_an_issue_names_its_row_column_and_problem_in_vietnamese_and_english():
    issue = Issue(_("Required column “%(name)s” is missing."), row=7, column="stars", params={"name": _("Stars")})
    whole_row = Issue(_("This value is required."), row=8)

    assert issue.as_dict() == {
        "row": 7,
        "column": "stars",
        "column_vi": "Hạng sao",
        "column_en": "Stars",
        "message_vi": "Thiếu cột bắt buộc “Hạng sao”.",
        "message_en": "Required column “Stars” is missing.",
    }
    assert (whole_row.column_vi, whole_row.column_en, whole_row.text_vi) == ("", "", "Giá trị này là bắt buộc.")
    assert Issue(_("This value is required."), column="other").column_en == "other"  # not a template column
