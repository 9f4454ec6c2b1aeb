"""Code lists of the land layers: kinds of land unit, land classes, slope grades and uses.

Land classes follow the third national land survey (三调, GB/T 21010-2017 with
its survey extensions); the second survey's three-digit codes (011 水田 …) that
older contract-registration databases carry are read as their successors.
"""

from enum import StrEnum


class UnitKind(StrEnum):
    """The three kinds of rural land (“三块地”) of the one map."""

    CULTIVATED = "cultivated"
    HOMESTEAD = "homestead"
    CONSTRUCTION = "construction"

    @property
    def label(self) -> str:
        return UNIT_KIND_LABELS[self]


UNIT_KIND_LABELS = {
    UnitKind.CULTIVATED: "耕地",
    UnitKind.HOMESTEAD: "宅基地",
    UnitKind.CONSTRUCTION: "集体建设用地",
}

CULTIVATED_CLASSES = {"0101": "水田", "0102": "水浇地", "0103": "旱地"}
HOMESTEAD_CLASSES = {"0702": "农村宅基地"}
# Construction classes that collectives hold: business, industry, public services, special
# use and village roads (三调 codes); owned collectively they are 集体建设用地.
CONSTRUCTION_CLASSES = {
    "05H1": "商业服务业设施用地",
    "0508": "物流仓储用地",
    "0601": "工业用地",
    "0602": "采矿用地",
    "08H1": "机关团体新闻出版用地",
    "08H2": "科教文卫用地",
    "0809": "公用设施用地",
    "0810": "公园与绿地",
    "09": "特殊用地",
    "1004": "城镇村道路用地",
    "1005": "交通服务场站用地",
    "1202": "设施农用地",
}
SECOND_SURVEY_CLASSES = {"011": "0101", "012": "0102", "013": "0103", "072": "0702"}
COLLECTIVE_OWNERSHIP = ("3",)
"""权属性质 (QSXZ) codes 30–34 are collective ownership."""

SLOPE_GRADES = {1: "≤2°", 2: "2°—6°", 3: "6°—15°", 4: "15°—25°", 5: ">25°"}


class Use(StrEnum):
    """Current use (种植属性) of a cultivated parcel."""

    GRAIN = "grain"
    OIL = "oil"
    ROTATION = "rotation"
    CASH_CROP = "cash_crop"
    PERENNIAL = "perennial"
    FACILITY = "facility"
    INTERCROP = "intercrop"
    FALLOW = "fallow"
    ABANDONED = "abandoned"

    @property
    def label(self) -> str:
        return USE_LABELS[self]


USE_LABELS = {
    Use.GRAIN: "粮食作物",
    Use.OIL: "油料作物",
    Use.ROTATION: "粮与非粮轮作",
    Use.CASH_CROP: "其他非粮作物",
    Use.PERENNIAL: "果茶桑苗等多年生作物",
    Use.FACILITY: "设施农业",
    Use.INTERCROP: "林粮间作",
    Use.FALLOW: "休耕",
    Use.ABANDONED: "撂荒",
}
# 种植属性代码 (ZZSXDM) of the land survey, and the Chinese names people write.
SURVEY_USE_CODES = {
    "LS": Use.GRAIN,
    "FLS": Use.CASH_CROP,
    "LYFL": Use.ROTATION,
    "XG": Use.FALLOW,
    "LLJZ": Use.INTERCROP,
    "WG": Use.ABANDONED,
    "YL": Use.OIL,
    "SS": Use.FACILITY,
    "GY": Use.PERENNIAL,
}


def use_from_text(text: str) -> Use | None:
    """A use from a survey code, an English identifier or a Chinese name; None when empty."""
    value = text.strip()
    if not value:
        return None
    upper = value.upper()
    if upper in SURVEY_USE_CODES:
        return SURVEY_USE_CODES[upper]
    for use in Use:
        if value in (use.value, use.label):
            return use
    aliases = {"未耕种": Use.ABANDONED, "粮食": Use.GRAIN, "非粮": Use.CASH_CROP, "油料": Use.OIL}
    if value in aliases:
        return aliases[value]
    raise ValueError(value)


# Looked up once per feature of files with millions of them, so kept as plain dicts:
# reading an enum member is slow enough to show there.
KIND_BY_CLASS = {
    **dict.fromkeys(CULTIVATED_CLASSES, UnitKind.CULTIVATED),
    **dict.fromkeys(HOMESTEAD_CLASSES, UnitKind.HOMESTEAD),
}
CONSTRUCTION = UnitKind.CONSTRUCTION


def kind_of_class(code: str, ownership: str = "") -> UnitKind | None:
    """The kind of land unit a land class makes, or None for land outside the three kinds."""
    kind = KIND_BY_CLASS.get(code)
    if kind is not None:
        return kind
    if code in CONSTRUCTION_CLASSES and (
        not ownership or ownership.startswith(COLLECTIVE_OWNERSHIP)
    ):
        return CONSTRUCTION
    return None


def class_name(code: str) -> str:
    return {**CULTIVATED_CLASSES, **HOMESTEAD_CLASSES, **CONSTRUCTION_CLASSES}.get(code, "")


def normal_class_code(text: str) -> str:
    """A land-class code in its third-survey form: 011 → 0101."""
    code = text.strip().upper()
    return SECOND_SURVEY_CLASSES.get(code, code)


class ZoneKind(StrEnum):
    PERMANENT_FARMLAND = "permanent_farmland"
    ECOLOGICAL_REDLINE = "ecological_redline"
    HIGH_STANDARD = "high_standard"

    @property
    def label(self) -> str:
        return ZONE_KIND_LABELS[self]


ZONE_KIND_LABELS = {
    ZoneKind.PERMANENT_FARMLAND: "永久基本农田",
    ZoneKind.ECOLOGICAL_REDLINE: "生态保护红线",
    ZoneKind.HIGH_STANDARD: "高标准农田项目区",
}


def zone_kind_from_text(text: str) -> ZoneKind:
    value = text.strip()
    for kind in ZoneKind:
        if value in (kind.value, kind.label):
            return kind
    aliases = {
        "基本农田": ZoneKind.PERMANENT_FARMLAND,
        "红线": ZoneKind.ECOLOGICAL_REDLINE,
        "高标准农田": ZoneKind.HIGH_STANDARD,
    }
    if value in aliases:
        return aliases[value]
    raise ValueError(value)
