"""Dossier files: type sniffed from the content, size limit, and nothing half-stored when an upload fails."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from catalog.applications import services
from catalog.applications.error_codes import ApplicationErrorCode as Code
from catalog.applications.models import ApplicationDocument, DocumentKind
from catalog.applications.services import submitting
from catalog.applications.tests.fixtures import png_bytes


def _files_in(root):
    return sorted(path.name for path in root.rglob("*") if path.is_file())


def _xlsx_bytes():
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def _docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.png", png_bytes()),
        ("plan.xlsx", _xlsx_bytes()),
        ("story.docx", _docx_bytes()),
    ],
)
def test_accepted_types_are_stored_privately_with_their_sniffed_type(
    draft_application,
    producer_user,
    make_upload,
    documents_root,
    name,
    content,
):
    application = draft_application(complete=False)

    document = services.add_document(
        application=application,
        kind=DocumentKind.objects.get(code="other"),
        upload=make_upload(name, content),
        actor=producer_user,
    )

    assert document.original_name == name and document.size == len(content)
    assert (documents_root / document.file.name).read_bytes() == content
    assert name not in document.file.name  # stored under a random name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("dossier.pdf", png_bytes()),  # a PNG renamed .pdf
        ("dossier.pdf", b"MZ\x90\x00" + b"\x00" * 200),  # an executable renamed .pdf
        ("dossier.txt", b"plain text"),
        ("dossier.docx", _xlsx_bytes()),
    ],
)
def test_a_file_whose_content_does_not_match_an_accepted_type_is_refused(
    draft_application,
    producer_user,
    make_upload,
    documents_root,
    name,
    content,
):
    application = draft_application(complete=False)

    with pytest.raises(ValidationError) as refusal:
        services.add_document(
            application=application,
            kind=DocumentKind.objects.get(code="other"),
            upload=make_upload(name, content),
            actor=producer_user,
        )

    assert refusal.value.code == Code.FILE_TYPE
    assert name in refusal.value.messages[0]
    assert not application.documents.exists() and _files_in(documents_root) == []


def test_a_file_over_the_size_limit_is_refused(draft_application, producer_user, make_upload, settings):
    settings.APPLICATIONS_MAX_DOCUMENT_BYTES = 1024
    application = draft_application(complete=False)

    with pytest.raises(ValidationError) as refusal:
        services.add_document(
            application=application,
            kind=DocumentKind.objects.get(code="other"),
            upload=make_upload("big.pdf", b"%PDF-1.4\n" + b"0" * 2000),
            actor=producer_user,
        )

    assert refusal.value.code == Code.FILE_TOO_LARGE and "KB" in refusal.value.messages[0]
    assert not application.documents.exists()


def test_an_upload_failing_halfway_leaves_nothing_behind_and_loses_nothing(
    draft_application,
    producer_user,
    make_upload,
    documents_root,
    monkeypatch,
):
    # given a dossier with its documents already stored
    application = draft_application(complete=True)
    stored_before = _files_in(documents_root)
    documents_before = list(application.documents.values_list("pk", "file"))

    # when an upload fails after its file was written (here: the history step cannot be recorded)
    def broken_step(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(submitting, "record_step", broken_step)
    with pytest.raises(RuntimeError):
        services.add_document(
            application=application,
            kind=DocumentKind.objects.get(code="other"),
            upload=make_upload("late.pdf"),
            actor=producer_user,
        )

    # then neither its row nor its file remain, and the earlier documents are intact
    assert list(application.documents.values_list("pk", "file")) == documents_before
    assert _files_in(documents_root) == stored_before
    assert all((documents_root / name).exists() for _pk, name in documents_before)


def test_an_upload_failing_while_writing_the_file_leaves_no_partial_file(
    draft_application,
    producer_user,
    make_upload,
    documents_root,
    monkeypatch,
):
    application = draft_application(complete=False)
    storage = ApplicationDocument.file.field.storage
    real_save = type(storage)._save

    def save_then_crash(self, name, content):
        real_save(self, name, content)
        raise OSError("disk full")

    monkeypatch.setattr(type(storage), "_save", save_then_crash)
    with pytest.raises(OSError):
        services.add_document(
            application=application,
            kind=DocumentKind.objects.get(code="other"),
            upload=make_upload("plan.pdf"),
            actor=producer_user,
        )

    assert _files_in(documents_root) == []
    assert not application.documents.exists()


def test_documents_cannot_be_added_once_submitted_unless_requested(submitted_application, producer_user, make_upload):
    application = submitted_application()
    count = application.documents.count()

    with pytest.raises(ValidationError) as refusal:
        services.add_document(
            application=application,
            kind=DocumentKind.objects.get(code="other"),
            upload=make_upload(),
            actor=producer_user,
        )

    assert refusal.value.code == Code.OUT_OF_TURN
    assert application.documents.count() == count
