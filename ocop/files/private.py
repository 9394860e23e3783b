"""Private files: one store outside MEDIA_ROOT, random names, and one way out after a permission check.

What must not be public — label sheets (every serial of a lot), proposed listing photos, inspection photos and
evidence, consumer report photos, dossier documents — is saved through ``private_storage``: under
``PRIVATE_FILES_ROOT``, which no web server serves as such, named ``<folder>/<random>.<ext>`` so that no name can be
guessed from an id or the uploader's file name (the original name, where a download needs it, is a column).

``serve`` is the only way a private file leaves: the view finds the row within the user's scope (404 outside it),
then ``serve`` answers. In production (``PRIVATE_FILES_ACCEL_REDIRECT`` set) the answer is an empty response with
``X-Accel-Redirect`` to nginx's ``internal`` location, so nginx sends the bytes and a direct request to that
location is refused; in development and tests Django streams the file itself.
"""

import os
import re
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

#: An extension kept from an uploaded name: a dot and a few letters or digits, nothing else.
_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")
#: What a stored name looks like: folders and the random part, letters, digits, dots, dashes (safe in a header).
_STORED_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")


def safe_extension(filename: str) -> str:
    """The lower-case extension of ``filename`` when it is a plain one (``.pdf``), else ``""``."""
    extension = os.path.splitext(filename or "")[1].lower()
    return extension if _EXTENSION.fullmatch(extension) else ""


def random_name(folder: str, filename: str = "") -> str:
    """``<folder>/<32 random hex digits><extension of filename>``: 128 bits nobody can guess or enumerate."""
    return f"{folder}/{secrets.token_hex(16)}{safe_extension(filename)}"


@deconstructible
class RandomName:
    """``upload_to`` for every stored file, private or public: a random name in ``folder``."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return random_name(self.folder, filename)

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


@deconstructible
class PrivateStorage(FileSystemStorage):
    """The private store: ``PRIVATE_FILES_ROOT`` (read at each use, so tests can move it); files have no URL."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return str(settings.PRIVATE_FILES_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()


def serve(file, *, content_type: str, filename: str = "", inline: bool = False) -> HttpResponse:
    """Answer with the private ``file`` (a field file in ``private_storage``). Call it only after the permission
    check: it checks nothing but that the file exists (a missing file is a 404, not a 500)."""
    name = file.name if file else ""
    if not name or not _STORED_NAME.fullmatch(name) or ".." in name or not private_storage.exists(name):
        raise Http404
    prefix = settings.PRIVATE_FILES_ACCEL_REDIRECT
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{name}"
    else:
        response = FileResponse(private_storage.open(name, "rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename or os.path.basename(name))
    # Never kept by a shared cache: whether a file is served depends on who asks.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
