import datetime

import pytest

from catalog import services
from catalog.models import Certificate, Product

pytestmark = pytest.mark.django_db


def test_certified_product_is_listable_until_its_last_day_then_not(certify, product):
    certificate = certify(product, stars=4, signed_on=datetime.date(2023, 11, 30), level="province")

    # 36 months from signing on 30/11/2023 (counted from 01/12/2023): the last valid day is 30/11/2026;
    # on 01/12/2026 it has lapsed.
    assert certificate.valid_until == datetime.date(2026, 11, 30)
    assert Product.objects.listable(datetime.date(2026, 11, 30)).filter(pk=product.pk).exists()
    assert not Product.objects.listable(datetime.date(2026, 12, 1)).filter(pk=product.pk).exists()
    assert Product.objects.not_listable(datetime.date(2026, 12, 1)).filter(pk=product.pk).exists()


def test_expiry_needs_no_job_but_the_daily_task_records_it(certify, product):
    certificate = certify(product, stars=3, signed_on=datetime.date(2023, 3, 1), level="district")
    product.refresh_from_db()
    assert product.is_listable(datetime.date(2026, 3, 1))
    assert not product.is_listable(datetime.date(2026, 3, 2))

    assert services.record_expiries(today=datetime.date(2026, 3, 1)) == 0
    assert services.record_expiries(today=datetime.date(2026, 3, 2)) == 1
    assert services.record_expiries(today=datetime.date(2026, 3, 2)) == 0
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.EXPIRED
