"""The attribute schemas of the layers counties hold, and ours, mapped to land units and zones.

Three parcel schemas are recognised by their fields:

* ``dltb`` — the land-survey land-class patch layer (地类图斑 DLTB): DLBM, DLMC,
  QSXZ, QSDWDM, ZLDWDM, TBBH, TBMJ, GDLX, GDPDJB, ZZSXDM, SJNF;
* ``contract`` — the contracted-land registration plot layer (承包地块): DKBM,
  FBFBM, CBFBM, SCMJ or SCMJM, and optionally TDLYLX, SFJBNT;
* ``yunong`` — what ``yunong land export`` writes (QNM, CUNDM, DKLX …).

Each maps one feature's attributes to a :class:`ParcelIn`, or raises
:class:`Refused` naming the field and the reason in Chinese.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from yunong.core.errors import InvalidValue
from yunong.core.identity import codes as identity_codes
from yunong.core.parsing import fold, parse_flag
from yunong.core.regions import codes as region_codes
from yunong.land.codes import (
    UnitKind,
    ZoneKind,
    class_name,
    kind_of_class,
    normal_class_code,
    use_from_text,
    zone_kind_from_text,
)
from yunong.land.geometry import SQUARE_METRES_PER_MU

CULTIVATED = UnitKind.CULTIVATED

# Our export schema: field name (ten characters at most, for Shapefile) and its meaning.
EXPORT_FIELDS = {
    "QNM": "全农码",
    "DKBM": "承包地块编码",
    "BDCDYH": "不动产单元代码",
    "CUNDM": "村级区划代码",
    "CUNMC": "村名称",
    "DKLX": "地块类型（耕地、宅基地、集体建设用地）",
    "DLBM": "地类编码",
    "DLMC": "地类名称",
    "MJ": "面积（平方米，按高斯-克吕格投影计算）",
    "MJM": "面积（亩）",
    "TBMJ": "原图层所载面积（平方米，如地类图斑的 TBMJ、承包地块的 SCMJ）",
    "PDJB": "坡度级别（1—5）",
    "GDLX": "耕地类型（TT 梯田，PD 坡地）",
    "YJJBNT": "是否永久基本农田（是/否）",
    "GBZNT": "是否高标准农田（是/否）",
    "GBZXM": "高标准农田项目",
    "ZZSX": "种植属性（当前用途）",
    "SJNF": "数据年份",
    "CBFQNM": "承包方（经营主体）全农码",
    "CBFBM": "承包方编码",
    "QSDWDM": "权属单位代码（发包方编码）",
}
ZONE_EXPORT_FIELDS = {
    "QNM": "全农码",
    "BHLX": "区域类型（永久基本农田、生态保护红线、高标准农田项目区）",
    "MC": "名称",
    "BH": "编号",
    "XZQDM": "区划代码",
    "MJ": "面积（平方米）",
    "MJM": "面积（亩）",
}
PERMANENT_FLAGS = ("YJJBNT", "SFJBNT", "是否永久基本农田", "是否基本农田")
# 是否高标准农田 (GBZNT) and its project (GBZXM) in a layer are not read: a parcel becomes
# high-standard farmland only by the acceptance of a project (yunong.land.high_standard).
USE_FIELDS = ("ZZSX", "ZZSXDM", "种植属性")
YEAR_FIELDS = ("SJNF", "数据年份")


class Refused(Exception):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field_name, self.reason = field_name, reason


class Skipped(Exception):
    """A patch of a land class outside the three kinds (forest, water …): not a land unit."""

    def __init__(self, land_class: str) -> None:
        super().__init__(land_class)
        self.land_class = land_class


@dataclass
class ParcelIn:
    source_key: str
    village_code: str
    kind: UnitKind
    land_class_code: str
    land_class: str
    code: str | None = None
    contract_plot_code: str | None = None
    real_estate_unit_code: str | None = None
    reported_area_m2: Decimal | None = None
    slope_grade: int | None = None
    terrace: str | None = None
    permanent_farmland: bool = False
    current_use: str | None = None
    use_year: int | None = None
    holder_code: str | None = None
    contractor_code: str | None = None
    owner_code: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class ZoneIn:
    source_key: str
    kind: ZoneKind
    name: str
    region_code: str
    code: str | None = None


Row = dict[str, str]


def folded_names(names: list[str]) -> dict[str, str]:
    """Field names compared without case: ``dlbm`` is ``DLBM``."""
    return {fold(name).upper(): name for name in names}


def parcel_schema(names: list[str]) -> str:
    """Which parcel schema a layer's fields follow, or a Chinese reason it follows none."""
    upper = set(folded_names(names))
    if {"QNM", "CUNDM"} <= upper or {"CUNDM", "DLBM", "DKLX"} <= upper:
        return "yunong"
    if "DLBM" in upper and ("ZLDWDM" in upper or "TBBH" in upper):
        return "dltb"
    if "DKBM" in upper:
        return "contract"
    raise InvalidValue(
        "无法识别图层类型：地类图斑应有 DLBM 与 ZLDWDM（或 TBBH）字段，承包地块应有 DKBM 字段，"
        "本系统导出的图层应有 QNM 与 CUNDM 字段"
    )


def first(row: Row, names: tuple[str, ...]) -> tuple[str, str]:
    """The first of ``names`` the row has a value for, as (field, value); ("", "") if none."""
    for name in names:
        value = row.get(name, "")
        if value:
            return name, value
    return "", ""


def village_of(text: str, field_name: str) -> str:
    code = fold(text)[:12]
    if len(code) != 12 or not code.isdigit():
        raise Refused(field_name, f"“{text}”不含 12 位村级区划代码")
    if region_codes.level_of(code) != region_codes.Level.VILLAGE:
        raise Refused(field_name, f"区划代码 {code} 不是村级代码")
    return code


def square_metres(text: str, field_name: str, *, mu: bool = False) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(fold(text).replace(",", ""))
    except InvalidOperation:
        raise Refused(field_name, f"面积“{text}”不是数字") from None
    if value < 0:
        raise Refused(field_name, f"面积“{text}”不能为负数")
    return (value * SQUARE_METRES_PER_MU if mu else value).quantize(Decimal("0.01"))


def slope(row: Row) -> int | None:
    name, value = first(row, ("GDPDJB", "PDJB", "坡度级别"))
    if not value:
        return None
    if value not in {"1", "2", "3", "4", "5"}:
        raise Refused(name, f"坡度级别“{value}”应为 1—5（≤2°、2°—6°、6°—15°、15°—25°、>25°）")
    return int(value)


def flag(row: Row, names: tuple[str, ...]) -> bool:
    name, value = first(row, names)
    if not value:
        return False
    if value in ("1", "2") and name in ("SFJBNT", "SFGBZNT"):
        return value == "1"  # registration databases write 1 for yes and 2 for no
    try:
        return parse_flag(value)
    except InvalidValue as invalid:
        raise Refused(name, invalid.message) from None


def use_and_year(
    row: Row, kind: UnitKind, default_year: int | None
) -> tuple[str | None, int | None]:
    name, value = first(row, USE_FIELDS)
    year_name, year_text = first(row, YEAR_FIELDS)
    year = default_year
    if year_text:
        if not (year_text.isdigit() and 1990 <= int(year_text) <= 2100):
            raise Refused(year_name, f"数据年份“{year_text}”应为四位年份")
        year = int(year_text)
    if kind is not CULTIVATED or not value:
        return None, year
    try:
        use = use_from_text(value)
    except ValueError:
        raise Refused(
            name, f"种植属性“{value}”无法识别（应如 LS、FLS、LYFL、XG、LLJZ、WG）"
        ) from None
    return (str(use) if use else None), year


def protection(row: Row, parcel: ParcelIn) -> None:
    if parcel.kind is not CULTIVATED:
        return
    parcel.permanent_farmland = flag(row, PERMANENT_FLAGS)


def dltb_parcel(row: Row, default_year: int | None) -> ParcelIn:
    located = row.get("ZLDWDM", "")
    village = village_of(located, "ZLDWDM")
    number, bsm = row.get("TBBH", ""), row.get("BSM", "")
    if not number and not bsm:
        raise Refused("TBBH", "缺少图斑编号（TBBH）与标识码（BSM）")
    key = f"DLTB:{fold(located)}:{number}" if number else f"DLTB:BSM:{bsm}"
    class_code = normal_class_code(row.get("DLBM", ""))
    if not class_code:
        raise Refused("DLBM", "地类编码为空")
    kind = kind_of_class(class_code, row.get("QSXZ", ""))
    if kind is None:
        raise Skipped(f"{class_code} {row.get('DLMC', '')}".strip())
    parcel = ParcelIn(
        source_key=key[:64],
        village_code=village,
        kind=kind,
        land_class_code=class_code,
        land_class=class_name(class_code) or row.get("DLMC", "")[:20],
        reported_area_m2=square_metres(row.get("TBMJ", ""), "TBMJ"),
        owner_code=row.get("QSDWDM", "")[:19] or None,
    )
    if kind is CULTIVATED:
        parcel.slope_grade = slope(row)
        terrace = row.get("GDLX", "").upper()
        parcel.terrace = terrace if terrace in ("TT", "PD") else None
    parcel.current_use, parcel.use_year = use_and_year(row, kind, default_year)
    protection(row, parcel)
    return parcel


def contract_parcel(row: Row, default_year: int | None) -> ParcelIn:
    plot = fold(row.get("DKBM", ""))
    if len(plot) != 19 or not plot.isdigit():
        raise Refused(
            "DKBM", f"承包地块编码“{plot}”应为 19 位数字（发包方编码 14 位 + 顺序号 5 位）"
        )
    village = village_of(plot, "DKBM")
    employer = fold(row.get("FBFBM", ""))
    if employer and employer != plot[:14]:
        raise Refused("FBFBM", f"发包方编码 {employer} 与地块编码 {plot} 的前 14 位不一致")
    contractor = fold(row.get("CBFBM", ""))
    if contractor and (len(contractor) != 18 or not contractor.startswith(plot[:14])):
        raise Refused("CBFBM", f"承包方编码“{contractor}”应为 18 位，且以发包方编码开头")
    _, type_text = first(row, ("TDLYLX", "DLBM"))
    class_code = normal_class_code(type_text) if type_text else "01"
    if class_code != "01" and kind_of_class(class_code) is not CULTIVATED:
        raise Refused("TDLYLX", f"承包地块的土地利用类型 {type_text} 不是耕地（0101、0102、0103）")
    area = square_metres(row.get("SCMJ", ""), "SCMJ") or square_metres(
        row.get("SCMJM", ""), "SCMJM", mu=True
    )
    parcel = ParcelIn(
        source_key=f"DKBM:{plot}",
        village_code=village,
        kind=CULTIVATED,
        land_class_code=class_code,
        land_class=class_name(class_code) or "耕地",
        contract_plot_code=plot,
        reported_area_m2=area,
        contractor_code=contractor or None,
        owner_code=employer or plot[:14],
        slope_grade=slope(row),
    )
    parcel.current_use, parcel.use_year = use_and_year(row, parcel.kind, default_year)
    protection(row, parcel)
    return parcel


def yunong_parcel(row: Row, default_year: int | None) -> ParcelIn:
    village = village_of(row.get("CUNDM", ""), "CUNDM")
    code = fold(row.get("QNM", "")).upper()
    if code and not identity_codes.is_valid(code):
        raise Refused("QNM", f"全农码“{code}”无效")
    class_code = normal_class_code(row.get("DLBM", ""))
    kind = kind_from_label(row.get("DKLX", "")) or kind_of_class(class_code)
    if kind is None:
        raise Refused("DKLX", f"地块类型“{row.get('DKLX', '')}”应为 耕地、宅基地 或 集体建设用地")
    plot = fold(row.get("DKBM", "")) or None
    holder = fold(row.get("CBFQNM", "")).upper() or None
    if holder and not identity_codes.is_valid(holder):
        raise Refused("CBFQNM", f"承包方全农码“{holder}”无效")
    if not code and not plot:
        raise Refused("QNM", "全农码与承包地块编码都为空，无法识别地块")
    parcel = ParcelIn(
        source_key=f"QNM:{code}" if code else f"DKBM:{plot}",
        code=code or None,
        village_code=village,
        kind=kind,
        land_class_code=class_code or "01",
        land_class=(row.get("DLMC", "") or class_name(class_code))[:20],
        contract_plot_code=plot,
        real_estate_unit_code=fold(row.get("BDCDYH", "")) or None,
        holder_code=holder,
        contractor_code=fold(row.get("CBFBM", "")) or None,
        owner_code=fold(row.get("QSDWDM", "")) or None,
        reported_area_m2=square_metres(row.get("TBMJ", ""), "TBMJ"),
    )
    if kind is CULTIVATED:
        parcel.slope_grade = slope(row)
        terrace = row.get("GDLX", "").upper()
        parcel.terrace = terrace if terrace in ("TT", "PD") else None
    parcel.current_use, parcel.use_year = use_and_year(row, kind, default_year)
    protection(row, parcel)
    return parcel


def kind_from_label(text: str) -> UnitKind | None:
    value = text.strip()
    for kind in UnitKind:
        if value in (kind.value, kind.label):
            return kind
    return None


PARCEL_READERS = {"dltb": dltb_parcel, "contract": contract_parcel, "yunong": yunong_parcel}


def zone_of(row: Row) -> ZoneIn:
    """A protection zone from our export (BHLX …), a basic-farmland patch layer (JBNTTBBH) or
    an ecological red-line layer (HXBH)."""
    code = fold(row.get("QNM", "")).upper() or None
    if code and not identity_codes.is_valid(code):
        raise Refused("QNM", f"全农码“{code}”无效")
    if row.get("JBNTTBBH"):
        kind, number = ZoneKind.PERMANENT_FARMLAND, row["JBNTTBBH"]
        name = row.get("MC", "") or row.get("ZLDWMC", "")
    elif row.get("HXBH"):
        kind, number, name = ZoneKind.ECOLOGICAL_REDLINE, row["HXBH"], row.get("HXMC", "")
    else:
        kind_name, kind_text = first(row, ("BHLX", "QYLX", "区域类型"))
        if not kind_text:
            raise Refused(
                "BHLX", "缺少区域类型（BHLX）：应为 永久基本农田、生态保护红线 或 高标准农田项目区"
            )
        try:
            kind = zone_kind_from_text(kind_text)
        except ValueError:
            raise Refused(kind_name, f"区域类型“{kind_text}”无法识别") from None
        number, name = row.get("BH", ""), row.get("MC", "")
    region_name, region_text = first(row, ("XZQDM", "ZLDWDM", "CUNDM"))
    if not region_text:
        raise Refused("XZQDM", "缺少区划代码（XZQDM 或 ZLDWDM）")
    try:
        region = region_codes.normalise(fold(region_text)[:12])
    except InvalidValue as invalid:
        raise Refused(region_name, invalid.message) from None
    if not number and not code:
        raise Refused("BH", "缺少编号（BH、JBNTTBBH 或 HXBH）")
    key = f"QNM:{code}" if code and not number else f"{kind.value}:{region}:{number}"
    return ZoneIn(source_key=key[:64], kind=kind, name=name[:80], region_code=region, code=code)
