"""Accounts tied to a producer before ties were recorded get a tie (since they were opened), so the office can
see and suspend every producer account from one page."""

from django.db import migrations


def record_existing_ties(apps, schema_editor):
    Membership = apps.get_model("catalog", "Membership")
    ProducerTie = apps.get_model("accounts", "ProducerTie")
    for membership in Membership.objects.filter(producer__isnull=False).select_related("user"):
        if not ProducerTie.objects.filter(user_id=membership.user_id, active=True).exists():
            ProducerTie.objects.create(user_id=membership.user_id, producer_id=membership.producer_id,
                                       via="existing", tied_at=membership.user.date_joined)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_producer_ties_and_codes"),
        ("catalog", "0003_outbox_event_created_at_index"),
    ]

    operations = [migrations.RunPython(record_existing_ties, migrations.RunPython.noop)]
