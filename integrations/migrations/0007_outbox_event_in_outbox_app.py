"""A delivery's outbox event now lives in the ``outbox`` app: Django's state only (same table, same column)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("integrations", "0006_inspection_photos_private"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="destinationdelivery",
                    name="outbox_event",
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="outbox.outboxevent"),
                ),
            ],
        ),
    ]
