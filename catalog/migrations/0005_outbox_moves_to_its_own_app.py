"""The outbox leaves the registry for ``ocop.outbox``: Django's state only, the tables keep their names.

Existing content types (and with them the permissions and the groups holding them) follow to the new label.
"""

from django.db import migrations


def content_types_to_outbox(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    models = ["outboxevent", "outboxdelivery"]
    ContentType.objects.filter(app_label="outbox", model__in=models).delete()  # made by an earlier migrate, empty
    ContentType.objects.filter(app_label="catalog", model__in=models).update(app_label="outbox")


def content_types_to_catalog(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="outbox", model__in=["outboxevent", "outboxdelivery"]).update(
        app_label="catalog")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0004_product_image_random_name_without_metadata"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("outbox", "0001_initial"),
        ("integrations", "0007_outbox_event_in_outbox_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="OutboxDelivery"),
                migrations.DeleteModel(name="OutboxEvent"),
            ],
        ),
        migrations.RunPython(content_types_to_outbox, content_types_to_catalog),
    ]
