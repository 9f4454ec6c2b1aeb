"""Read a vector file as counties hand it over: attributes as text, geometry and its CRS.

Formats: GeoPackage, Shapefile, GeoJSON, FlatGeobuf, GeoParquet and CSV with a
WKT column. Shapefiles whose .dbf is GBK without a .cpg file (as older county
tools write them) are detected and read as GBK, field names included.
"""

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from yunong.core.errors import InvalidValue
from yunong.core.geometry import STORAGE_EPSG, shapefile_encoding
from yunong.core.tabular import decode

VECTOR_SUFFIXES = {".gpkg", ".shp", ".geojson", ".json", ".fgb"}
WKT_COLUMNS = ("wkt", "geometry", "geom", "几何", "图形")


@dataclass
class Layer:
    """Features of one file: attribute columns as text, geometries and their CRS."""

    columns: dict[str, list[str]]
    geometries: np.ndarray
    crs: CRS
    encoding: str | None = None

    def __len__(self) -> int:
        return len(self.geometries)


def read_layer(path: Path, crs: str | None = None) -> Layer:
    """Read ``path``; ``crs`` (such as ``EPSG:4545``) names the CRS of a file that has none."""
    if not path.exists():
        raise InvalidValue(f"找不到文件“{path}”")
    suffix = path.suffix.lower()
    given = parse_crs(crs) if crs else None
    if suffix == ".csv":
        frame, geometries, found = read_csv(path)
        encoding = None
    elif suffix == ".parquet":
        frame, geometries, found = read_parquet(path)
        encoding = None
    elif suffix in VECTOR_SUFFIXES:
        encoding = shapefile_encoding(path) if suffix == ".shp" else None
        try:
            frame = pyogrio.read_dataframe(path, encoding=encoding)
        except Exception as error:  # GDAL raises several kinds for an unreadable file
            raise InvalidValue(f"文件“{path.name}”无法读取：{error}") from None
        geometries = np.asarray(frame.geometry.values, dtype=object)
        found = frame.crs
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    else:
        raise InvalidValue(
            f"不支持的文件类型“{suffix}”：可用 .gpkg、.shp、.geojson、.fgb、.parquet "
            "或带 WKT 列的 .csv"
        )
    layer_crs = given or (CRS.from_user_input(found) if found is not None else None)
    if layer_crs is None:
        layer_crs = guess_crs(geometries, path)
    columns = {str(name): column_text(frame[name]) for name in frame.columns}
    return Layer(columns, geometries, layer_crs, encoding)


def parse_crs(text: str) -> CRS:
    try:
        return CRS.from_user_input(text)
    except CRSError:
        raise InvalidValue(f"坐标系“{text}”无法识别，应如 EPSG:4490 或 EPSG:4545") from None


def text(value: Any) -> str:
    """An attribute value as the text a person would type: 12 not 12.0, nothing for null."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value).strip()


def column_text(series: pd.Series) -> list[str]:
    """A column as text, whole columns at a time where their type allows."""
    if pd.api.types.is_string_dtype(series.dtype) and not pd.api.types.is_object_dtype(
        series.dtype
    ):
        return list(series.fillna("").str.strip().tolist())
    if pd.api.types.is_integer_dtype(series.dtype) and not series.hasnans:
        return list(series.astype(str).tolist())
    return [text(value) for value in series.tolist()]


def read_csv(path: Path) -> tuple[pd.DataFrame, np.ndarray, None]:
    frame = pd.read_csv(io.StringIO(decode(path)), dtype=str, keep_default_na=False)
    folded = {name.strip().lower(): name for name in frame.columns}
    column = next((folded[name] for name in WKT_COLUMNS if name in folded), None)
    if column is None:
        raise InvalidValue(f"文件“{path.name}”缺少几何列：应有 WKT 列（列名 WKT 或 geometry）")
    wkt = frame[column].to_numpy(dtype=object)
    geometries = np.empty(len(wkt), dtype=object)
    for index, value in enumerate(wkt):
        try:
            geometries[index] = shapely.from_wkt(value) if value.strip() else None
        except shapely.errors.GEOSException:
            geometries[index] = UNREADABLE
    return frame.drop(columns=[column]), geometries, None


class Unreadable:
    """Stands for a WKT text that does not parse, so the feature is refused with a reason."""


UNREADABLE = Unreadable()


def read_parquet(path: Path) -> tuple[pd.DataFrame, np.ndarray, Any]:
    import geopandas

    try:
        frame = geopandas.read_parquet(path)
    except Exception as error:  # pyarrow and geopandas raise several kinds
        raise InvalidValue(f"文件“{path.name}”不是有效的 GeoParquet：{error}") from None
    geometries = np.asarray(frame.geometry.values, dtype=object)
    return pd.DataFrame(frame.drop(columns=frame.geometry.name)), geometries, frame.crs


def guess_crs(geometries: np.ndarray, path: Path) -> CRS:
    """A file without a CRS: degrees are CGCS2000; eastings with a zone number name their zone.

    Eastings without a zone number could be any zone, so those files must say.
    """
    usable = [g for g in geometries if isinstance(g, shapely.Geometry) and not g.is_empty]
    if not usable:
        return CRS.from_epsg(STORAGE_EPSG)
    west, south, east, north = shapely.total_bounds(np.asarray(usable, dtype=object))
    if west >= -180 and east <= 180 and south >= -90 and north <= 90:
        return CRS.from_epsg(STORAGE_EPSG)
    zone = int(west // 1_000_000)
    if zone == int(east // 1_000_000) and zone in (35, 36, 37):
        return CRS.from_epsg(4523 + zone - 35)
    raise InvalidValue(
        f"文件“{path.name}”没有坐标系信息（缺少 .prj），且坐标不是经纬度：请用 --crs 指定，"
        "如 --crs EPSG:4545（2000 国家大地坐标系 3 度带 中央经线 108°E）"
    )
