"""The outbox's models move here from the registry: Django's state only, the tables stay (``catalog_outbox*``)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("catalog", "0004_product_image_random_name_without_metadata"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="OutboxEvent",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("topic", models.CharField(db_index=True, max_length=64)),
                        ("key", models.CharField(db_index=True, max_length=64)),
                        ("payload", models.JSONField()),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                    ],
                    options={
                        "verbose_name": "outbox event",
                        "verbose_name_plural": "outbox events",
                        "db_table": "catalog_outboxevent",
                        "ordering": ["created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="OutboxDelivery",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("subscriber", models.CharField(max_length=64)),
                        ("status", models.CharField(choices=[("pending", "Pending"), ("done", "Delivered"), ("dead", "Failed (dead letter)")], default="pending", max_length=16)),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("next_attempt_at", models.DateTimeField()),
                        ("leased_until", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.TextField(blank=True)),
                        ("delivered_at", models.DateTimeField(blank=True, null=True)),
                        ("event", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="deliveries", to="outbox.outboxevent")),
                    ],
                    options={
                        "verbose_name": "outbox delivery",
                        "verbose_name_plural": "outbox deliveries",
                        "db_table": "catalog_outboxdelivery",
                        "ordering": ["next_attempt_at"],
                        "indexes": [models.Index(condition=models.Q(("status", "pending")), fields=["next_attempt_at"], name="outbox_due_idx")],
                        "constraints": [models.UniqueConstraint(fields=("event", "subscriber"), name="outboxdelivery_unique_subscriber")],
                    },
                ),
            ],
        ),
    ]
