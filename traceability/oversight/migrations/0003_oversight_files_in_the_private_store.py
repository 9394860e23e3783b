"""Report photos and evidence move from their own root (OVERSIGHT_FILES_ROOT, by default var/private/oversight) to
the one private store (PRIVATE_FILES_ROOT, by default var/private), folder oversight/: the stored names gain the
prefix, so with the default folders every file stays where it is on disk."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

PREFIX = "oversight/"


def add_prefix(apps, schema_editor):
    for model, field in (("Report", "photo"), ("InspectionEvidence", "file")):
        rows = apps.get_model("oversight", model).objects.exclude(**{field: ""})
        rows.exclude(**{f"{field}__startswith": PREFIX}).update(**{field: Concat(Value(PREFIX), F(field))})


def remove_prefix(apps, schema_editor):
    for model, field in (("Report", "photo"), ("InspectionEvidence", "file")):
        rows = apps.get_model("oversight", model).objects.filter(**{f"{field}__startswith": PREFIX})
        rows.update(**{field: Substr(F(field), len(PREFIX) + 1)})


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0002_append_only_history_checklist"),
    ]

    operations = [migrations.RunPython(add_prefix, remove_prefix)]
