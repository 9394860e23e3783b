"""Responsive sizes of a published photo: WebP with a JPEG fallback at a few widths, made with Pillow when the
photo is saved (``catalog.photos.PublicPhotoStorage``) and named after it, so pages find them without a lookup:
``products/ab12.png`` → ``products/ab12-w320.webp``, ``products/ab12-w320.jpg``, … ``-w1024``.

Pages print them with ``{% photo %}`` (catalog/templatetags/photos.py) as a ``<picture>``; the feeds take the
largest JPEG. ``manage.py make_photo_renditions`` makes them for photos saved before they existed.
"""

import io
import os
from dataclasses import dataclass

from PIL import Image

#: Widths made for every photo (a smaller original gets only the widths it reaches, and at least the first).
WIDTHS = (320, 640, 1024)
FORMATS = (("webp", "WEBP", "image/webp"), ("jpg", "JPEG", "image/jpeg"))


def rendition_name(name: str, width: int, extension: str) -> str:
    return f"{os.path.splitext(name)[0]}-w{width}.{extension}"


def widths_for(original_width: int) -> list[int]:
    return [w for w in WIDTHS if w <= original_width] or [WIDTHS[0]]


def make(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """Every rendition of the photo ``name`` (its bytes ``data``): (name, bytes) pairs."""
    written = []
    with Image.open(io.BytesIO(data)) as original:
        picture = original.convert("RGBA") if original.mode in ("P", "LA", "RGBA") else original.convert("RGB")
        flat = Image.new("RGB", picture.size, "white")
        flat.paste(picture, mask=picture.getchannel("A") if picture.mode == "RGBA" else None)
        for width in widths_for(flat.width):
            height = max(1, round(flat.height * width / flat.width))
            resized = flat.resize((width, height), Image.Resampling.LANCZOS) if width != flat.width else flat
            for extension, image_format, _mime in FORMATS:
                buffer = io.BytesIO()
                options = (
                    {"quality": 80, "method": 4}
                    if image_format == "WEBP"
                    else {"quality": 82, "optimize": True, "progressive": True}
                )
                resized.save(buffer, format=image_format, **options)
                written.append((rendition_name(name, width, extension), buffer.getvalue()))
    return written


def names_of(name: str) -> list[str]:
    return [rendition_name(name, width, extension) for width in WIDTHS for extension, _f, _m in FORMATS]


@dataclass(frozen=True)
class Sources:
    """What a ``<picture>`` needs: a srcset per format and the fallback image's URL."""

    webp: str
    jpeg: str
    fallback: str
    largest_jpeg: str


def sources(image) -> Sources | None:
    """The renditions of ``image`` (an ImageFieldFile) that exist, or None (then the original is shown)."""
    if not image:
        return None
    storage, name = image.storage, image.name
    widths = [w for w in WIDTHS if storage.exists(rendition_name(name, w, "jpg"))]
    if not widths:
        return None

    def srcset(extension):
        return ", ".join(f"{storage.url(rendition_name(name, w, extension))} {w}w" for w in widths)

    middle = widths[min(1, len(widths) - 1)]
    return Sources(
        webp=srcset("webp"),
        jpeg=srcset("jpg"),
        fallback=storage.url(rendition_name(name, middle, "jpg")),
        largest_jpeg=storage.url(rendition_name(name, widths[-1], "jpg")),
    )
