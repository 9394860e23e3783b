"""Small server-rendered SVG charts (no JavaScript, no CDN): horizontal bars and monthly columns.

The SVGs scale to the width of their container (``viewBox`` + ``width="100%"``), carry a <title> for screen
readers and print as they look.
"""


from django.utils.safestring import mark_safe

PALETTE = ("#1b7f3b", "#d08c00", "#2c6db5", "#b53a2c", "#6b4ea0", "#2a8c8c")


def _number(value) -> str:
    value = float(value or 0)
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
    return text.replace(",", ".")  # Vietnamese grouping: 1.500.000


def bar_chart(items, *, title: str, width: int = 640, bar_height: int = 22, label_width: int = 220) -> str:
    """Horizontal bars: ``items`` = [(label, value)], value ≥ 0."""
    items = list(items)
    top = 28
    height = top + max(len(items), 1) * (bar_height + 8) + 8
    peak = max((float(v or 0) for _label, v in items), default=0) or 1
    room = width - label_width - 70
    parts = [svg_fragment('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
                         'class="chart" aria-label="{}"><title>{}</title>', width, height, title, title),
             svg_fragment('<text x="0" y="18" font-size="14" font-weight="bold">{}</text>', title)]
    for index, (label, value) in enumerate(items):
        y = top + index * (bar_height + 8)
        length = max(room * float(value or 0) / peak, 0)
        text = str(label)
        short = text if len(text) <= 32 else text[:31] + "…"
        parts.append(svg_fragment(
            '<g class="bar" data-label="{}" data-value="{}"><text x="{}" y="{}" font-size="12" text-anchor="end">{}'
            '</text><rect x="{}" y="{}" width="{:.1f}" height="{}" fill="{}"/><text x="{:.1f}" y="{}" '
            'font-size="12">{}</text></g>',
            text, value or 0, label_width - 6, y + bar_height * 0.7, short, label_width, y, length, bar_height,
            PALETTE[index % len(PALETTE)], label_width + length + 4, y + bar_height * 0.7, _number(value)))
    if not items:
        parts.append(svg_fragment('<text x="0" y="{}" font-size="12">—</text>', top + 14))
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every value above is escaped)


def column_chart(items, *, title: str, width: int = 640, height: int = 220) -> str:
    """Vertical columns (e.g. twelve months): ``items`` = [(label, value)]."""
    items = list(items)
    top, bottom, left = 28, 24, 8
    peak = max((float(v or 0) for _label, v in items), default=0) or 1
    slot = (width - left) / max(len(items), 1)
    room = height - top - bottom - 14
    parts = [svg_fragment('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
                         'class="chart" aria-label="{}"><title>{}</title>', width, height, title, title),
             svg_fragment('<text x="0" y="18" font-size="14" font-weight="bold">{}</text>', title)]
    for index, (label, value) in enumerate(items):
        length = room * float(value or 0) / peak
        x = left + index * slot + slot * 0.15
        y = height - bottom - length
        parts.append(svg_fragment(
            '<g class="column" data-label="{}" data-value="{}"><rect x="{:.1f}" y="{:.1f}" width="{:.1f}" '
            'height="{:.1f}" fill="{}"/><text x="{:.1f}" y="{}" font-size="11" text-anchor="middle">{}</text>'
            '<text x="{:.1f}" y="{:.1f}" font-size="10" text-anchor="middle">{}</text></g>',
            label, value or 0, x, y, slot * 0.7, length, PALETTE[0], x + slot * 0.35, height - 8, label,
            x + slot * 0.35, y - 3, _number(value) if value else ""))
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308


def svg_fragment(template: str, *args) -> str:
    """``format_html`` that keeps numbers as numbers (so ``{:.1f}`` works); everything else is escaped."""
    from decimal import Decimal

    from django.utils.html import conditional_escape

    safe = [a if isinstance(a, int | float | Decimal) and not isinstance(a, bool) else conditional_escape(str(a))
            for a in args]
    return mark_safe(template.format(*safe))  # noqa: S308
