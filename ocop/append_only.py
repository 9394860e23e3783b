"""Append-only records (audit trail, status and review histories): refused updates and deletes,
in the model and, through ``append_only_guard``, in the database itself."""

from django.db import migrations, models

_GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION ocop_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


class AppendOnlyModel(models.Model):
    """A row that is written once: saving it again or deleting it raises ``ValueError``."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"{self._meta.verbose_name_plural} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{self._meta.verbose_name_plural} is append-only")


def append_only_guard(table: str) -> migrations.RunSQL:
    """A migration operation making the database refuse UPDATE and DELETE on ``table``."""
    trigger = f"{table}_append_only"
    return migrations.RunSQL(
        _GUARD_FUNCTION + f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION ocop_append_only();",
        f"DROP TRIGGER IF EXISTS {trigger} ON {table};",
    )
