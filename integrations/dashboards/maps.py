"""An offline map of the sales points: the province outline (bundled GeoJSON) and the points, as one SVG.

No tile server is reachable, so the map is drawn here: an equirectangular projection around the province's
mid-latitude (longitudes shortened by cos φ), good enough at a province's scale.
"""

import functools
import json
import math
from pathlib import Path

from django.utils.safestring import mark_safe

from .charts import svg_fragment

OUTLINE = Path(__file__).resolve().parent / "data" / "province.geojson"
STATUS_COLOURS = {"proposed": "#8a8a8a", "approved": "#1b7f3b", "suspended": "#d08c00", "closed": "#b53a2c"}


@functools.cache
def province() -> dict:
    return json.loads(OUTLINE.read_text(encoding="utf-8"))


class Projection:
    def __init__(self, lon_min, lat_min, lon_max, lat_max, *, width: int, margin: int = 16):
        self.lon_min, self.lat_max, self.margin = lon_min, lat_max, margin
        self.k = math.cos(math.radians((lat_min + lat_max) / 2))
        span_x = max((lon_max - lon_min) * self.k, 1e-6)
        self.scale = (width - 2 * margin) / span_x
        self.width = width
        self.height = round((lat_max - lat_min) * self.scale + 2 * margin)

    def __call__(self, lon, lat) -> tuple[float, float]:
        return (self.margin + (float(lon) - self.lon_min) * self.k * self.scale,
                self.margin + (self.lat_max - float(lat)) * self.scale)


def points_map(points, *, width: int = 640, link=None) -> str:
    """The province with ``points`` (those with coordinates) as dots labelled with their names.

    ``link(point)`` gives each dot's URL (optional).
    """
    features = province()["features"]
    ring = next(f for f in features if f["geometry"]["type"] == "Polygon")["geometry"]["coordinates"][0]
    placed = [p for p in points if p.latitude is not None and p.longitude is not None]
    lons = [c[0] for c in ring] + [float(p.longitude) for p in placed]
    lats = [c[1] for c in ring] + [float(p.latitude) for p in placed]
    project = Projection(min(lons), min(lats), max(lons), max(lats), width=width)
    outline = " ".join("{:.1f},{:.1f}".format(*project(lon, lat)) for lon, lat in ring)
    parts = [svg_fragment('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
                         'class="map" aria-label="{}"><title>{}</title>', project.width, project.height,
                         "Đắk Lắk", "Đắk Lắk"),
             svg_fragment('<polygon points="{}" fill="#eef5e9" stroke="#5a7d4a" stroke-width="1.5"/>', outline)]
    for feature in features:
        if feature["geometry"]["type"] == "Point":
            x, y = project(*feature["geometry"]["coordinates"])
            parts.append(svg_fragment('<g class="town"><rect x="{:.1f}" y="{:.1f}" width="5" height="5" fill="#555"/>'
                                     '<text x="{:.1f}" y="{:.1f}" font-size="11" fill="#555">{}</text></g>',
                                     x - 2.5, y - 2.5, x + 5, y + 12, feature["properties"]["name"]))
    for point in placed:
        x, y = project(point.longitude, point.latitude)
        dot = svg_fragment('<circle cx="{:.1f}" cy="{:.1f}" r="6" fill="{}" stroke="#fff" stroke-width="1.5"/>'
                          '<text x="{:.1f}" y="{:.1f}" font-size="12">{}</text>',
                          x, y, STATUS_COLOURS.get(point.status, "#333"), x + 8, y + 4, point.name)
        if link is not None:
            dot = svg_fragment('<a href="{}">{}</a>', link(point), dot)
        parts.append(svg_fragment('<g class="point" data-code="{}" data-x="{:.1f}" data-y="{:.1f}">{}</g>',
                                 point.code, x, y, dot))
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every value above is escaped)
