"""Charts of the dashboards, drawn in the browser by Chart.js 4 (vendored in ocop/static/vendor/chart.js) from a
small spec printed with ``json_script``: horizontal bars and monthly columns, sized to the screen (readable at
phone width: long labels wrap), numbers in Vietnamese formats (ocop/static/ocop/charts.js). The table under
each chart holds the same figures, for screen readers, printing and pages without scripts.
"""

import dataclasses

from django.utils.safestring import mark_safe

PALETTE = ("#1b6e35", "#a86f00", "#2c6db5", "#b3261e", "#6b4ea0", "#2a7c7c")


@dataclasses.dataclass
class Chart:
    kind: str  # "bar" (horizontal) or "column"
    title: str
    labels: list[str]
    values: list[float]
    money: bool = False

    def spec(self) -> dict:
        return {
            "kind": self.kind,
            "title": str(self.title),
            "labels": [str(label) for label in self.labels],
            "values": [float(value or 0) for value in self.values],
            "money": self.money,
            "colours": list(PALETTE),
        }


def bar_chart(items, *, title: str, money: bool = False) -> Chart:
    """Horizontal bars: ``items`` = [(label, value)], value ≥ 0."""
    items = list(items)
    return Chart("bar", title, [label for label, _v in items], [value for _l, value in items], money)


def column_chart(items, *, title: str, money: bool = False) -> Chart:
    """Vertical columns (e.g. twelve months): ``items`` = [(label, value)]."""
    items = list(items)
    return Chart("column", title, [label for label, _v in items], [value for _l, value in items], money)


def svg_fragment(template: str, *args) -> str:
    """``format_html`` that keeps numbers as numbers (so ``{:.1f}`` works); everything else is escaped."""
    from decimal import Decimal

    from django.utils.html import conditional_escape

    safe = [
        a if isinstance(a, int | float | Decimal) and not isinstance(a, bool) else conditional_escape(str(a))
        for a in args
    ]
    return mark_safe(template.format(*safe))  # noqa: S308
