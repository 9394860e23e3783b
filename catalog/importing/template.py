"""The import's template: its columns (English keys, Vietnamese headers, examples), limits, and the
downloadable CSV/XLSX files with a guide sheet."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from catalog.models import ProductGroup
from ocop.spreadsheets import (
    Column,
    append_row,
    csv_bytes,
    xlsx_bytes,
)

DEFAULT_PROVINCE = "Đắk Lắk"
MAX_ROWS = 5000
#: How many rows above the header row may hold a title (government sheets often start with one).
HEADER_SEARCH_ROWS = 10


# --- The template: columns, their English keys and Vietnamese headers ---------------------------------


COLUMNS: tuple[Column, ...] = (
    Column(
        "registration_number",
        "Mã số thuế",
        _("Registration number"),
        True,
        ("Mã số thuế/Số ĐKKD", "Số ĐKKD", "Mã số doanh nghiệp", "Mã số hộ kinh doanh", "Tax code"),
        _("10-digit tax code (0123456789 or 0123456789-001) or household business number (40A8001234)."),
        "6000123456",
    ),
    Column(
        "producer_name",
        "Tên chủ thể",
        _("Producer name"),
        True,
        ("Chủ thể", "Chủ thể OCOP", "Tên chủ thể OCOP", "Producer"),
        "",
        "HTX Cà phê Buôn Ma Thuột",
    ),
    Column(
        "producer_type",
        "Loại hình",
        _("Producer type"),
        True,
        ("Loại hình chủ thể", "Loại hình tổ chức", "Type"),
        _("Doanh nghiệp, Hợp tác xã (HTX), Tổ hợp tác (THT) or Hộ sản xuất kinh doanh."),
        "Hợp tác xã",
    ),
    Column("representative", "Người đại diện", _("Representative"), False, ("Đại diện",), "", "Y Bhin Niê"),
    Column("phone", "Điện thoại", _("Phone"), False, ("Số điện thoại", "SĐT"), "", "0262 3850 000"),
    Column("address_line", "Địa chỉ", _("Street address"), False, ("Địa chỉ chi tiết", "Address"), "", "12 Lê Duẩn"),
    Column(
        "commune",
        "Xã/phường",
        _("Commune"),
        True,
        ("Xã/phường/thị trấn", "Xã", "Phường", "Xã, phường"),
        "",
        "Phường Buôn Ma Thuột",
    ),
    Column(
        "district",
        "Huyện (trước 07/2025)",
        _("District (before 07/2025)"),
        False,
        ("Huyện", "Huyện/thị xã/thành phố", "Quận/huyện"),
        _("Only for addresses recorded before the districts were abolished on 01/07/2025."),
        "",
    ),
    Column("province", "Tỉnh", _("Province"), False, ("Tỉnh/thành phố",), _("Empty means Đắk Lắk."), "Đắk Lắk"),
    Column(
        "product_name", "Tên sản phẩm", _("Product name"), True, ("Sản phẩm", "Product"), "", "Cà phê bột Buôn Ma Thuột"
    ),
    Column(
        "product_name_en",
        "Tên sản phẩm (tiếng Anh)",
        _("Product name (English)"),
        False,
        ("Tên tiếng Anh",),
        "",
        "Buon Ma Thuot ground coffee",
    ),
    Column(
        "brand",
        "Nhãn hiệu",
        _("Brand or trademark"),
        False,
        ("Thương hiệu", "Nhãn hiệu sản phẩm", "Brand"),
        _("The brand or trademark printed on the package (Circular 02/2024/TT-BKHCN)."),
        "Cà phê Ban Mê",
    ),
    Column(
        "product_group",
        "Nhóm sản phẩm",
        _("Product group"),
        True,
        ("Nhóm", "Ngành hàng"),
        _("Code (1–6) or name of the group of Decision 148/QĐ-TTg, e.g. 1 or Thực phẩm."),
        "1",
    ),
    Column(
        "product_subgroup",
        "Phân nhóm",
        _("Product sub-group"),
        False,
        ("Phân nhóm sản phẩm", "Bộ sản phẩm", "Nhóm con"),
        _("Code or name of the sub-group (product set), e.g. 1.6 or Cà phê, ca cao."),
        "1.6",
    ),
    Column(
        "gtin",
        "GTIN/Mã vạch",
        _("GTIN"),
        False,
        ("Mã vạch", "Mã GTIN", "Barcode"),
        _("GTIN-8, 12, 13 or 14 with a correct check digit; stored as GTIN-14."),
        "8934602001238",
    ),
    Column(
        "decision_number", "Số quyết định", _("Decision number"), True, ("Số QĐ", "Quyết định số"), "", "1234/QĐ-UBND"
    ),
    Column(
        "decision_date",
        "Ngày quyết định",
        _("Decision date"),
        True,
        ("Ngày ký", "Ngày ban hành", "Ngày QĐ"),
        _("dd/mm/yyyy, yyyy-mm-dd or an Excel date."),
        "01/09/2025",
    ),
    Column(
        "authority_level",
        "Cấp công nhận",
        _("Certifying level"),
        True,
        ("Cấp quyết định", "Cấp ban hành", "Cấp"),
        _("Huyện, Tỉnh or Trung ương (district, province, central)."),
        "Tỉnh",
    ),
    Column(
        "authority_name",
        "Cơ quan ban hành",
        _("Issuing authority"),
        True,
        ("Cơ quan quyết định", "Đơn vị ban hành"),
        "",
        "UBND tỉnh Đắk Lắk",
    ),
    Column("stars", "Hạng sao", _("Stars"), True, ("Số sao", "Xếp hạng", "Hạng"), _("3, 4 or 5."), "4"),
    Column(
        "valid_until",
        "Hiệu lực đến",
        _("Valid until (as stated in the decision)"),
        False,
        ("Có hiệu lực đến", "Thời hạn hiệu lực", "Valid until"),
        _(
            "Only when the decision states an end date (dd/mm/yyyy); otherwise 36 months from signing, "
            "counted from the next day."
        ),
        "",
    ),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
#: Headers that are recognised and ignored (ordinal numbers, remarks).
IGNORED_HEADERS = ("STT", "Số thứ tự", "No.", "Ghi chú", "Note", "Notes")

# --- The downloadable template ------------------------------------------------------------------------


def template_headers() -> list[str]:
    return [column.header_vi for column in COLUMNS]


def template_csv() -> bytes:
    return csv_bytes([template_headers()])


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sản phẩm OCOP"
    append_row(sheet, template_headers(), font=Font(bold=True))
    for position, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=position).column_letter
        sheet.column_dimensions[letter].width = max(14, len(column.header_vi) + 4)
        if column.key in ("registration_number", "gtin", "decision_date", "decision_number", "phone"):
            # Text cells: no lost leading zeros, no dates read in the month/day order of the user's locale.
            for row in range(2, 501):
                sheet.cell(row=row, column=position).number_format = "@"
    lists = {
        "producer_type": '"Doanh nghiệp,Hợp tác xã,Tổ hợp tác,Hộ sản xuất kinh doanh"',
        "authority_level": '"Huyện,Tỉnh,Trung ương"',
        "stars": '"3,4,5"',
    }
    for key, formula in lists.items():
        position = [column.key for column in COLUMNS].index(key) + 1
        letter = sheet.cell(row=1, column=position).column_letter
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.add(f"{letter}2:{letter}1000")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet("Hướng dẫn (guide)")
    append_row(
        guide,
        ["Cột (tiêu đề)", "Key", "Column", "Bắt buộc / required", "Ghi chú / notes", "Ví dụ / example"],
        font=Font(bold=True),
    )
    for column in COLUMNS:
        with translation.override("en"):
            label, note = str(column.label), str(column.help)
        append_row(guide, [column.header_vi, column.key, label, "x" if column.required else "", note, column.example])
    append_row(guide, [])
    append_row(guide, ["Nhóm / phân nhóm", "Code", "Tiếng Việt", "English"])
    for group in ProductGroup.objects.prefetch_related("subgroups"):
        append_row(guide, ["Nhóm", group.code, group.name_vi, group.name_en])
        for subgroup in group.subgroups.all():
            append_row(guide, ["Phân nhóm", subgroup.code, subgroup.name_vi, subgroup.name_en])
    for letter, width in zip("ABCDEF", (26, 22, 28, 12, 70, 28), strict=True):
        guide.column_dimensions[letter].width = width
    return xlsx_bytes(workbook)


# Which columns describe the producer, the product and the decision (rows sharing one must agree).
PRODUCER_FIELDS = {  # column → Producer field
    "producer_name": "name",
    "representative": "representative",
    "phone": "phone",
    "address_line": "address_line",
}
PRODUCT_COLUMNS = ("product_name_en", "brand", "product_group", "product_subgroup", "gtin")
DECISION_COLUMNS = ("decision_date", "authority_level", "authority_name")
PRODUCER_COLUMNS = (
    "producer_name",
    "producer_type",
    "representative",
    "phone",
    "address_line",
    "commune",
    "district",
    "province",
)
