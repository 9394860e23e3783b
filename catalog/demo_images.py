"""Illustrations of the demo's own making for its products (no photo of anyone else's, no placeholder URL):
a card in the colour of the product group, with the group's motif, the product's name and its stars, drawn with
Pillow when the demo is loaded (``manage.py load_demo``). Saved as the product's image, so it gets the same
responsive sizes as an uploaded photo."""

import io
import math
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = 800
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
#: Per product-group code: background, accent and motif.
STYLES = {
    "1": ("#7a4a1e", "#f2b705", "grains"),  # food
    "2": ("#3e2a1f", "#d9a066", "cup"),  # beverages
    "3": ("#1f5f3a", "#9fd3a0", "leaf"),  # medicinal herbs
    "4": ("#7b2d26", "#f0c27b", "weave"),  # handicrafts
    "5": ("#2d5d7b", "#f5b7c5", "flower"),  # ornamental plants
    "6": ("#2f4858", "#86bbd8", "hills"),  # community tourism
}
DEFAULT_STYLE = ("#0b6b3a", "#f2b705", "grains")


def _font(size: int, bold: bool = False):
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _motif(draw: ImageDraw.ImageDraw, motif: str, accent: str) -> None:
    """The group's motif in the upper half of the card."""
    cx, cy = SIZE // 2, 250
    if motif == "cup":
        draw.rounded_rectangle((cx - 110, cy - 90, cx + 90, cy + 110), radius=30, fill=accent)
        draw.ellipse((cx + 60, cy - 40, cx + 160, cy + 60), outline=accent, width=22)
        for dx in (-60, 0, 50):
            draw.arc((cx + dx - 20, cy - 190, cx + dx + 20, cy - 110), 90, 270, fill=accent, width=10)
    elif motif == "leaf":
        draw.ellipse((cx - 80, cy - 160, cx + 80, cy + 160), fill=accent)
        draw.line((cx, cy - 150, cx, cy + 190), fill="#1f5f3a", width=10)
        for dy in (-80, -20, 40, 100):
            draw.line((cx, cy + dy, cx + 60, cy + dy - 50), fill="#1f5f3a", width=6)
            draw.line((cx, cy + dy, cx - 60, cy + dy - 50), fill="#1f5f3a", width=6)
    elif motif == "weave":
        for row in range(4):
            for col in range(5):
                x, y = 190 + col * 105, 110 + row * 75
                draw.polygon(
                    [(x, y - 35), (x + 45, y), (x, y + 35), (x - 45, y)],
                    fill=accent if (row + col) % 2 else None,
                    outline=accent,
                    width=6,
                )
    elif motif == "flower":
        for angle in range(0, 360, 60):
            dx, dy = 85 * math.cos(math.radians(angle)), 85 * math.sin(math.radians(angle))
            draw.ellipse((cx + dx - 65, cy + dy - 65, cx + dx + 65, cy + dy + 65), fill=accent)
        draw.ellipse((cx - 50, cy - 50, cx + 50, cy + 50), fill="#f2b705")
    elif motif == "hills":
        draw.polygon([(120, 380), (330, 130), (540, 380)], fill=accent)
        draw.polygon([(330, 380), (520, 190), (700, 380)], fill="#b9d7e8")
        draw.ellipse((560, 80, 660, 180), fill="#f2b705")
    else:  # grains
        for row in range(3):
            for col in range(4):
                x, y = 220 + col * 120 + (row % 2) * 60, 140 + row * 110
                draw.ellipse((x - 38, y - 55, x + 38, y + 55), fill=accent)
                draw.line((x, y - 45, x, y + 45), fill="#00000055", width=5)


def illustration(*, name: str, group_code: str, group_name: str, stars: int = 0) -> bytes:
    """A JPEG card for a product."""
    background, accent, motif = STYLES.get(str(group_code), DEFAULT_STYLE)
    card = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(card, "RGBA")
    draw.rectangle((0, SIZE - 330, SIZE, SIZE), fill="#00000040")
    _motif(draw, motif, accent)
    title = _font(54, bold=True)
    y = SIZE - 300
    for line in textwrap.wrap(name, width=22)[:3]:
        draw.text((48, y), line, font=title, fill="white")
        y += 66
    draw.text((48, SIZE - 92), group_name, font=_font(30), fill="#ffffffd0")
    label = "OCOP " + "★" * stars if stars else "OCOP"
    draw.rounded_rectangle((SIZE - 250, 36, SIZE - 36, 100), radius=14, fill="#c8102e")
    draw.text((SIZE - 143, 68), label, font=_font(34, bold=True), fill="white", anchor="mm")
    buffer = io.BytesIO()
    card.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def illustrate_products(products) -> int:
    """Give every product in ``products`` without an image its illustration; returns how many were made."""
    from django.core.files.base import ContentFile

    made = 0
    for product in products.filter(image="").select_related("group"):
        data = illustration(
            name=product.name_vi,
            group_code=product.group.code,
            group_name=product.group.name_vi,
            stars=product.certified_stars or 0,
        )
        product.image.save(f"demo-{product.pk}.jpg", ContentFile(data), save=False)
        type(product).objects.filter(pk=product.pk).update(image=product.image.name)  # the picture only
        made += 1
    return made
