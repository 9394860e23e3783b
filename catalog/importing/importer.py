"""Import of the registry (producers, products, certification decisions) from a CSV or XLSX sheet.

One row is one product in one decision; rows sharing a decision number form that decision. The
import is all-or-nothing: every row is parsed and checked, then everything is written in one
transaction through ``catalog.services.issue_certification`` (so the audit trail and the outbox
events are the registry's own); any error, or a dry run, rolls the whole transaction back.
Re-importing the same file changes nothing: producers and products are only updated where a value
really differs, and a decision already recorded with the same content is skipped.

Every problem is an ``ImportIssue`` naming the row, the column and the problem; its message is a
translatable string rendered in Vietnamese and in English (``issue.text("vi")``, ``issue.text("en")``).
"""

import dataclasses
import datetime
import re
import unicodedata
from collections.abc import Iterable
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ocop.spreadsheets import (
    Column,
    Sheet,
    SheetIssue,
    SheetRefused,
    append_row,
    csv_bytes,
    fold,
    header_index,
    read_sheet,
    xlsx_bytes,
)

from . import audit, services
from .error_codes import CatalogErrorCode
from .models import (
    Certificate,
    CertificationDecision,
    Commune,
    Level,
    Producer,
    Product,
    ProductGroup,
    ProductSubGroup,
)
from .querysets import local_today
from .validators import normalize_gtin, normalize_registration_number, validate_registration_number

DEFAULT_PROVINCE = "Đắk Lắk"
MAX_ROWS = 5000
#: How many rows above the header row may hold a title (government sheets often start with one).
HEADER_SEARCH_ROWS = 10


# --- The template: columns, their English keys and Vietnamese headers ---------------------------------


COLUMNS: tuple[Column, ...] = (
    Column("registration_number", "Mã số thuế", _("Registration number"), True,
           ("Mã số thuế/Số ĐKKD", "Số ĐKKD", "Mã số doanh nghiệp", "Mã số hộ kinh doanh", "Tax code"),
           _("10-digit tax code (0123456789 or 0123456789-001) or household business number (40A8001234)."),
           "6000123456"),
    Column("producer_name", "Tên chủ thể", _("Producer name"), True,
           ("Chủ thể", "Chủ thể OCOP", "Tên chủ thể OCOP", "Producer"), "", "HTX Cà phê Buôn Ma Thuột"),
    Column("producer_type", "Loại hình", _("Producer type"), True,
           ("Loại hình chủ thể", "Loại hình tổ chức", "Type"),
           _("Doanh nghiệp, Hợp tác xã (HTX), Tổ hợp tác (THT) or Hộ sản xuất kinh doanh."), "Hợp tác xã"),
    Column("representative", "Người đại diện", _("Representative"), False, ("Đại diện",), "", "Y Bhin Niê"),
    Column("phone", "Điện thoại", _("Phone"), False, ("Số điện thoại", "SĐT"), "", "0262 3850 000"),
    Column("address_line", "Địa chỉ", _("Street address"), False, ("Địa chỉ chi tiết", "Address"), "",
           "12 Lê Duẩn"),
    Column("commune", "Xã/phường", _("Commune"), True, ("Xã/phường/thị trấn", "Xã", "Phường", "Xã, phường"),
           "", "Phường Buôn Ma Thuột"),
    Column("district", "Huyện (trước 07/2025)", _("District (before 07/2025)"), False,
           ("Huyện", "Huyện/thị xã/thành phố", "Quận/huyện"),
           _("Only for addresses recorded before the districts were abolished on 01/07/2025."), ""),
    Column("province", "Tỉnh", _("Province"), False, ("Tỉnh/thành phố",),
           _("Empty means Đắk Lắk."), "Đắk Lắk"),
    Column("product_name", "Tên sản phẩm", _("Product name"), True, ("Sản phẩm", "Product"), "",
           "Cà phê bột Buôn Ma Thuột"),
    Column("product_name_en", "Tên sản phẩm (tiếng Anh)", _("Product name (English)"), False,
           ("Tên tiếng Anh",), "", "Buon Ma Thuot ground coffee"),
    Column("product_group", "Nhóm sản phẩm", _("Product group"), True, ("Nhóm", "Ngành hàng"),
           _("Code (1–6) or name of the group of Decision 148/QĐ-TTg, e.g. 1 or Thực phẩm."), "1"),
    Column("product_subgroup", "Phân nhóm", _("Product sub-group"), False,
           ("Phân nhóm sản phẩm", "Bộ sản phẩm", "Nhóm con"),
           _("Code or name of the sub-group (product set), e.g. 1.6 or Cà phê, ca cao."), "1.6"),
    Column("gtin", "GTIN/Mã vạch", _("GTIN"), False, ("Mã vạch", "Mã GTIN", "Barcode"),
           _("GTIN-8, 12, 13 or 14 with a correct check digit; stored as GTIN-14."), "8934602001238"),
    Column("decision_number", "Số quyết định", _("Decision number"), True, ("Số QĐ", "Quyết định số"), "",
           "1234/QĐ-UBND"),
    Column("decision_date", "Ngày quyết định", _("Decision date"), True,
           ("Ngày ký", "Ngày ban hành", "Ngày QĐ"), _("dd/mm/yyyy, yyyy-mm-dd or an Excel date."), "01/09/2025"),
    Column("authority_level", "Cấp công nhận", _("Certifying level"), True,
           ("Cấp quyết định", "Cấp ban hành", "Cấp"), _("Huyện, Tỉnh or Trung ương (district, province, central)."),
           "Tỉnh"),
    Column("authority_name", "Cơ quan ban hành", _("Issuing authority"), True,
           ("Cơ quan quyết định", "Đơn vị ban hành"), "", "UBND tỉnh Đắk Lắk"),
    Column("stars", "Hạng sao", _("Stars"), True, ("Số sao", "Xếp hạng", "Hạng"), _("3, 4 or 5."), "4"),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
#: Headers that are recognised and ignored (ordinal numbers, remarks).
IGNORED_HEADERS = ("STT", "Số thứ tự", "No.", "Ghi chú", "Note", "Notes")


# --- Issues (errors) in two languages ---------------------------------------------------------------


class ImportIssue(SheetIssue):
    """One problem of the import, with the error code of the catalog (``CatalogErrorCode`` or a column problem)."""

    columns: ClassVar = COLUMNS_BY_KEY

    @property
    def column_label(self) -> str:
        """The column as the file names it, with the template key: 'Hạng sao (stars)'."""
        if self.column is None:
            return self.header
        shown = self.header or COLUMNS_BY_KEY[self.column].header_vi
        return shown if fold(shown) == fold(self.column) else f"{shown} ({self.column})"

    def __str__(self) -> str:
        where = [f"row {self.row}" if self.row is not None else "file"]
        if self.column_label:
            where.append(f"column {self.column_label}")
        return f"{', '.join(where)}: {self.text('vi')} / {self.text('en')}"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "header": self.column_label, "code": self.code,
                "message_vi": self.text("vi"), "message_en": self.text("en")}


@dataclasses.dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclasses.dataclass
class ImportResult:
    dry_run: bool = False
    rows: int = 0
    errors: list[ImportIssue] = dataclasses.field(default_factory=list)
    communes: Tally = dataclasses.field(default_factory=Tally)
    producers: Tally = dataclasses.field(default_factory=Tally)
    products: Tally = dataclasses.field(default_factory=Tally)
    decisions: Tally = dataclasses.field(default_factory=Tally)
    certificates: Tally = dataclasses.field(default_factory=Tally)

    TALLIES = {"communes": _("Communes"), "producers": _("Producers"), "products": _("Products"),
               "decisions": _("Decisions"), "certificates": _("Certificates")}

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def committed(self) -> bool:
        return self.ok and not self.dry_run

    def _total(self, name: str) -> int:
        return sum(getattr(getattr(self, tally), name) for tally in self.TALLIES)

    @property
    def created(self) -> int:
        return self._total("created")

    @property
    def updated(self) -> int:
        return self._total("updated")

    @property
    def unchanged(self) -> int:
        return self._total("unchanged")

    def tallies(self) -> list[tuple[str, Any, Tally]]:
        """(name, translated label, tally) of each kind of record."""
        return [(name, label, getattr(self, name)) for name, label in self.TALLIES.items()]

    def add(self, message, *, row=None, column=None, header="", code=CatalogErrorCode.INVALID.value, **params):
        self.errors.append(ImportIssue(message, row, column, header, params, code))


# --- Parsing values ----------------------------------------------------------------------------------

_PRODUCER_KINDS = {
    Producer.Kind.ENTERPRISE: ("doanh nghiệp", "dn", "công ty", "enterprise", "company"),
    Producer.Kind.COOPERATIVE: ("hợp tác xã", "htx", "cooperative"),
    Producer.Kind.COOPERATIVE_GROUP: ("tổ hợp tác", "tht", "cooperative group"),
    Producer.Kind.HOUSEHOLD: ("hộ sản xuất kinh doanh", "hộ sản xuất kinh doanh có đăng ký kinh doanh",
                              "hộ kinh doanh", "hộ sản xuất", "hộ sxkd", "hộ", "hkd", "household",
                              "registered household business"),
}
_LEVELS = {
    Level.COMMUNE: ("xã", "cấp xã", "ubnd xã", "commune"),
    Level.DISTRICT: ("huyện", "cấp huyện", "ubnd huyện", "district"),
    Level.PROVINCE: ("tỉnh", "cấp tỉnh", "ubnd tỉnh", "province"),
    Level.CENTRAL: ("trung ương", "cấp trung ương", "bộ", "central", "national", "quốc gia"),
}


def _choices(table: dict) -> dict[str, str]:
    folded = {}
    for value, names in table.items():
        folded[fold(value)] = value
        for name in names:
            folded[fold(name)] = value
    return folded


PRODUCER_KINDS = _choices(_PRODUCER_KINDS)
LEVELS = _choices(_LEVELS)


def clean_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        value = value.strftime("%d/%m/%Y")
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(value))).strip()


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d")


def parse_date(value: Any) -> datetime.date | None:
    """A date cell: an Excel date, an Excel serial number, dd/mm/yyyy or yyyy-mm-dd. None if not a date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    text = clean_text(value)
    text = re.sub(r"\s+00:00(:00)?$", "", text)
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_stars(value: Any) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    match = re.fullmatch(r"(\d+)\s*(?:sao|★|\*|stars?)?", fold(clean_text(value)))
    return int(match.group(1)) if match else None


class _Lookup:
    """Product groups and sub-groups by code ('1', '1.6'), 'code. name' or name (vi/en, accent-insensitive)."""

    def __init__(self):
        self.groups = self._index(ProductGroup.objects.all())
        self.subgroups = self._index(ProductSubGroup.objects.select_related("group"))

    @staticmethod
    def _index(rows: Iterable) -> dict[str, Any]:
        index = {}
        for row in rows:
            for key in (row.code, row.name_vi, row.name_en, str(row)):
                index.setdefault(fold(key), row)
        return index

    @staticmethod
    def _code(text: str) -> str:
        match = re.match(r"^(\d+(?:\.\d+)?)\.?(\s|$)", text)
        return match.group(1) if match else text

    def group(self, text: str):
        return self.groups.get(fold(text)) or self.groups.get(fold(self._code(text)))

    def subgroup(self, text: str):
        return self.subgroups.get(fold(text)) or self.subgroups.get(fold(self._code(text)))


@dataclasses.dataclass
class Row:
    number: int
    values: dict[str, str]  # cleaned text of every template column
    registration_number: str = ""
    producer_kind: str = ""
    group: ProductGroup | None = None
    subgroup: ProductSubGroup | None = None
    gtin: str = ""
    decision_date: datetime.date | None = None
    authority_level: str = ""
    stars: int | None = None

    @property
    def product_key(self) -> tuple[str, str]:
        return (self.registration_number, self.values["product_name"])


def _max_lengths() -> dict[str, int]:
    fields = {
        "producer_name": Producer._meta.get_field("name"), "representative": Producer._meta.get_field("representative"),
        "phone": Producer._meta.get_field("phone"), "address_line": Producer._meta.get_field("address_line"),
        "commune": Commune._meta.get_field("name"), "district": Commune._meta.get_field("district"),
        "province": Commune._meta.get_field("province"), "product_name": Product._meta.get_field("name_vi"),
        "product_name_en": Product._meta.get_field("name_en"),
        "decision_number": CertificationDecision._meta.get_field("number"),
        "authority_name": CertificationDecision._meta.get_field("authority_name"),
    }
    return {column: field.max_length for column, field in fields.items()}


_MAX_LENGTHS = _max_lengths()


def _parse_row(number: int, cells: dict[str, Any], lookup: _Lookup, today, result, headers) -> Row:
    values = {key: clean_text(cells.get(key)) for key in COLUMNS_BY_KEY}
    row = Row(number, values)

    def error(column, message, code=CatalogErrorCode.INVALID.value, **params):
        result.add(message, row=number, column=column, header=headers.get(column, ""), code=code, **params)

    for column in COLUMNS:
        if column.required and not values[column.key]:
            error(column.key, _("This value is required."), CatalogErrorCode.REQUIRED.value)
        limit = _MAX_LENGTHS.get(column.key)
        if limit and len(values[column.key]) > limit:
            error(column.key, _("At most %(max)s characters are allowed here."), max=limit)

    if values["registration_number"]:
        registration = normalize_registration_number(values["registration_number"])
        try:
            validate_registration_number(registration)
        except ValidationError as exc:
            _add_validation_error(result, exc, number, "registration_number", headers)
        else:
            row.registration_number = registration
    if values["producer_type"]:
        row.producer_kind = PRODUCER_KINDS.get(fold(values["producer_type"]), "")
        if not row.producer_kind:
            error("producer_type", _("Unknown producer type “%(value)s”; expected Doanh nghiệp, Hợp tác xã, "
                                     "Tổ hợp tác or Hộ sản xuất kinh doanh."), value=values["producer_type"])
    if values["product_group"]:
        row.group = lookup.group(values["product_group"])
        if row.group is None:
            subgroup = lookup.subgroup(values["product_group"])
            if subgroup is not None:  # a sub-group in the group column names its group too
                row.group, row.subgroup = subgroup.group, subgroup
            else:
                error("product_group", _("Unknown product group “%(value)s”."), value=values["product_group"])
    if values["product_subgroup"]:
        row.subgroup = lookup.subgroup(values["product_subgroup"])
        if row.subgroup is None:
            error("product_subgroup", _("Unknown product sub-group “%(value)s”."), value=values["product_subgroup"])
        elif row.group is not None and row.subgroup.group_id != row.group.pk:
            error("product_subgroup", _("Sub-group %(subgroup)s does not belong to group %(group)s."),
                  subgroup=str(row.subgroup), group=str(row.group))
    if values["gtin"]:
        try:
            row.gtin = normalize_gtin(values["gtin"])
        except ValidationError as exc:
            _add_validation_error(result, exc, number, "gtin", headers)
    if values["decision_date"]:
        row.decision_date = parse_date(cells.get("decision_date"))
        if row.decision_date is None:
            error("decision_date", _("“%(value)s” is not a date; use dd/mm/yyyy or yyyy-mm-dd."),
                  value=values["decision_date"])
        elif row.decision_date > today:
            error("decision_date", _("The date %(date)s is in the future."), CatalogErrorCode.FUTURE_DATE.value,
                  date=row.decision_date.strftime("%d/%m/%Y"))
            row.decision_date = None
        else:
            values["decision_date"] = row.decision_date.strftime("%d/%m/%Y")
    if values["authority_level"]:
        row.authority_level = LEVELS.get(fold(values["authority_level"]), "")
        if not row.authority_level:
            error("authority_level", _("Unknown level “%(value)s”; expected Xã, Huyện, Tỉnh or Trung ương."),
                  value=values["authority_level"])
    if values["stars"]:
        row.stars = parse_stars(cells.get("stars"))
        if row.stars is None or not 1 <= row.stars <= 5:
            error("stars", _("Stars must be a whole number from 1 to 5, not “%(value)s”."), value=values["stars"])
            row.stars = None
    if not values["province"]:
        values["province"] = DEFAULT_PROVINCE
    return row


# --- Mapping service refusals onto rows and columns ----------------------------------------------------

_SERVICE_FIELDS = {
    "number": "decision_number",
    "signed_on": "decision_date",
    "authority_level": "authority_level",
    "authority_name": "authority_name",
    "stars": "stars",
}
_SERVICE_CODES = {  # column for refusals that name no field
    CatalogErrorCode.NO_RULE_SET.value: "decision_date",
    CatalogErrorCode.DUPLICATE_PRODUCT_IN_DECISION.value: "product_name",
    CatalogErrorCode.STARS_NOT_SUPPORTED_BY_EVALUATION.value: "stars",
}


_AWARD_CODES = {
    CatalogErrorCode.AUTHORITY_NOT_ALLOWED.value,
    CatalogErrorCode.STARS_NOT_CERTIFIABLE.value,
    CatalogErrorCode.DUPLICATE_PRODUCT_IN_DECISION.value,
    CatalogErrorCode.STARS_NOT_SUPPORTED_BY_EVALUATION.value,
}


def _validation_errors(exc: ValidationError) -> list[tuple[str | None, ValidationError]]:
    if hasattr(exc, "error_dict"):
        return [(field, error) for field, errors in exc.error_dict.items() for error in errors]
    return [(None, error) for error in exc.error_list]


def _level_names() -> dict[str, Any]:
    """English name of each level → its translatable label. The services write level names into the
    parameters of their refusals as text, in English since the import writes in English."""
    with translation.override("en"):
        return {str(label): label for label in Level.labels}


def _add_validation_error(result, exc, row, column, headers, *, fields=None) -> None:
    levels = _level_names()
    for field, error in _validation_errors(exc):
        target = column
        if fields is not None:
            target = fields.get(field) or _SERVICE_CODES.get(error.code) or column
        params = {name: levels.get(value, value) if isinstance(value, str) else value
                  for name, value in (error.params or {}).items()}
        result.add(error.message, row=row, column=target, header=headers.get(target, ""),
                   code=error.code or CatalogErrorCode.INVALID.value, **params)


# --- The import ---------------------------------------------------------------------------------------

PRODUCER_FIELDS = {  # column → Producer field
    "producer_name": "name",
    "representative": "representative",
    "phone": "phone",
    "address_line": "address_line",
}
PRODUCT_COLUMNS = ("product_name_en", "product_group", "product_subgroup", "gtin")
DECISION_COLUMNS = ("decision_date", "authority_level", "authority_name")


class _Rollback(Exception):
    pass


def import_registry(data: bytes, *, filename: str, actor=None, dry_run: bool = False,
                    today: datetime.date | None = None) -> ImportResult:
    """Check and import a registry sheet. Writes nothing on a dry run or when any row has an error."""
    result = ImportResult(dry_run=dry_run)
    index = header_index(COLUMNS, IGNORED_HEADERS)
    try:
        sheet = read_sheet(data, filename, max_rows=MAX_ROWS, index=index, header_search_rows=HEADER_SEARCH_ROWS)
        keys = _map_headers(sheet, index, result)
        if result.errors:
            return result
        records = sheet.records(keys)
    except SheetRefused as refused:
        result.add(refused.message, **refused.params)
        return result
    headers = {key: sheet.headers[position] for position, key in keys.items() if key}
    lookup = _Lookup()
    today = today or local_today()
    rows = [_parse_row(number, cells, lookup, today, result, headers) for number, cells in records]
    result.rows = len(rows)
    _check_consistency(rows, result, headers)
    if result.errors:
        return result
    try:
        with transaction.atomic(), translation.override("en"):
            # English while writing: the services' parameters (level names) are then message ids that
            # ImportIssue renders in either language.
            _Writer(rows, result, headers, actor).run()
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except IntegrityError:  # another import or an editor wrote the same records meanwhile
        result.add(_("The registry changed while the file was being imported; import it again."))
    return result


def _map_headers(sheet: Sheet, index: dict[str, str | None], result: ImportResult) -> dict[int, str | None]:
    """Position of each header → template key (None for ignored columns); unknown and missing are errors."""
    keys: dict[int, str | None] = {}
    seen: set[str] = set()
    for position, header in enumerate(sheet.headers):
        if not header:
            continue
        key = index.get(fold(header), "")
        if key == "":
            result.add(_("Unknown column “%(name)s”."), row=sheet.header_row, header=header,
                       code="unknown_column", name=header)
        elif key is not None and key in seen:
            result.add(_("Column “%(name)s” appears twice."), row=sheet.header_row, column=key, header=header,
                       code="duplicate_column", name=header)
        else:
            if key is not None:
                seen.add(key)
            keys[position] = key
    for column in COLUMNS:
        if column.required and column.key not in seen:
            result.add(_("Required column “%(name)s” is missing."), row=sheet.header_row, column=column.key,
                       code="missing_column", name=f"{column.header_vi} ({column.key})")
    return keys


def _canonical(row: Row, column: str):
    """The value of a column as the import understands it (so '1' and 'Thực phẩm' are the same group)."""
    parsed = {
        "producer_type": lambda: row.producer_kind,
        "product_group": lambda: row.group and row.group.pk,
        "product_subgroup": lambda: row.subgroup and row.subgroup.pk,
        "gtin": lambda: row.gtin,
        "decision_date": lambda: row.decision_date,
        "authority_level": lambda: row.authority_level,
    }
    if column in parsed:
        return parsed[column]()
    return fold(row.values[column])


_PRODUCER_COLUMNS = ("producer_name", "producer_type", "representative", "phone", "address_line", "commune",
                     "district", "province")


def _check_consistency(rows: list[Row], result: ImportResult, headers) -> None:
    """Rows that repeat a producer, product or decision must agree with each other."""
    firsts: dict[tuple, Row] = {}

    def conflicts(kind, key, row, columns, message, **params):
        first = firsts.setdefault((kind, key), row)
        for column in columns if first is not row else ():
            mine, theirs = _canonical(row, column), _canonical(first, column)
            if mine and theirs and mine != theirs:
                result.add(message, row=row.number, column=column, header=headers.get(column, ""),
                           code="conflicting_rows", other_row=first.number, other=first.values[column], **params)
        return first

    for row in rows:
        number = row.values["decision_number"]
        if row.registration_number:
            conflicts("producer", row.registration_number, row, _PRODUCER_COLUMNS,
                      _("Registration number %(number)s is also on row %(other_row)s with a different value in "
                        "this column (“%(other)s”)."), number=row.registration_number)
            if row.values["product_name"]:
                conflicts("product", row.product_key, row, PRODUCT_COLUMNS,
                          _("Product “%(product)s” is also on row %(other_row)s with a different value in this "
                            "column (“%(other)s”)."), product=row.values["product_name"])
                first = firsts.setdefault(("award", number, row.product_key), row)
                if number and first is not row:
                    result.add(_("Product “%(product)s” is already listed in decision %(number)s on row "
                                 "%(other_row)s."), row=row.number, column="product_name",
                               header=headers.get("product_name", ""),
                               code=CatalogErrorCode.DUPLICATE_PRODUCT_IN_DECISION.value,
                               product=row.values["product_name"], number=number, other_row=first.number)
        if row.gtin:
            first = firsts.setdefault(("gtin", row.gtin), row)
            if first.product_key != row.product_key:
                result.add(_("GTIN %(gtin)s is also given to another product on row %(other_row)s."),
                           row=row.number, column="gtin", header=headers.get("gtin", ""), code="conflicting_rows",
                           gtin=row.gtin, other_row=first.number)
        if number:
            conflicts("decision", number, row, DECISION_COLUMNS,
                      _("Decision %(number)s is also on row %(other_row)s with a different value in this column "
                        "(“%(other)s”)."), number=number)


def _merged(rows: list[Row], columns) -> dict[str, str]:
    """The first non-empty value of each column over the rows (they agree, see _check_consistency)."""
    return {column: next((row.values[column] for row in rows if row.values[column]), "") for column in columns}


class _Writer:
    def __init__(self, rows: list[Row], result: ImportResult, headers: dict, actor):
        self.rows, self.result, self.headers, self.actor = rows, result, headers, actor
        self.products: dict[tuple, Product] = {}
        self.communes: dict[tuple, Commune] = {}

    def error(self, row: Row, column: str | None, message, code=CatalogErrorCode.INVALID.value, **params):
        self.result.add(message, row=row.number, column=column, header=self.headers.get(column, ""), code=code,
                        **params)

    def run(self) -> None:
        by_producer: dict[str, list[Row]] = {}
        for row in self.rows:
            by_producer.setdefault(row.registration_number, []).append(row)
        for rows in by_producer.values():
            producer = self.producer(rows)
            by_product: dict[str, list[Row]] = {}
            for row in rows:
                by_product.setdefault(row.values["product_name"], []).append(row)
            for product_rows in by_product.values():
                product = self.product(producer, product_rows)
                if product is not None:
                    self.products[product_rows[0].product_key] = product
        if self.result.errors:
            return
        by_decision: dict[str, list[Row]] = {}
        for row in self.rows:
            by_decision.setdefault(row.values["decision_number"], []).append(row)
        for rows in sorted(by_decision.values(), key=lambda rows: (rows[0].decision_date, rows[0].number)):
            self.decision(rows)

    # Communes and producers

    def commune(self, values: dict[str, str]) -> Commune:
        """Found or created by (province, district, name), ignoring case."""
        key = tuple(values[column].casefold() for column in ("province", "district", "commune"))
        if key in self.communes:
            return self.communes[key]
        lookup = {"province__iexact": values["province"], "district__iexact": values["district"],
                  "name__iexact": values["commune"]}
        commune = Commune.objects.filter(**lookup).order_by("pk").first()
        if commune is not None:
            self.result.communes.unchanged += 1
        else:
            commune = Commune.objects.create(province=values["province"], district=values["district"],
                                             name=values["commune"])
            audit.log(actor=self.actor, action="commune.created", instance=commune)
            self.result.communes.created += 1
        self.communes[key] = commune
        return commune

    def producer(self, rows: list[Row]) -> Producer:
        values = _merged(rows, _PRODUCER_COLUMNS)
        commune = self.commune(values)
        wanted = {"kind": rows[0].producer_kind, "commune": commune}
        wanted.update({field: values[column] for column, field in PRODUCER_FIELDS.items() if values[column]})
        registration = rows[0].registration_number
        producer = Producer.objects.filter(registration_number=registration).first()
        if producer is None:
            producer = Producer.objects.create(registration_number=registration, **wanted)
            audit.log(actor=self.actor, action="producer.created", instance=producer)
            self.result.producers.created += 1
            return producer
        self._update(producer, wanted, "producer.updated", self.result.producers)
        return producer

    def product(self, producer: Producer, rows: list[Row]) -> Product | None:
        values = _merged(rows, ["product_name", *PRODUCT_COLUMNS])
        first = rows[0]
        group = next((row.group for row in rows if row.group), None)
        subgroup = next((row.subgroup for row in rows if row.subgroup), None)
        gtin = next((row.gtin for row in rows if row.gtin), "")
        product = Product.objects.filter(producer=producer, name_vi=values["product_name"]).first()
        if gtin:
            taken = Product.objects.filter(gtin=gtin).exclude(pk=product.pk if product else None).first()
            if taken is not None:
                gtin_row = next(row for row in rows if row.gtin)
                self.error(gtin_row, "gtin", _("GTIN %(gtin)s already belongs to “%(product)s” in the registry."),
                           gtin=gtin, product=str(taken))
                return None
        wanted: dict[str, Any] = {"group": group}
        if subgroup is not None:
            wanted["subgroup"] = subgroup
        elif product is not None and product.subgroup_id and product.subgroup.group_id != group.pk:
            wanted["subgroup"] = None
        if gtin:
            wanted["gtin"] = gtin
        if values["product_name_en"]:
            wanted["name_en"] = values["product_name_en"]
        try:
            with transaction.atomic():
                if product is None:
                    product = Product.objects.create(producer=producer, name_vi=values["product_name"], **wanted)
                    audit.log(actor=self.actor, action="product.created", instance=product)
                    self.result.products.created += 1
                    return product
                self._update(product, wanted, "product.updated", self.result.products)
        except IntegrityError as exc:  # a race with another writer; the check above covers the known cases
            self.error(first, None, _("This row could not be saved: %(error)s"), error=str(exc).splitlines()[0])
            return None
        return product

    def _update(self, instance, wanted: dict, action: str, tally: Tally) -> None:
        changed = [field for field, value in wanted.items() if getattr(instance, field) != value]
        if not changed:
            tally.unchanged += 1
            return
        before = audit.snapshot(instance)
        for field in changed:
            setattr(instance, field, wanted[field])
        instance.save(update_fields=[*changed, "updated_at"])
        audit.log(actor=self.actor, action=action, instance=instance, before=before)
        tally.updated += 1

    # Decisions

    def decision(self, rows: list[Row]) -> None:
        first = rows[0]
        number = first.values["decision_number"]
        existing = CertificationDecision.objects.filter(number=number).first()
        if existing is not None:
            self.compare_existing(existing, rows)
            return
        awards = [services.Award(product=self.products[row.product_key], stars=row.stars) for row in rows]
        header = {"number": number, "signed_on": first.decision_date, "authority_level": first.authority_level,
                  "authority_name": first.values["authority_name"]}
        try:
            services.issue_certification(**header, awards=awards, actor=self.actor)
        except ValidationError as exc:
            self.refused(rows, header, exc)
            return
        self.result.decisions.created += 1
        self.result.certificates.created += len(rows)

    def refused(self, rows: list[Row], header: dict, exc: ValidationError) -> None:
        """Put a refusal on the rows it concerns: a header refusal on the decision's first row, an award
        refusal on each row it applies to (found by offering each row alone, then rolling back)."""
        award_problem = any(error.code in _AWARD_CODES for _field, error in _validation_errors(exc))
        if not award_problem or len(rows) == 1:
            _add_validation_error(self.result, exc, rows[0].number, "decision_number", self.headers,
                                  fields=_SERVICE_FIELDS)
            return
        for row in rows:
            try:
                with transaction.atomic():
                    services.issue_certification(
                        **header, awards=[services.Award(product=self.products[row.product_key], stars=row.stars)],
                        actor=self.actor,
                    )
                    raise _Rollback
            except _Rollback:
                continue
            except ValidationError as row_exc:
                _add_validation_error(self.result, row_exc, row.number, "decision_number", self.headers,
                                      fields=_SERVICE_FIELDS)

    def compare_existing(self, decision: CertificationDecision, rows: list[Row]) -> None:
        number = decision.number
        if decision.kind != CertificationDecision.Kind.CERTIFICATION:
            self.error(rows[0], "decision_number",
                       _("Decision %(number)s is already in the registry as a revocation decision."),
                       CatalogErrorCode.DUPLICATE_DECISION.value, number=number)
            return
        recorded = {"decision_date": decision.signed_on.strftime("%d/%m/%Y"),
                    "authority_level": decision.authority_level, "authority_name": decision.authority_name}
        given = {"decision_date": rows[0].values["decision_date"], "authority_level": rows[0].authority_level,
                 "authority_name": rows[0].values["authority_name"]}
        differs = False
        for column in DECISION_COLUMNS:
            if recorded[column] != given[column]:
                differs = True
                shown = Level(recorded[column]).label if column == "authority_level" else recorded[column]
                self.error(rows[0], column,
                           _("Decision %(number)s is already in the registry with a different value here "
                             "(“%(other)s”)."), CatalogErrorCode.DUPLICATE_DECISION.value,
                           number=number, other=shown)
        if differs:
            return
        stars = dict(Certificate.objects.filter(decision=decision).values_list("product_id", "stars"))
        for row in rows:
            product = self.products[row.product_key]
            if product.pk not in stars:
                self.error(row, "product_name",
                           _("Decision %(number)s is already in the registry and does not list this product; "
                             "a recorded decision cannot be changed by an import."),
                           CatalogErrorCode.DUPLICATE_DECISION.value, number=number)
            elif stars[product.pk] != row.stars:
                self.error(row, "stars",
                           _("Decision %(number)s is already in the registry with %(stars)s★ for this product."),
                           CatalogErrorCode.DUPLICATE_DECISION.value, number=number, stars=stars[product.pk])
            else:
                self.result.certificates.unchanged += 1
        self.result.decisions.unchanged += 1


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
    lists = {"producer_type": '"Doanh nghiệp,Hợp tác xã,Tổ hợp tác,Hộ sản xuất kinh doanh"',
             "authority_level": '"Huyện,Tỉnh,Trung ương"', "stars": '"3,4,5"'}
    for key, formula in lists.items():
        position = [column.key for column in COLUMNS].index(key) + 1
        letter = sheet.cell(row=1, column=position).column_letter
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.add(f"{letter}2:{letter}1000")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet("Hướng dẫn (guide)")
    append_row(guide, ["Cột (tiêu đề)", "Key", "Column", "Bắt buộc / required", "Ghi chú / notes",
                       "Ví dụ / example"], font=Font(bold=True))
    for column in COLUMNS:
        with translation.override("en"):
            label, note = str(column.label), str(column.help)
        append_row(guide, [column.header_vi, column.key, label, "x" if column.required else "", note,
                           column.example])
    append_row(guide, [])
    append_row(guide, ["Nhóm / phân nhóm", "Code", "Tiếng Việt", "English"])
    for group in ProductGroup.objects.prefetch_related("subgroups"):
        append_row(guide, ["Nhóm", group.code, group.name_vi, group.name_en])
        for subgroup in group.subgroups.all():
            append_row(guide, ["Phân nhóm", subgroup.code, subgroup.name_vi, subgroup.name_en])
    for letter, width in zip("ABCDEF", (26, 22, 28, 12, 70, 28), strict=True):
        guide.column_dimensions[letter].width = width
    return xlsx_bytes(workbook)
