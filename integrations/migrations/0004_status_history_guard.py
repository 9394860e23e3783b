from django.db import migrations

from ocop.append_only import append_only_guard


class Migration(migrations.Migration):
    dependencies = [("integrations", "0003_point_criteria")]

    operations = [append_only_guard("integrations_salespointstatuschange")]
