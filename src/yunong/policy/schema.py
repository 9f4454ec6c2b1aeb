"""The shape of a policy pack, checked with Pydantic when it is loaded."""

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CLAUSE = re.compile(r"^(一|二|三|四|五|六|七|八|九)?、?(（[一二三四五六七八九十]+）)*$")
DIGITS = "一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 25 → 二十五, 37 → 三十七 (up to 99)."""
    tens, units = divmod(number, 10)
    prefix = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens - 1] + "十")
    return prefix + (DIGITS[units - 1] if units else "")


# The seed has nine parts (一、 … 九、) and thirty-seven numbered clauses (（一） … （三十七）).
SEED_CLAUSES = frozenset(
    [f"{chinese_number(part)}、" for part in range(1, 10)]
    + [f"（{chinese_number(number)}）" for number in range(1, 38)]
)

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
        if value not in SEED_CLAUSES:
            raise ValueError(f"实施意见中没有条款“{value}”（共九个部分、三十七条）")
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


MonitoredCategory = Literal["脱贫不稳定户", "边缘易致贫户", "突发严重困难户"]
RemovalCriterion = Literal[
    "income_above_line",
    "income_stable",
    "rigid_costs_resolved",
    "education_secure",
    "medical_secure",
    "housing_secure",
    "water_secure",
]


class CaseWorkflow(Clause):
    """Identification and 风险消除 of monitored households: in how many working days, and how."""

    categories: tuple[MonitoredCategory, ...] = Field(min_length=1, description="监测对象类别")
    identification_days: int = Field(gt=0, description="识别纳入全程时限（工作日）")
    step_days: dict[str, int] = Field(description="每一步的时限（工作日），按步骤")
    warn_days: int = Field(ge=0, description="距时限不足此数个工作日时黄色预警")
    measure_kinds: dict[str, str] = Field(description="帮扶措施类别：标识 → 名称")
    development_kinds: tuple[str, ...] = Field(description="有劳动力的农户以这些开发式措施为主")
    protection_kinds: tuple[str, ...] = Field(description="无劳动力的农户以这些保障性措施为主")
    assist_first: tuple[RiskType, ...] = Field(
        default=(), description="有这些风险的农户，识别期间即可先行落实帮扶措施"
    )
    removal_criteria: tuple[RemovalCriterion, ...] = Field(description="风险消除须全部满足的条件")
    stable_months: int = Field(ge=6, description="收入持续稳定在监测线以上的月数，不少于 6 个月")


class Monitoring(Clause):
    monitoring_line: dict[int, float] = Field(description="监测线，元/人·年，按年份")
    lowest_income_line: dict[int, float] = Field(description="最低收入农户识别线，元/人·年")
    working_age: tuple[int, int] = (16, 60)
    rules: dict[str, MonitoringRule]
    workflow: CaseWorkflow

    def line_for(self, year: int) -> float:
        if year not in self.monitoring_line:
            years = "、".join(str(known) for known in sorted(self.monitoring_line))
            raise KeyError(f"策略包没有 {year} 年的监测线（已有：{years}）")
        return self.monitoring_line[year]

    def lowest_line_for(self, year: int) -> float:
        if year not in self.lowest_income_line:
            raise KeyError(f"策略包没有 {year} 年的最低收入农户识别线")
        return self.lowest_income_line[year]


class CultivatedLandTarget(Clause):
    """耕地保有量: the city's cultivated land to keep, per year."""

    mu: dict[int, float] = Field(description="耕地保有量目标（亩），按年份")

    def for_year(self, year: int) -> float:
        if year not in self.mu:
            years = "、".join(str(known) for known in sorted(self.mu))
            raise KeyError(f"策略包没有 {year} 年的耕地保有量目标（已有：{years}）")
        return self.mu[year]


class Recultivation(Clause):
    """撂荒耕地复耕: abandoned cultivated land up to this slope grade is all to be re-cultivated."""

    max_slope_grade: int = Field(ge=1, le=5, description="坡度级别（1 ≤2°…4 15°—25°，5 >25°）")


class NonGrain(Clause):
    """“非粮化”整改: which uses are allowed on protected farmland, and the transition per use."""

    permanent_farmland_uses: tuple[str, ...] = Field(description="永久基本农田上允许的用途")
    high_standard_uses: tuple[str, ...] = Field(description="高标准农田上允许的用途")
    transition_years: dict[str, int] = Field(description="整改过渡期（年），按用途")


class OccupationCap(Clause):
    """以补定占: next year's occupation cap is this year's net increase of stable farmland."""

    name: str


class Land(Clause):
    cultivated_land_target: CultivatedLandTarget
    recultivation: Recultivation
    non_grain: NonGrain
    occupation_cap: OccupationCap


class Trace(Clause):
    """农品“一码通”: product categories and when scans of a code look like a counterfeit."""

    categories: tuple[str, ...] = Field(min_length=1, description="产品品类（产业）")
    scan_factor: float = Field(gt=1, description="扫码次数超过批次件数的倍数即预警")
    scan_floor: int = Field(ge=0, description="扫码次数不到此数不预警")
    distant_km: float = Field(gt=0, description="两处扫码地点相距超过此距离（公里）算“远”")
    distant_places: int = Field(ge=2, description="相距甚远的扫码地点达到此数即预警")
    certificate_keep_months: int = Field(ge=6, description="合格证留存月数，不少于 6 个月")


Level = Literal["city", "district", "town", "village"]


class Target(Strict):
    """A year's target: at least, at most or about ``value`` (about: within ``tolerance``)."""

    kind: Literal["at_least", "at_most", "about", "steady"] = "at_least"
    value: float | None = Field(default=None, description="目标值；“保持稳定”时为空")
    tolerance: float | None = Field(default=None, ge=0, description="“左右”允许的偏差")


class Indicator(Clause):
    """One figure the cockpit follows: where it is from, what it should reach, how it counts."""

    name: str = Field(description="中文名称")
    text: str = Field(description="实施意见原文")
    unit: str
    levels: tuple[Level, ...] = Field(min_length=1, description="有此指标值的层级")
    aggregation: Literal["sum", "mean", "rate", "none"] = Field(
        description="下级汇总到上级的方式；rate 为分子分母分别汇总后相除"
    )
    direction: Literal["higher", "lower", "target"] = "higher"
    valid: tuple[float, float] = Field(description="有效值范围（含两端）")
    targets: dict[int, Target] = Field(default_factory=dict, description="按年份的目标")
    weight: float = Field(default=0, ge=0, description="赛马比拼得分中的权重")
    method: str = Field(
        pattern=r"^(reported:(city|district|town|village)|computed:[a-z_.]+)$",
        description="reported:<填报层级> 或 computed:<登记的计算函数>",
    )

    def target_for(self, year: int) -> Target | None:
        return self.targets.get(year)

    @model_validator(mode="after")
    def targets_in_range(self) -> "Indicator":
        low, high = self.valid
        if low > high:
            raise ValueError(f"有效范围 {low:g}—{high:g} 下限大于上限")
        for year, target in self.targets.items():
            if target.value is not None and not low <= target.value <= high:
                raise ValueError(f"{year} 年目标 {target.value:g} 不在有效范围 {low:g}—{high:g} 内")
        return self


class Rule(Clause):
    """A rule of the seed that a module enforces or tracks, with the module that does."""

    name: str
    text: str
    module: str = Field(description="执行或跟踪此规则的模块")
    values: dict[str, float | int | str] = Field(default_factory=dict)


class NamedList(Clause):
    """A named set of regions; the seed gives the size, the members come from notices."""

    name: str
    size: int = Field(gt=0, description="实施意见所称数量")
    members: tuple[str, ...] = Field(default=(), description="成员的区划代码")
    source: str = Field(description="成员名单的依据")

    @model_validator(mode="after")
    def members_fit(self) -> "NamedList":
        if len(set(self.members)) != len(self.members):
            raise ValueError("成员有重复")
        if len(self.members) > self.size:
            raise ValueError(f"成员 {len(self.members)} 个，多于所称的 {self.size} 个")
        return self


class ChecklistItem(Clause):
    """One criterion of a 巴渝和美乡村“达标村”: computed from a module's data where it has
    the village's data, else reported by the village."""

    name: str
    text: str = Field(description="依据的实施意见原文")
    method: str = Field(
        pattern=r"^(reported:village|computed:[a-z_.]+)$",
        description="reported:village 由村填报；computed:<登记的计算函数>，无数据时由村填报",
    )


class ModelVillage(Clause):
    """The 达标村 checklist: a village meets the standard when every item is met."""

    items: dict[str, ChecklistItem] = Field(min_length=1)


class Scoring(Clause):
    """赛马比拼: how progress against a target turns into a colour."""

    green: float = Field(gt=0, description="完成度不低于此值为绿色（1 即达到目标）")
    yellow: float = Field(gt=0, description="完成度不低于此值为黄色，低于为红色")

    @model_validator(mode="after")
    def ordered(self) -> "Scoring":
        if self.yellow > self.green:
            raise ValueError(f"黄色阈值 {self.yellow:g} 高于绿色阈值 {self.green:g}")
        return self


class Pack(Strict):
    id: str
    title: str
    seed: str
    province: str = Field(pattern=r"^\d{2}$")
    monitoring: Monitoring
    trace: Trace
    land: Land
    indicators: dict[str, Indicator] = Field(default_factory=dict)
    rules: dict[str, Rule] = Field(default_factory=dict)
    lists: dict[str, NamedList] = Field(default_factory=dict)
    model_village: ModelVillage
    scoring: Scoring
