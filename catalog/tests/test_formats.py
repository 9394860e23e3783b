"""Figures read the Vietnamese way on every page, whatever the page's language."""

from decimal import Decimal

from django.template import Context, Template

from catalog import formats


def test_numbers_group_thousands_with_dots_and_keep_the_decimals_they_have():
    assert formats.number(12640000) == "12.640.000"
    assert formats.number(Decimal("59.50")) == "59,5"
    assert formats.number(Decimal("59.25")) == "59,25"
    assert formats.number(Decimal("60.00")) == "60"
    assert formats.number(1 / 3) == "0,33"
    assert formats.number(None) == ""


def test_the_template_filters_format_counters_and_money():
    rendered = Template("{{ n|vn_number }} · {{ m|vn_money }}").render(Context({"n": 1234567, "m": Decimal("120000")}))

    assert rendered == "1.234.567 · 120.000 ₫"
