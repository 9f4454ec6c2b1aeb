"""Statistical division codes: levels, parents and scope prefixes, without a database.

Every code is held as 12 digits (2 province + 2 prefecture + 2 county +
3 town + 3 village); shorter official forms (6-digit GB/T 2260 county codes,
9-digit town codes) are padded with zeros. A region's *scope prefix* is the
significant part of its code, so "is X inside Y" is a prefix test.
"""

import unicodedata
from enum import IntEnum

from yunong.core.errors import InvalidValue


class Level(IntEnum):
    CITY = 1
    DISTRICT = 2
    TOWN = 3
    VILLAGE = 4

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]

    @classmethod
    def from_name(cls, name: str) -> "Level":
        key = name.strip().lower()
        for level in cls:
            if key in (level.name.lower(), level.label, str(level.value)):
                return level
        raise InvalidValue(
            f"层级“{name}”无效，应为 市、区县、乡镇 或 村（city/district/town/village）"
        )


CITY_CODE = "500000000000"
"""Chongqing Municipality, the top of every scope."""

LEVEL_LABELS = {Level.CITY: "市", Level.DISTRICT: "区县", Level.TOWN: "乡镇", Level.VILLAGE: "村"}
PREFIX_LENGTHS = {Level.CITY: 2, Level.DISTRICT: 6, Level.TOWN: 9, Level.VILLAGE: 12}


def normalise(code: str) -> str:
    """Return the 12-digit form of a 2-, 6-, 9- or 12-digit division code."""
    text = unicodedata.normalize("NFKC", str(code)).strip()
    if not text.isdigit() or len(text) not in (2, 6, 9, 12):
        raise InvalidValue(f"区划代码“{str(code).strip()}”应为 6、9 或 12 位数字")
    return text.ljust(12, "0")


def level_of(code: str) -> Level:
    """The level a 12-digit code stands for, from where its trailing zeros begin."""
    if code[2:] == "0" * 10:
        return Level.CITY
    if code[6:] == "0" * 6:
        return Level.DISTRICT
    if code[9:] == "000":
        return Level.TOWN
    return Level.VILLAGE


def prefix_of(code: str) -> str:
    """The scope prefix: 2 digits for the city, 6 for a district, 9 for a town, 12 for a village."""
    return code[: PREFIX_LENGTHS[level_of(code)]]


def parent_of(code: str) -> str | None:
    """The code of the enclosing region (a district's parent is its province-level city)."""
    level = level_of(code)
    if level is Level.CITY:
        return None
    parent_level = Level(level - 1)
    return code[: PREFIX_LENGTHS[parent_level]].ljust(12, "0")


def contains(scope_code: str, code: str) -> bool:
    """Whether ``code`` lies inside (or is) the region ``scope_code``."""
    return code.startswith(prefix_of(scope_code))


def short_form(code: str) -> str:
    """The code as officials write it: 6 digits for a district, 9 for a town, 12 for a village."""
    level = level_of(code)
    return code[: max(6, PREFIX_LENGTHS[level])]
