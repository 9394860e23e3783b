from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

AUDIT_GUARD = """
CREATE OR REPLACE FUNCTION catalog_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'catalog_auditlogentry is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER catalog_auditlog_no_update BEFORE UPDATE OR DELETE ON catalog_auditlogentry
    FOR EACH ROW EXECUTE FUNCTION catalog_auditlog_append_only();
"""

AUDIT_GUARD_REVERSE = """
DROP TRIGGER IF EXISTS catalog_auditlog_no_update ON catalog_auditlogentry;
DROP FUNCTION IF EXISTS catalog_auditlog_append_only();
"""


def load_reference_data(apps, schema_editor):
    from catalog import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(AUDIT_GUARD, AUDIT_GUARD_REVERSE),
        migrations.RunPython(load_reference_data, migrations.RunPython.noop),
    ]
