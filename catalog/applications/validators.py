"""Checks of uploaded dossier files: the type is sniffed from the content, not trusted from the name."""

import dataclasses
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ocop.files.uploads import sniffed_mime

from .error_codes import ApplicationErrorCode

#: Extension → the type the content must sniff as.
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_document_bytes() -> int:
    return getattr(settings, "APPLICATIONS_MAX_DOCUMENT_BYTES", DEFAULT_MAX_BYTES)


@dataclasses.dataclass(frozen=True)
class CheckedFile:
    original_name: str
    content_type: str
    size: int


def check_document_file(upload) -> CheckedFile:
    """Refuse a file that is empty, too large, of a type not allowed, or whose content does not match its name."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    extension = os.path.splitext(name)[1].lower()
    limit = max_document_bytes()
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code=ApplicationErrorCode.INVALID.value)
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(max)s."),
            code=ApplicationErrorCode.FILE_TOO_LARGE.value,
            params={"max": filesizeformat(limit)},
        )
    expected = ALLOWED_TYPES.get(extension)
    if expected is None or sniffed_mime(upload) != expected:
        raise ValidationError(
            _(
                "%(name)s is not an accepted file: upload a PDF, JPG, PNG, DOCX or XLSX file whose content "
                "matches its name."
            ),
            code=ApplicationErrorCode.FILE_TYPE.value,
            params={"name": name or "?"},
        )
    return CheckedFile(original_name=name[:255], content_type=expected, size=upload.size)
