"""Template filters for the Vietnamese formats of catalog.formats (built into every template: ocop/settings.py)."""

from django import template

from catalog import formats

register = template.Library()

register.filter("vn_number", formats.number)
register.filter("vn_money", formats.money)
register.filter("vn_date", formats.date)
register.filter("vn_cell", formats.cell)
register.filter("is_number", formats.is_number)
