from django.db import migrations
from django.utils import translation

REFUSED_BY_OFFICE = "refused_by_office"


def refusals_as_a_code(apps, schema_editor):
    """Jobs the office refused stored the sentence in the refuser's language; they now store a code, shown in the
    reader's language."""
    texts = set()
    for language in ("vi", "en"):
        with translation.override(language):
            texts.add(translation.gettext("Refused by the OCOP office."))
    for name in ("IssuanceJob", "LabelSheetJob"):
        apps.get_model("traceability", name).objects.filter(error__in=texts).update(error=REFUSED_BY_OFFICE)


class Migration(migrations.Migration):
    dependencies = [
        ("traceability", "0004_lot_jobs_held_for_office_approval"),
    ]

    operations = [
        migrations.RunPython(refusals_as_a_code, migrations.RunPython.noop),
    ]
