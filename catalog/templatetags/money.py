"""Money on screen as Vietnamese readers write it: 12.640.000 ₫ (``{% load money %}`` then ``|vnd``)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """120000 → "120.000 ₫" (Vietnamese grouping)."""
    if amount is None or amount == "":
        return ""
    return f"{int(Decimal(amount)):,}".replace(",", ".") + " ₫"
