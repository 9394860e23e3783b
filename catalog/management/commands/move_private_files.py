"""Bring files stored before the private store existed into line (idempotent; run after ``migrate`` on release).

- Every file field on the private store (label sheets, proposed listing photos, inspection photos…) whose file is
  still in MEDIA_ROOT — where anyone with the URL could fetch it — is moved into the private store under a new
  random name, and its row updated.
- Every file field on the public photo store (product photos) whose name was not made by the platform (an id or
  the uploader's file name in it) is re-published: re-encoded without metadata (EXIF, GPS) under a random name;
  the original leaves MEDIA_ROOT once no row points at it.
- ``--delete-orphans`` removes files in MEDIA_ROOT that no row points at (leftovers of failed or deleted jobs);
  without it they are only listed.

Fields are found by their storage, so a new private kind is covered without touching this command.
"""

import os
import re

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models, transaction

from ocop.files.photos import PublicPhotoStorage
from ocop.files.private import PrivateStorage

#: A name made by ``RandomName``: folders, 32 hex digits, an extension.
_RANDOM_NAME = re.compile(r"(?:[a-z0-9_-]+/)+[0-9a-f]{32}(?:\.[a-z0-9]{1,8})?")


def _file_fields(storage_class):
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and isinstance(field.storage, storage_class):
                yield model, field


def _rows(model, field):
    return model._default_manager.exclude(**{field.attname: ""}).exclude(**{f"{field.attname}__isnull": True})


def _media_files() -> set[str]:
    found = set()
    root = default_storage.location
    for folder, _dirs, files in os.walk(root):
        for name in files:
            found.add(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return found


class Command(BaseCommand):
    help = "Move private files out of MEDIA_ROOT and re-publish public photos without metadata (safe to re-run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete-orphans", action="store_true", help="Delete files in MEDIA_ROOT that no row points at."
        )

    def handle(self, *args, delete_orphans=False, **options):
        replaced = set()
        republished = moved = missing = 0
        for model, field in _file_fields(PublicPhotoStorage):
            for pk, name in _rows(model, field).values_list("pk", field.attname).iterator():
                if _RANDOM_NAME.fullmatch(name) or not default_storage.exists(name):
                    continue
                with default_storage.open(name, "rb") as original:
                    new_name = field.storage.save(field.generate_filename(None, os.path.basename(name)), original)
                model._default_manager.filter(pk=pk, **{field.attname: name}).update(**{field.attname: new_name})
                replaced.add(name)
                republished += 1
        for model, field in _file_fields(PrivateStorage):
            for pk, name in _rows(model, field).values_list("pk", field.attname).iterator():
                if field.storage.exists(name):
                    continue
                if not default_storage.exists(name):
                    missing += 1
                    self.stderr.write(f"{model._meta.label} {pk}: {name} is in neither store")
                    continue
                with default_storage.open(name, "rb") as public:
                    new_name = field.storage.save(field.generate_filename(None, os.path.basename(name)), public)
                with transaction.atomic():
                    model._default_manager.filter(pk=pk, **{field.attname: name}).update(**{field.attname: new_name})
                replaced.add(name)
                moved += 1
        still_used = set()
        for model, field in _file_fields(PublicPhotoStorage):
            still_used.update(_rows(model, field).values_list(field.attname, flat=True))
        for name in sorted(replaced - still_used):
            default_storage.delete(name)
        orphans = sorted(_media_files() - still_used)
        for name in orphans:
            if delete_orphans:
                default_storage.delete(name)
            else:
                self.stdout.write(f"not referenced by any row: {name}")
        self.stdout.write(
            f"moved to the private store: {moved}; photos re-published without metadata: {republished}; "
            f"missing: {missing}; files in MEDIA_ROOT no row points at: {len(orphans)}"
            + (" (deleted)" if delete_orphans and orphans else "")
        )
