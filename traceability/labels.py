"""Printable label sheets (reportlab): an A4 grid, each label with its QR code and the human-readable data."""

import logging
import re
from pathlib import Path

from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .identifiers import display_serial, item_uri
from .qr import make

logger = logging.getLogger(__name__)

COLUMNS, ROWS = 3, 8  # the common 3 × 8 label stock (70 × 37 mm)
LABEL_W, LABEL_H = A4[0] / COLUMNS, A4[1] / ROWS
QR_SIZE = 27 * mm  # ≥ 20 mm keeps a phone at arm's length reading it
PAD = 2.5 * mm
FONT = "OcopLabel"
_DARK_RUN = re.compile(b"\x01+")
_DEFAULT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # has every Vietnamese glyph


def _font() -> str:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    path = Path(getattr(settings, "TRACEABILITY_LABEL_FONT", _DEFAULT_FONT))
    try:
        pdfmetrics.registerFont(TTFont(FONT, str(path)))
    except Exception:  # no TrueType font: Helvetica lacks Vietnamese diacritics but still prints
        logger.warning("Label font %s not usable; falling back to Helvetica", path)
        return "Helvetica"
    return FONT


def _draw_qr(pdf: canvas.Canvas, code, x: float, y: float, size: float) -> None:
    """Draw the code as filled horizontal runs, written as raw path operators in module units.

    One ``re`` per run with integer coordinates under a scaling transform: sharp at any zoom, and far
    cheaper than reportlab's path objects (which format every float) for 10,000 codes.
    """
    matrix = code.matrix
    n = len(matrix)
    module = size / (n + 8)  # the 4-module quiet zone the standard asks for, inside the box
    ops = [
        f"{run.start()} {n - 1 - r} {run.end() - run.start()} 1 re"
        for r, row in enumerate(matrix)
        for run in _DARK_RUN.finditer(row)  # segno's rows are bytearrays of 0 and 1: runs found in C
    ]
    pdf.saveState()
    pdf.translate(x + 4 * module, y + 4 * module)
    pdf.scale(module, module)
    pdf.addLiteral("\n".join(ops) + "\nf")
    pdf.restoreState()


def _fit(pdf, text: str, font: str, size: float, width: float) -> str:
    if pdf.stringWidth(text, font, size) <= width:
        return text
    while text and pdf.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def render_lot_labels(lot, handle) -> int:
    """Write the lot's label sheet PDF to ``handle``; returns the number of labels."""
    product = lot.product
    font = _font()
    stars = "★" * (product.certified_stars or 0) if product.is_listable() else ""
    name = product.name_vi
    expiry = f"HSD/EXP {lot.expires_on:%d/%m/%Y}" if lot.expires_on else ""
    pdf = canvas.Canvas(handle, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"{name} — {lot.number}")
    per_page = COLUMNS * ROWS
    text_x_offset = PAD + QR_SIZE + 2 * mm
    text_width = LABEL_W - text_x_offset - PAD
    count = 0
    first = None
    name_line = _fit(pdf, name, font, 8, text_width)
    lot_line = _fit(pdf, f"Lô/Lot {lot.number}", font, 7, text_width)
    serials = lot.items.order_by("pk").values_list("serial", flat=True).iterator(chunk_size=2000)
    for serial in serials:
        slot = count % per_page
        if slot == 0 and count:
            pdf.showPage()
        col, row = slot % COLUMNS, slot // COLUMNS
        x, y = col * LABEL_W, A4[1] - (row + 1) * LABEL_H
        uri = item_uri(gtin=product.gtin, lot=lot.number, serial=serial, expires_on=lot.expires_on)
        # Every URI of a lot has the same length: the version, mode and mask chosen for the first code suit
        # them all.
        code = make(uri, like=first)
        first = first or code
        _draw_qr(pdf, code, x + PAD, y + (LABEL_H - QR_SIZE) / 2, QR_SIZE)
        tx, ty = x + text_x_offset, y + LABEL_H - PAD - 9
        pdf.setFont(font, 8)
        pdf.drawString(tx, ty, name_line)
        if stars:
            pdf.setFont(font, 9)
            pdf.drawString(tx, ty - 11, f"OCOP {stars}")
        pdf.setFont(font, 7)
        pdf.drawString(tx, ty - 22, lot_line)
        if expiry:
            pdf.drawString(tx, ty - 31, expiry)
        pdf.setFont(font, 7.5)
        pdf.drawString(tx, y + PAD + 2, display_serial(serial))
        count += 1
    pdf.save()
    return count
