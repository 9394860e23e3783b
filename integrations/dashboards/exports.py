"""Tables of the dashboards as an XLSX workbook (openpyxl) and as a printable PDF report (reportlab).

Cells hold names typed by others (products, points, scanned codes): the workbook is written through
``ocop.spreadsheets`` so that none of them runs as a formula.
"""

import dataclasses
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.html import escape

from catalog import formats
from ocop.spreadsheets import append_row, xlsx_bytes

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclasses.dataclass
class Table:
    """One table of a dashboard: what the page shows, the workbook's sheet and the PDF's section."""

    key: str
    title: str
    headers: list[str]
    rows: list[list]
    chart: object = None  # charts.Chart drawn above the table on the page
    sheet: str = ""  # the workbook's sheet name (≤ 31 characters); derived from the title when empty

    @property
    def cells(self) -> list[list[tuple[str, bool]]]:
        """The rows as the page shows them: (text in Vietnamese formats, is a number) per cell."""
        return [[(formats.cell(value), formats.is_number(value)) for value in row] for row in self.rows]


SHEET_NAME_MAX = 31  # Excel's limit


def sheet_names(tables: list[Table]) -> list[str]:
    """A short, unique, valid sheet name per table: its own ``sheet``, else its title without the trailing year
    when that fits, else the title's first words; the full title is written in the sheet's first row."""
    names = []
    for table in tables:
        title = "".join(c for c in str(table.sheet or table.title) if c not in "[]:*?/\\").strip()
        if len(title) > SHEET_NAME_MAX:
            title = re.sub(r",\s*\D{0,6}\d{4}$", "", title)  # ", 2026" / ", năm 2026"
        if len(title) > SHEET_NAME_MAX:
            title = title[: SHEET_NAME_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;–-") + "…"
        name, n = title or table.key[:SHEET_NAME_MAX], 1
        while name.lower() in (used.lower() for used in names):
            n += 1
            suffix = f" ({n})"
            name = title[: SHEET_NAME_MAX - len(suffix)] + suffix
        names.append(name)
    return names


def to_xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table, name in zip(tables, sheet_names(tables), strict=True):
        sheet = book.create_sheet(name)
        append_row(sheet, [str(table.title)], font=Font(bold=True, size=13))  # the full title, first row
        append_row(sheet, table.headers, font=Font(bold=True))
        for row in table.rows:
            append_row(sheet, [_plain(value) for value in row])
        for cells in sheet.iter_rows(min_row=3):
            for cell in cells:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    cell.number_format = formats.XLSX_NUMBER if float(cell.value).is_integer() else formats.XLSX_DECIMAL
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = formats.XLSX_DATE
        sheet.freeze_panes = "A3"
        for index, header in enumerate(table.headers, start=1):
            width = max([len(str(header))] + [len(formats.cell(r[index - 1])) for r in table.rows[:200]])
            sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = min(width + 2, 60)
    return xlsx_bytes(book)


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _fonts() -> tuple[str, str]:
    """DejaVu Sans (Vietnamese glyphs) when installed, else reportlab's Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
    return "DejaVuSans", "DejaVuSans-Bold"


def to_pdf(title: str, tables: list[Table], *, subtitle: str = "") -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    regular, bold = _fonts()
    heading = ParagraphStyle("h", fontName=bold, fontSize=14, leading=18, spaceAfter=4)
    section = ParagraphStyle("s", fontName=bold, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("b", fontName=regular, fontSize=8, leading=10)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    story = [
        Paragraph(title, heading),
        Paragraph(subtitle or timezone.localtime().strftime("%d/%m/%Y %H:%M"), body),
        Spacer(1, 4 * mm),
    ]
    for table in tables:
        story.append(Paragraph(table.title, section))
        data = [[Paragraph(str(h), body) for h in table.headers]]
        rows = [[Paragraph(_cell(v), body) for v in row] for row in table.rows]
        data += rows or [["—"] + [""] * (len(table.headers) - 1)]
        pdf_table = PdfTable(data, repeatRows=1, hAlign="LEFT")
        pdf_table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), regular),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6efe3")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(pdf_table)
    document.build(story)
    return buffer.getvalue()


def _cell(value) -> str:
    return escape(formats.cell(value))
