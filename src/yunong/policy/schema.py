"""The shape of a policy pack, checked with Pydantic when it is loaded."""

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

CLAUSE = re.compile(r"^(一|二|三|四|五|六|七|八|九)?、?(（[一二三四五六七八九十]+）)*$")

RiskType = Literal[
    "因病",
    "因学",
    "因残",
    "因自然灾害",
    "因意外事故",
    "因产业项目失败",
    "因务工就业不稳",
    "缺劳动力",
    "其他",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Clause(Strict):
    clause: str = Field(description="实施意见条款，如（五）")

    @field_validator("clause")
    @classmethod
    def known_clause(cls, value: str) -> str:
        if not value or not CLAUSE.match(value):
            raise ValueError(f"条款“{value}”的写法应如“（五）”或“一、”")
        return value


class MonitoringRule(Clause):
    """One screening rule: what trips it comes from code; how much trips it comes from here."""

    risk_type: RiskType
    name: str
    enabled: bool = True
    share: float | None = Field(default=None, gt=0, le=1)
    amount: float | None = Field(default=None, ge=0)
    factor: float | None = Field(default=None, gt=0)
    days: int | None = Field(default=None, ge=0)


class Monitoring(Clause):
    monitoring_line: dict[int, float] = Field(description="监测线，元/人·年，按年份")
    lowest_income_line: dict[int, float] = Field(description="最低收入农户识别线，元/人·年")
    working_age: tuple[int, int] = (16, 60)
    rules: dict[str, MonitoringRule]

    def line_for(self, year: int) -> float:
        if year not in self.monitoring_line:
            years = "、".join(str(known) for known in sorted(self.monitoring_line))
            raise KeyError(f"策略包没有 {year} 年的监测线（已有：{years}）")
        return self.monitoring_line[year]

    def lowest_line_for(self, year: int) -> float:
        if year not in self.lowest_income_line:
            raise KeyError(f"策略包没有 {year} 年的最低收入农户识别线")
        return self.lowest_income_line[year]


class Pack(Strict):
    id: str
    title: str
    seed: str
    province: str = Field(pattern=r"^\d{2}$")
    monitoring: Monitoring
