"""Time the dossier file check (type sniffed from content, size) for typical and maximum-size uploads.

Run: DJANGO_SECRET_KEY=x .venv/bin/python bench/applications_documents.py
"""

import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")

from bench.secrets_env import use_throwaway_keys  # noqa: E402

use_throwaway_keys()

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile  # noqa: E402

from catalog.applications.tests.fixtures import pdf_bytes, png_bytes  # noqa: E402
from catalog.applications.validators import check_document_file  # noqa: E402


def xlsx_bytes():
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def big_pdf(size):
    head = pdf_bytes()
    return head + b"%" * (size - len(head))


def on_disk(name, content):
    upload = TemporaryUploadedFile(name, "application/octet-stream", len(content), None)
    upload.write(content)
    upload.seek(0)
    return upload


def timed(label, make, repeat=200):
    uploads = [make() for _ in range(repeat)]
    start = time.perf_counter()
    for upload in uploads:
        check_document_file(upload)
    per_file = (time.perf_counter() - start) / repeat
    print(f"{label}: {per_file * 1e6:.0f} µs per file")


if __name__ == "__main__":
    small_pdf, png, xlsx, pdf_10mb = pdf_bytes(), png_bytes(), xlsx_bytes(), big_pdf(10 * 1024 * 1024 - 1)
    timed("PDF 1 KB (memory)", lambda: SimpleUploadedFile("a.pdf", small_pdf))
    timed("PNG (memory)", lambda: SimpleUploadedFile("a.png", png))
    timed("XLSX 5 KB (memory)", lambda: SimpleUploadedFile("a.xlsx", xlsx))
    timed("PDF 10 MB (temporary file on disk)", lambda: on_disk("a.pdf", pdf_10mb), repeat=20)
