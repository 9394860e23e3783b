"""Import producers, products and certification decisions from a CSV or XLSX sheet (all or nothing)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from catalog import importing


class Command(BaseCommand):
    help = "Import the OCOP registry from a CSV or XLSX file. Nothing is written if any row has an error."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, write nothing")
        parser.add_argument("--actor", help="username recorded in the audit trail (default: system)")

    def handle(self, *args, path, dry_run, actor, **options):
        actor_user = None
        if actor:
            try:
                actor_user = get_user_model().objects.get_by_natural_key(actor)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user named {actor!r}") from exc
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file at {path}")
        result = importing.import_registry(file.read_bytes(), filename=file.name, actor=actor_user, dry_run=dry_run)
        for issue in result.errors:
            self.stderr.write(str(issue))
        self.stdout.write(
            f"{result.rows} rows; "
            + "; ".join(
                f"{name}: {tally.created} created, {tally.updated} updated, {tally.unchanged} unchanged"
                for name, _label, tally in result.tallies()
            )
        )
        if result.errors:
            self.stderr.write(self.style.ERROR(f"{len(result.errors)} error(s): nothing was imported."))
            raise SystemExit(1)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))
