from django import template
from django.utils.translation import get_language

from catalog import formats

register = template.Library()


@register.filter
def local(obj, field: str) -> str:
    """``obj.<field>_en`` when the page is in English and it is filled in, else ``obj.<field>_vi``."""
    if obj is None:
        return ""
    if (get_language() or "vi").startswith("en"):
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_vi", "")


@register.filter
def vnd(amount) -> str:
    """120000 → "120.000 ₫" (Vietnamese grouping)."""
    return formats.money(amount)


@register.filter
def star_string(stars) -> str:
    return "★" * int(stars or 0)
