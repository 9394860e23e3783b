"""What an uploaded file really is, read from its first bytes (never from its name)."""

import filetype

#: Enough of the head for every type the platform accepts (office files are ZIP containers).
SNIFF_BYTES = 8192


def sniffed_mime(upload) -> str | None:
    """The MIME type of ``upload`` by content, or None; the file is left where it was read from."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(position)
    kind = filetype.guess(head)
    return kind.mime if kind else None
