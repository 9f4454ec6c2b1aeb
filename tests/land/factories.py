"""Small land layers with hand-checkable figures, written as real files.

Parcels are rectangles laid out on the CGCS2000 Gauss–Krüger zone with central
meridian 108°E (EPSG:4545) near 万州区 龙沙镇, so their areas are exact by
construction: a 100 m × 60 m rectangle is 6,000 m², that is 9 亩.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas
import pyogrio
import shapely

ORIGIN = (538_000.0, 3_409_000.0)
"""Easting and northing near 108.4°E, 30.8°N."""
GAUSS_KRUGER_108 = "EPSG:4545"
GAUSS_KRUGER_ZONE_36 = "EPSG:4524"


def rectangle(column: int, row: int = 0, width: float = 100.0, height: float = 60.0):
    """A rectangle in EPSG:4545, laid out on a grid so that no two overlap."""
    x, y = ORIGIN[0] + column * 150.0, ORIGIN[1] + row * 100.0
    return shapely.box(x, y, x + width, y + height)


@dataclass
class Patch:
    """One land-class patch (地类图斑) with the survey's field names."""

    number: str
    village: str
    geometry: Any
    DLBM: str = "0101"
    DLMC: str = "水田"
    QSXZ: str = "30"
    GDLX: str = "TT"
    GDPDJB: str = "2"
    ZZSXDM: str = "LS"
    SJNF: str = "2024"
    extra: dict[str, str] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        return {
            "BSM": self.number,
            "DLBM": self.DLBM,
            "DLMC": self.DLMC,
            "QSXZ": self.QSXZ,
            "QSDWDM": self.village + "0000000",
            "ZLDWDM": self.village + "0000000",
            "TBBH": self.number,
            "TBMJ": str(round(self.geometry.area, 2)) if self.geometry is not None else "",
            "GDLX": self.GDLX,
            "GDPDJB": self.GDPDJB,
            "ZZSXDM": self.ZZSXDM,
            "SJNF": self.SJNF,
            **self.extra,
        }


def frame(patches: list[Patch], crs: str = GAUSS_KRUGER_108) -> geopandas.GeoDataFrame:
    records = [patch.record() for patch in patches]
    return geopandas.GeoDataFrame(records, geometry=[patch.geometry for patch in patches], crs=crs)


def write_gbk_shapefile_without_cpg(data: geopandas.GeoDataFrame, path: Path) -> Path:
    """A shapefile whose .dbf is GBK, as older county tools leave it: no .cpg and no code
    page in the .dbf header."""
    pyogrio.write_dataframe(data, path, encoding="GBK")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    dbf = path.with_suffix(".dbf")
    raw = bytearray(dbf.read_bytes())
    raw[29] = 0
    dbf.write_bytes(bytes(raw))
    return path


def write(data: geopandas.GeoDataFrame, path: Path) -> Path:
    if path.suffix == ".parquet":
        data.to_parquet(path)
    elif path.suffix == ".csv":
        plain = data.drop(columns=data.geometry.name)
        plain["WKT"] = shapely.to_wkt(data.geometry.values, rounding_precision=-1)
        plain.to_csv(path, index=False)
    else:
        pyogrio.write_dataframe(data, path)
    return path


@dataclass
class Plot:
    """A parcel in our own export schema, by its contracted-plot code."""

    plot: str
    village: str
    geometry: Any
    DKLX: str = "耕地"
    DLBM: str = "0101"
    PDJB: str = "2"
    YJJBNT: str = "否"
    GBZNT: str = "否"
    ZZSX: str = "粮食作物"
    SJNF: str = "2024"
    CBFQNM: str = ""

    def record(self) -> dict[str, Any]:
        return {
            "DKBM": self.plot,
            "CUNDM": self.village,
            "DKLX": self.DKLX,
            "DLBM": self.DLBM,
            "PDJB": self.PDJB,
            "YJJBNT": self.YJJBNT,
            "GBZNT": self.GBZNT,
            "ZZSX": self.ZZSX,
            "SJNF": self.SJNF,
            "CBFQNM": self.CBFQNM,
        }


def plot_code(village: str, number: int) -> str:
    """A 19-digit contracted-plot code: village 12 + group 01 + plot 5."""
    return f"{village}01{number:05d}"


def plot_frame(plots: list[Plot], crs: str = GAUSS_KRUGER_108) -> geopandas.GeoDataFrame:
    return geopandas.GeoDataFrame(
        [plot.record() for plot in plots], geometry=[plot.geometry for plot in plots], crs=crs
    )


def zone_frame(zones: list[dict[str, Any]], crs: str = GAUSS_KRUGER_108) -> geopandas.GeoDataFrame:
    """Zones given as attribute dicts with a ``geometry`` entry."""
    records = [{k: v for k, v in zone.items() if k != "geometry"} for zone in zones]
    return geopandas.GeoDataFrame(records, geometry=[z["geometry"] for z in zones], crs=crs)
