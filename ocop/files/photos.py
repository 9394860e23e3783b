"""Published photos: re-encoded from their pixels only, so nothing the camera wrote reaches the public.

A phone photo carries EXIF (often the GPS position where it was taken: a producer's home), XMP and comments.
``without_metadata`` keeps the pixels (turned upright first, as the EXIF orientation said, since the tag that
told viewers how to turn it goes away) and the colour profile, at most ``MAX_SIDE`` pixels on a side.
``PublicPhotoStorage`` applies it to every file saved into it, so no way of publishing a photo can skip it.
"""

import io
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from . import renditions

#: Longest side of a published photo: sharp on any screen, light on a slow connection.
MAX_SIDE = 2048
#: Formats published as they came (anything else is refused), and their extensions.
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


def without_metadata(source, *, name: str = "photo") -> ContentFile:
    """The picture in ``source`` (a file) re-encoded without any metadata; named ``<name's stem><extension>``."""
    source.seek(0)
    try:
        with Image.open(source) as original:
            image_format = original.format
            if image_format not in FORMATS:
                raise ValidationError(_("Use a JPEG, PNG or WebP photo."), code="invalid_image")
            icc_profile = original.info.get("icc_profile")
            transparency = original.info.get("transparency")
            image = ImageOps.exif_transpose(original)
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("The picture is damaged or cannot be read."), code="invalid_image") from None
    image.info = {}  # EXIF, XMP, comments: nothing of the original's is carried over by the encoder
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options.update(quality=88, optimize=True)
    elif image_format == "PNG":
        if transparency is not None and image.mode in ("P", "L", "RGB"):
            options["transparency"] = transparency
        options["optimize"] = True
    else:
        options["quality"] = 88
    output = io.BytesIO()
    image.save(output, format=image_format, **options)
    stem = os.path.splitext(os.path.basename(name or "photo"))[0] or "photo"
    return ContentFile(output.getvalue(), name=stem + FORMATS[image_format])


@deconstructible
class PublicPhotoStorage(FileSystemStorage):
    """MEDIA_ROOT (public), for photos: whatever is saved is re-encoded by ``without_metadata`` first."""

    def __init__(self):
        super().__init__()

    def _save(self, name, content):
        cleaned = without_metadata(content, name=name)
        # The extension follows the real format (a PNG sent as "photo.jpg" is stored as .png).
        name = os.path.splitext(name)[0] + os.path.splitext(cleaned.name)[1]
        saved = super()._save(name, cleaned)
        cleaned.seek(0)
        self.save_renditions(saved, cleaned.read())
        return saved

    def save_renditions(self, name: str, data: bytes) -> None:
        """The responsive sizes of the photo ``name`` (ocop.files.renditions), written beside it."""
        for target, rendition in renditions.make(name, data):
            if self.exists(target):
                super().delete(target)
            super()._save(target, ContentFile(rendition))

    def delete(self, name):
        for target in renditions.names_of(name):
            if self.exists(target):
                super().delete(target)
        super().delete(name)
