"""The current map view as a PNG for reports: parcels coloured by the chosen layer, zones
outlined, village markers when zoomed out, with a title, legend, scale bar and north arrow.

Drawn with Pillow on the same Web-Mercator projection as the web map, so the picture
matches what the official sees on screen.
"""

import json
import math
import subprocess
from datetime import date
from functools import cache
from io import BytesIO

import shapely
from PIL import Image, ImageDraw, ImageFont

from yunong.land.map import ZONE_COLOURS, Layer, View
from yunong.land.spatial import Box

BACKGROUND = "#f4f1ea"
INK = "#263238"
NICE_LENGTHS = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000)


@cache
def font_file() -> str:
    """A CJK font from fontconfig (the Noto CJK fonts that ``make setup`` installs)."""
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:style=Regular"],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip()


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_file()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


class Projection:
    """Longitude and latitude to pixels of a ``width`` × ``height`` picture of ``box``."""

    def __init__(self, box: Box, width: int, height: int) -> None:
        self.west, self.north = mercator(box.west, box.north)
        east, south = mercator(box.east, box.south)
        self.scale = min(width / (east - self.west), height / (self.north - south))
        self.box = box

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = mercator(lon, lat)
        return (x - self.west) * self.scale, (self.north - y) * self.scale

    def metres_per_pixel(self) -> float:
        latitude = math.radians((self.box.south + self.box.north) / 2)
        return 6_378_137 * math.cos(latitude) / self.scale


def mercator(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def rings(geometry: shapely.Geometry) -> list[list[tuple[float, float]]]:
    polygons = getattr(geometry, "geoms", [geometry])
    return [list(polygon.exterior.coords) for polygon in polygons if polygon.geom_type == "Polygon"]


def draw(
    view: View, *, box: Box, layer: Layer, title: str, width: int = 1200, height: int = 800
) -> bytes:
    image = Image.new("RGB", (width, height), BACKGROUND)
    pen = ImageDraw.Draw(image)
    projection = Projection(box, width, height)
    for text, geometry in view.zones:
        props = json.loads(text)
        for ring in rings(geometry):
            points = [projection.pixel(x, y) for x, y in ring]
            pen.line(points, fill=ZONE_COLOURS.get(props["kind"], INK), width=2)
    if view.mode == "parcels":
        for text, geometry in view.features:
            colour = layer.classes.get(json.loads(text)[layer.prop], ("", "#9e9e9e"))[1]
            for ring in rings(geometry):
                points = [projection.pixel(x, y) for x, y in ring]
                pen.polygon(points, fill=colour, outline="#ffffff")
    else:
        for text, point in view.features:
            x, y = projection.pixel(point.x, point.y)
            radius = 3 + min(9, math.sqrt(json.loads(text)["parcels"]) / 4)
            pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill="#558b2f")
    draw_title(pen, title, width)
    draw_legend(pen, layer if view.mode == "parcels" else None, width, height)
    draw_scale(pen, projection, height)
    draw_north(pen, width)
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def draw_title(pen: ImageDraw.ImageDraw, title: str, width: int) -> None:
    text = f"{title}  ·  {date.today().isoformat()}"
    pen.rectangle((0, 0, width, 44), fill="#ffffff")
    pen.text((16, 8), text, fill=INK, font=font(22))


def draw_legend(pen: ImageDraw.ImageDraw, layer: Layer | None, width: int, height: int) -> None:
    entries = (
        [(label, colour) for label, colour in layer.classes.values()]
        if layer
        else [("村（圆点大小示地块数）", "#558b2f")]
    )
    heading = layer.name if layer else "村"
    box_width, line = 280, 26
    top = height - 24 - line * (len(entries) + 1)
    left = width - box_width - 16
    pen.rectangle((left, top, width - 16, height - 16), fill="#ffffff", outline=INK)
    pen.text((left + 10, top + 4), heading, fill=INK, font=font(18))
    for index, (label, colour) in enumerate(entries, start=1):
        y = top + 6 + index * line
        pen.rectangle((left + 10, y, left + 34, y + 16), fill=colour, outline=INK)
        pen.text((left + 44, y - 3), label, fill=INK, font=font(16))


def draw_scale(pen: ImageDraw.ImageDraw, projection: Projection, height: int) -> None:
    per_pixel = projection.metres_per_pixel()
    length = max((n for n in NICE_LENGTHS if n / per_pixel <= 220), default=NICE_LENGTHS[0])
    pixels = length / per_pixel
    left, y = 20, height - 30
    pen.rectangle((left - 6, y - 30, left + pixels + 70, y + 12), fill="#ffffff")
    pen.line((left, y, left + pixels, y), fill=INK, width=4)
    for x in (left, left + pixels):
        pen.line((x, y - 8, x, y + 4), fill=INK, width=2)
    label = f"{length // 1000} 千米" if length >= 1000 else f"{length} 米"
    pen.text((left, y - 30), label, fill=INK, font=font(16))


def draw_north(pen: ImageDraw.ImageDraw, width: int) -> None:
    x, y = width - 40, 70
    pen.polygon([(x, y), (x - 10, y + 28), (x + 10, y + 28)], fill=INK)
    pen.text((x - 8, y + 30), "北", fill=INK, font=font(16))
