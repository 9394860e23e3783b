"""A certificate's period of validity, counted as the Civil Code 2015 counts periods (Art. 147–148).

Decisions say "valid for 36 months from the date of signing". Art. 147: the first day is not counted, the
period starts the next day. Art. 148: a period in months ends at the end of the corresponding day of its last
month, or at the end of that month's last day when it has no such day. The period and the way it is counted
are data on the rule set; a date the decision states itself rules.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from catalog import audit
from catalog.models import Product, RuleSet, ValidityCounting

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("signed", "last_day"),
    [
        (D(2023, 12, 5), D(2026, 12, 5)),  # the example
        (D(2023, 3, 20), D(2026, 3, 20)),
        (D(2024, 2, 29), D(2027, 2, 28)),  # no 29/02 in 2027: the end of the month's last day
        (D(2023, 8, 31), D(2026, 8, 31)),
        (D(2023, 11, 30), D(2026, 11, 30)),
        (D(2023, 12, 31), D(2026, 12, 31)),  # year end
        (D(2025, 2, 28), D(2028, 2, 28)),  # 2028 has a 29/02, but the corresponding day is the 28th
        (D(2025, 1, 1), D(2028, 1, 1)),
    ],
)
def test_every_rule_set_counts_36_months_as_the_civil_code_does(signed, last_day):
    for rule_set in RuleSet.objects.all():
        assert (rule_set.validity_months, rule_set.validity_counting) == (36, ValidityCounting.CIVIL_CODE)
        assert rule_set.valid_until(signed) == last_day


def test_a_month_end_shorter_than_the_signing_day_ends_on_its_last_day():
    rule_set = RuleSet.objects.get(code="148/QĐ-TTg")
    rule_set.validity_months = 1
    assert rule_set.valid_until(D(2024, 1, 31)) == D(2024, 2, 29)  # leap year
    assert rule_set.valid_until(D(2023, 1, 31)) == D(2023, 2, 28)
    assert rule_set.valid_until(D(2024, 3, 31)) == D(2024, 4, 30)


def test_the_counting_convention_is_data_on_the_rule_set():
    rule_set = RuleSet.objects.get(code="148/QĐ-TTg")
    rule_set.validity_counting = ValidityCounting.SIGNING_DAY_INCLUDED
    assert rule_set.valid_until(D(2023, 12, 5)) == D(2026, 12, 4)
    rule_set.validity_months = 24
    assert rule_set.valid_until(D(2023, 12, 5)) == D(2025, 12, 4)


@pytest.mark.parametrize(
    ("signed", "last_day"),
    [(D(2024, 2, 29), D(2027, 2, 28)), (D(2023, 12, 5), D(2026, 12, 5)), (D(2023, 8, 31), D(2026, 8, 31))],
)
def test_the_product_is_listed_through_its_last_day_and_not_the_day_after(certify, product, signed, last_day):
    certificate = certify(product, stars=4, signed_on=signed)
    product.refresh_from_db()
    assert certificate.valid_until == product.certified_until == last_day
    after = last_day + datetime.timedelta(days=1)
    assert Product.objects.listable(last_day).filter(pk=product.pk).exists()
    assert product.is_listable(last_day)
    assert not Product.objects.listable(after).filter(pk=product.pk).exists()
    assert not product.is_listable(after)
    assert certificate.state_on(last_day) == "active" and certificate.state_on(after) == "expired"


def test_the_date_the_decision_states_rules(certify, product):
    certificate = certify(product, stars=4, signed_on=D(2025, 9, 1), stated_valid_until=D(2028, 6, 30))
    product.refresh_from_db()
    assert certificate.valid_until == product.certified_until == D(2028, 6, 30)
    assert certificate.decision.stated_valid_until == D(2028, 6, 30)
    entry = audit.history_of(certificate.decision).get(action="decision.issued")
    assert entry.after["stated_valid_until"] == "2028-06-30"


def test_a_stated_end_before_the_signing_day_is_refused(certify, product):
    with pytest.raises(ValidationError) as refused:
        certify(product, stars=4, signed_on=D(2025, 9, 1), stated_valid_until=D(2025, 8, 31))
    assert "stated_valid_until" in refused.value.error_dict
