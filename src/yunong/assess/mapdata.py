"""The district map of the cockpit: one cell per district around its government seat.

No official district boundaries ship with the platform, so the choropleth draws each
district as the area nearer to its own seat than to any other (a Voronoi cell), clipped to
the region around all seats. The page says it is a schematic, not a legal boundary.
"""

import json
from functools import cache
from typing import Any

import duckdb

from yunong.demo.land import SEATS
from yunong.store.analytics import extension_path

CELLS_SQL = """
with cells as (
    select unnest(ST_Dump(ST_VoronoiDiagram(ST_Collect(list(ST_Point(lon, lat))))),
                  recursive := true)
    from seat
), outline as (
    select ST_Buffer(ST_ConvexHull(ST_Collect(list(ST_Point(lon, lat)))), 0.35) as shape from seat
)
select seat.code, ST_AsGeoJSON(ST_Intersection(cells.geom, outline.shape))
from seat, cells, outline
where ST_Contains(cells.geom, ST_Point(seat.lon, seat.lat))
order by seat.code
"""


@cache
def district_cells() -> dict[str, Any]:
    """A GeoJSON FeatureCollection with one polygon per district, ``properties.code`` set."""
    con = duckdb.connect()
    try:
        con.load_extension(str(extension_path("spatial")))
        rows = ", ".join(f"('{code}', {lon}, {lat})" for code, (lon, lat) in SEATS.items())
        con.execute(f"create table seat(code, lon, lat) as values {rows}")
        found = con.execute(CELLS_SQL).fetchall()
    finally:
        con.close()
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": code.ljust(12, "0")},
                "geometry": json.loads(geometry),
            }
            for code, geometry in found
        ],
    }
