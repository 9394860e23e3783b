"""The checklist for OCOP display-and-sale points, as data.

The list is a plausible reading of Decision 950/QĐ-BCT (2023, Ministry of Industry and Trade) and is TO BE
CONFIRMED AGAINST 950/QĐ-BCT by the Department of Industry and Trade: staff edit, add or retire criteria in the
admin (retire = untick "in use"; findings keep pointing at the retired row).
"""

from django.db import migrations


def load(apps, schema_editor):
    from integrations.salespoints import reference_data

    reference_data.load_criteria(apps)


def unload(apps, schema_editor):
    from integrations.salespoints import reference_data

    codes = [code for code, _vi, _en in reference_data.CRITERIA]
    apps.get_model("integrations", "PointCriterion").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("integrations", "0002_sales_point_management")]

    operations = [migrations.RunPython(load, unload)]
