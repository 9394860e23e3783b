"""After a key rotation: rewrite every stored secret under the current key of its key ring.

Rotation, e.g. of ``INTEGRATIONS_ENCRYPTION_KEY``: set it to ``NEW,OLD`` on every process (old values stay
readable, new writes use NEW), run this command, then set it to ``NEW`` alone. Idempotent; safe while the
platform runs. The columns come from ``ocop.encryption.register`` (each app declares its own).
"""

from django.core.management.base import BaseCommand, CommandError

from ocop import encryption


class Command(BaseCommand):
    help = "Re-encrypt stored secrets (Saleor app tokens, partner credentials) under the current keys."

    def handle(self, *args, **options):
        unreadable = []
        for report in encryption.reencrypt():
            column = report.column
            self.stdout.write(
                f"{column.model}.{column.field} ({column.keyring.setting}): {report.moved} moved to the current key, "
                f"{report.current} already under it, {len(report.unreadable)} unreadable"
            )
            unreadable += [f"{column.model}.{column.field} pk={pk}" for pk in report.unreadable]
        if unreadable:
            raise CommandError(
                "No configured key opens these values (was a key dropped before re-encryption?): "
                + ", ".join(unreadable[:20])
            )
