"""Checks of what the public and the inspectors send: files (type sniffed from the content) and free text."""

import dataclasses
import os
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from ocop.files.uploads import sniffed_mime

PHOTO_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
EVIDENCE_TYPES = {
    **PHOTO_TYPES,
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
#: Control characters other than tab and newline (NUL included): never stored.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Free text as stored: newlines unified, control characters (NUL…) removed, NFC, trimmed."""
    value = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", value).strip()


@dataclasses.dataclass(frozen=True)
class CheckedFile:
    original_name: str
    content_type: str
    extension: str
    size: int


def _size_check(upload, limit: int) -> None:
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(max)s."), code="too_large", params={"max": filesizeformat(limit)}
        )


def check_photo(upload) -> CheckedFile:
    """A JPEG, PNG or WebP picture within the size limit, whatever its name says."""
    _size_check(upload, settings.OVERSIGHT_MAX_PHOTO_BYTES)
    mime = sniffed_mime(upload)
    if mime not in PHOTO_TYPES:
        raise ValidationError(_("This is not a photo: send a JPEG, PNG or WebP picture."), code="file_type")
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("The picture is damaged or cannot be read."), code="file_type") from None
    finally:
        upload.seek(0)
    return CheckedFile(
        original_name=os.path.basename(upload.name or "")[:255],
        content_type=mime,
        extension=PHOTO_TYPES[mime],
        size=upload.size,
    )


def check_evidence(upload) -> CheckedFile:
    _size_check(upload, settings.OVERSIGHT_MAX_EVIDENCE_BYTES)
    mime = sniffed_mime(upload)
    if mime not in EVIDENCE_TYPES:
        raise ValidationError(_("Upload a PDF, JPEG, PNG, WebP, DOCX or XLSX file."), code="file_type")
    return CheckedFile(
        original_name=os.path.basename(upload.name or "")[:255] or "evidence",
        content_type=mime,
        extension=EVIDENCE_TYPES[mime],
        size=upload.size,
    )
