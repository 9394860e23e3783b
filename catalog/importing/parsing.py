"""Reading one row of the sheet into values: text, dates, stars, producer kinds and levels in the spellings
government sheets use, and the registry's rows they name (communes, groups)."""

import dataclasses
import datetime
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalog.error_codes import CatalogErrorCode
from catalog.models import (
    CertificationDecision,
    Commune,
    Level,
    Producer,
    Product,
    ProductGroup,
    ProductSubGroup,
)
from catalog.validators import normalize_gtin, normalize_registration_number, validate_registration_number
from ocop.spreadsheets import fold

from .refusals import _add_validation_error
from .template import COLUMNS, COLUMNS_BY_KEY, DEFAULT_PROVINCE

# --- Parsing values ----------------------------------------------------------------------------------

_PRODUCER_KINDS = {
    Producer.Kind.ENTERPRISE: ("doanh nghiệp", "dn", "công ty", "enterprise", "company"),
    Producer.Kind.COOPERATIVE: ("hợp tác xã", "htx", "cooperative"),
    Producer.Kind.COOPERATIVE_GROUP: ("tổ hợp tác", "tht", "cooperative group"),
    Producer.Kind.HOUSEHOLD: (
        "hộ sản xuất kinh doanh",
        "hộ sản xuất kinh doanh có đăng ký kinh doanh",
        "hộ kinh doanh",
        "hộ sản xuất",
        "hộ sxkd",
        "hộ",
        "hkd",
        "household",
        "registered household business",
    ),
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
    valid_until: datetime.date | None = None

    @property
    def product_key(self) -> tuple[str, str]:
        return (self.registration_number, self.values["product_name"])


def _max_lengths() -> dict[str, int]:
    fields = {
        "producer_name": Producer._meta.get_field("name"),
        "representative": Producer._meta.get_field("representative"),
        "phone": Producer._meta.get_field("phone"),
        "address_line": Producer._meta.get_field("address_line"),
        "commune": Commune._meta.get_field("name"),
        "district": Commune._meta.get_field("district"),
        "province": Commune._meta.get_field("province"),
        "product_name": Product._meta.get_field("name_vi"),
        "product_name_en": Product._meta.get_field("name_en"),
        "brand": Product._meta.get_field("brand"),
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
            error(
                "producer_type",
                _(
                    "Unknown producer type “%(value)s”; expected Doanh nghiệp, Hợp tác xã, "
                    "Tổ hợp tác or Hộ sản xuất kinh doanh."
                ),
                value=values["producer_type"],
            )
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
            error(
                "product_subgroup",
                _("Sub-group %(subgroup)s does not belong to group %(group)s."),
                subgroup=str(row.subgroup),
                group=str(row.group),
            )
    if values["gtin"]:
        try:
            row.gtin = normalize_gtin(values["gtin"])
        except ValidationError as exc:
            _add_validation_error(result, exc, number, "gtin", headers)
    row.decision_date = _date_cell(values, cells, "decision_date", error, not_after=today)
    row.valid_until = _date_cell(values, cells, "valid_until", error)
    if values["authority_level"]:
        row.authority_level = LEVELS.get(fold(values["authority_level"]), "")
        if not row.authority_level:
            error(
                "authority_level",
                _("Unknown level “%(value)s”; expected Xã, Huyện, Tỉnh or Trung ương."),
                value=values["authority_level"],
            )
    if values["stars"]:
        row.stars = parse_stars(cells.get("stars"))
        if row.stars is None or not 1 <= row.stars <= 5:
            error("stars", _("Stars must be a whole number from 1 to 5, not “%(value)s”."), value=values["stars"])
            row.stars = None
    if not values["province"]:
        values["province"] = DEFAULT_PROVINCE
    return row


def _date_cell(values, cells, key, error, *, not_after=None):
    """The date in column ``key`` (shown back as dd/mm/yyyy), or None with the problem reported: not a date, or
    after ``not_after``."""
    if not values[key]:
        return None
    date = parse_date(cells.get(key))
    if date is None:
        error(key, _("“%(value)s” is not a date; use dd/mm/yyyy or yyyy-mm-dd."), value=values[key])
        return None
    if not_after is not None and date > not_after:
        error(
            key,
            _("The date %(date)s is in the future."),
            CatalogErrorCode.FUTURE_DATE.value,
            date=date.strftime("%d/%m/%Y"),
        )
        return None
    values[key] = date.strftime("%d/%m/%Y")
    return date
