"""The pack's industry section read as the importer and the rules need it: series by the
name a file gives, units converted to the series' own, periods dated as the series counts."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from yunong.core.errors import InvalidValue
from yunong.policy import loader
from yunong.policy.schema import Industry, IndustrySeries, Pack

BASKET = "菜篮子"
"""The city page's name, and the chain named for warnings on series outside the seven chains."""


def section(pack: Pack | None = None) -> Industry:
    found = (pack or loader.get()).industry
    if found is None:
        raise InvalidValue("策略包没有产业大脑（industry）一节")
    return found


def fold(text: str) -> str:
    """Text compared without width, case or spaces: 元／斤 equals 元/斤."""
    return unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")


@dataclass(frozen=True)
class Catalogue:
    industry: Industry

    def series_named(self, name: str) -> tuple[str, IndustrySeries]:
        """The series a file names, by its name, one of its other names or its key."""
        wanted = fold(name)
        for key, series in self.industry.series.items():
            if wanted in {fold(key), fold(series.name), *(fold(alias) for alias in series.aliases)}:
                return key, series
        raise InvalidValue("指标“{name}”不在策略包的产业大脑指标中", name=name.strip())

    def in_unit(self, key: str, series: IndustrySeries, unit: str) -> tuple[str, IndustrySeries]:
        """The series a value in ``unit`` belongs to: a stock given in % is its share."""
        if fold(unit) == "%" and series.in_percent and fold(series.unit) != "%":
            return series.in_percent, self.industry.series[series.in_percent]
        return key, series

    def factor(self, series: IndustrySeries, unit: str) -> float:
        """The factor turning a value in ``unit`` into the series' unit; empty is its own."""
        given = fold(unit)
        if not given or given == fold(series.unit):
            return 1.0
        for written, alias in self.industry.units.items():
            if fold(written) == given and fold(alias.unit) == fold(series.unit):
                return alias.factor
        raise InvalidValue(
            "单位“{unit}”不能换算为该指标的单位“{own}”", unit=unit.strip(), own=series.unit
        )

    def chain_of(self, name: str) -> str:
        """A chain's key from its key or its name (生猪, pig); 菜篮子 for the basket."""
        wanted = fold(name)
        if wanted == fold(BASKET):
            return BASKET
        for key, title in self.industry.chains.items():
            if wanted in (fold(key), fold(title)):
                return key
        choices = "、".join(self.industry.chains.values())
        raise InvalidValue("产业链“{name}”不存在，可选：{choices}", name=name, choices=choices)

    def chain_title(self, key: str | None) -> str:
        return self.industry.chains.get(key or "", BASKET)


def catalogue(pack: Pack | None = None) -> Catalogue:
    return Catalogue(section(pack))


def monday(day: date) -> date:
    """The Monday of ``day``'s week: a weekly series is dated by it."""
    return day - timedelta(days=day.weekday())


def period_of(day: date, frequency: str) -> date:
    return monday(day) if frequency == "weekly" else day.replace(day=1)


EXCEL_EPOCH = date(1899, 12, 30)
MONTH = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")


def parse_day(text: str) -> date:
    """A date as offices write it: 2024-03-04, 2024/3/4, 2024年3月4日, 20240304, an Excel day
    number (45355), or a month alone (2024-03, 2024年3月) for its first day."""
    from yunong.core.parsing import parse_date

    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        raise InvalidValue("日期为空")
    if re.fullmatch(r"\d{5}(\.0+)?", value):
        return EXCEL_EPOCH + timedelta(days=int(float(value)))
    month = MONTH.match(value)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        if not 1 <= number <= 12:
            raise InvalidValue("日期“{text}”无法识别，应如 2024-03-04", text=text.strip())
        return date(year, number, 1)
    try:
        return parse_date(value)
    except InvalidValue:
        raise InvalidValue("日期“{text}”无法识别，应如 2024-03-04", text=text.strip()) from None


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def parse_value(text: str) -> float:
    """A non-negative number; thousands separators and spaces are allowed."""
    value = re.sub(r"[,，\s]", "", unicodedata.normalize("NFKC", text))
    if not value:
        raise InvalidValue("数值为空")
    if not NUMBER.match(value):
        raise InvalidValue("数值“{text}”不是数字", text=text.strip())
    number = float(value)
    if number < 0:
        raise InvalidValue("数值“{text}”不能为负数", text=text.strip())
    return number
