"""The shape of a policy pack, checked with Pydantic when it is loaded."""

import re
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

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


DEFAULT = "default"
RULE_PREFIXES = ("国家：", "市级：")


def as_parts(value: object) -> object:
    return (value,) if isinstance(value, str) else value


def known_parts(parts: tuple[str, ...]) -> tuple[str, ...]:
    for part in parts:
        named_rule = part.startswith(RULE_PREFIXES) and len(part) > len(RULE_PREFIXES[0])
        if part != DEFAULT and part not in SEED_CLAUSES and not named_rule:
            raise ValueError(
                f"来源“{part}”应为实施意见的条款（如“（五）”）、“国家：规定名称”、"
                "“市级：规定名称”或 default（项目默认，可配置）"
            )
    return parts


# Where a value comes from: one or more seed clauses (“（三十五）”, or a list where two clauses
# say it), a named national or municipal rule (“国家：…”, “市级：…”), or ``default``.
Source = Annotated[
    tuple[str, ...], BeforeValidator(as_parts), AfterValidator(known_parts), Field(min_length=1)
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    # Fields whose values are always project defaults, whatever the object's source says.
    CONFIGURED: ClassVar[frozenset[str]] = frozenset()


class Sourced(Strict):
    """Where its values come from: ``source`` for all of them, ``sources`` for a field that
    comes from elsewhere."""

    source: Source = Field(description="取值的来源")
    sources: dict[str, Source] = Field(default_factory=dict, description="个别字段的来源")

    @model_validator(mode="after")
    def sources_name_fields(self) -> "Sourced":
        unknown = sorted(set(self.sources) - set(type(self).model_fields))
        if unknown:
            raise ValueError(f"sources 中的“{'、'.join(unknown)}”不是本节的字段")
        return self

    def source_of(self, field: str) -> tuple[str, ...]:
        if field in self.CONFIGURED:
            return (DEFAULT,)
        return self.sources.get(field, self.source)


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


class MonitoringRule(Sourced, Clause):
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


class CaseWorkflow(Sourced, Clause):
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


class Monitoring(Sourced, Clause):
    monitoring_line: dict[int, float] = Field(description="防止返贫监测线，元/人·年，按年份")
    lowest_income_line: dict[int, float] = Field(
        description="最低收入农户识别线，元/人·年，按年份：人均纯收入低于此线的农户列入台账，"
        "每年都低于当年的监测线"
    )
    working_age: tuple[int, int] = (16, 60)
    rules: dict[str, MonitoringRule]
    workflow: CaseWorkflow

    @model_validator(mode="after")
    def lowest_line_below_monitoring_line(self) -> "Monitoring":
        if set(self.lowest_income_line) != set(self.monitoring_line):
            raise ValueError("最低收入农户识别线与监测线应列出相同的年份")
        for year, line in sorted(self.lowest_income_line.items()):
            if line >= self.monitoring_line[year]:
                raise ValueError(
                    f"{year} 年最低收入农户识别线 {line:g} 元不低于监测线 "
                    f"{self.monitoring_line[year]:g} 元"
                )
        return self

    def line_for(self, year: int) -> float:
        if year not in self.monitoring_line:
            years = "、".join(str(known) for known in sorted(self.monitoring_line))
            raise KeyError(f"策略包没有 {year} 年的监测线（已有：{years}）")
        return self.monitoring_line[year]

    def lowest_line_for(self, year: int) -> float:
        if year not in self.lowest_income_line:
            raise KeyError(f"策略包没有 {year} 年的最低收入农户识别线")
        return self.lowest_income_line[year]


class CultivatedLandTarget(Sourced, Clause):
    """耕地保有量: the city's cultivated land to keep, per year."""

    mu: dict[int, float] = Field(description="耕地保有量目标（亩），按年份")

    def for_year(self, year: int) -> float:
        if year not in self.mu:
            years = "、".join(str(known) for known in sorted(self.mu))
            raise KeyError(f"策略包没有 {year} 年的耕地保有量目标（已有：{years}）")
        return self.mu[year]


class Recultivation(Sourced, Clause):
    """撂荒耕地复耕: abandoned cultivated land up to this slope grade is all to be re-cultivated."""

    max_slope_grade: int = Field(ge=1, le=5, description="坡度级别（1 ≤2°…4 15°—25°，5 >25°）")


class NonGrain(Sourced, Clause):
    """“非粮化”整改: which uses are allowed on protected farmland, and the transition per use."""

    permanent_farmland_uses: tuple[str, ...] = Field(description="永久基本农田上允许的用途")
    high_standard_uses: tuple[str, ...] = Field(description="高标准农田上允许的用途")
    transition_years: dict[str, int] = Field(description="整改过渡期（年），按用途")


class OccupationCap(Sourced, Clause):
    """以补定占: next year's occupation cap is this year's net increase of stable farmland."""

    name: str


class Land(Clause):
    cultivated_land_target: CultivatedLandTarget
    recultivation: Recultivation
    non_grain: NonGrain
    occupation_cap: OccupationCap


class Farmland(Sourced, Clause):
    """高标准农田: the rules a project is checked against at approval (申报审批), the planning
    investment per 亩 and the days each step may take before it counts as overdue."""

    min_project_mu: float = Field(gt=0, description="单个项目最小建设规模（亩），中心城区以外")
    central_districts: tuple[str, ...] = Field(description="中心城区（不受最小规模限制）的区县代码")
    exempt_districts: tuple[str, ...] = Field(
        default=(), description="经批准不受最小规模限制的区县代码（豁免清单）"
    )
    exempt_projects: tuple[str, ...] = Field(
        default=(), description="经批准不受最小规模限制的项目编号（豁免清单）"
    )
    investment_per_mu: float = Field(gt=0, description="亩均投资（元/亩），申报审批时不得低于此数")
    step_days: dict[str, int] = Field(description="各环节从上一环节完成起的办理时限（天）")
    repair_days: int = Field(ge=1, description="损毁报告的整改期限（天）")


class Trace(Sourced, Clause):
    """农品“一码通”: product categories and when scans of a code look like a counterfeit."""

    categories: tuple[str, ...] = Field(min_length=1, description="产品品类（产业）")
    scan_factor: float = Field(gt=1, description="扫码次数超过批次件数的倍数即预警")
    scan_floor: int = Field(ge=0, description="扫码次数不到此数不预警")
    distant_km: float = Field(gt=0, description="两处扫码地点相距超过此距离（公里）算“远”")
    distant_places: int = Field(
        ge=2, description="相距甚远的扫码地点（各由不同来源上报）达到此数即预警"
    )
    distant_hours: float = Field(
        ge=0, description="这些地点的上报须跨越的小时数：几个地址在同一时段上报不算"
    )
    report_days: int = Field(ge=1, description="只计最近若干天内上报的位置")
    reports_per_client_day: int = Field(
        ge=1, description="同一来源一天内最多上报位置的批次数，超出的被拒绝"
    )
    certificate_keep_months: int = Field(ge=6, description="合格证留存月数，不少于 6 个月")


Level = Literal["city", "district", "town", "village"]


class Target(Strict):
    """A year's target: at least, at most or about ``value`` (about: within ``tolerance``).

    Its source is the indicator's unless it names its own."""

    CONFIGURED = frozenset({"tolerance"})

    kind: Literal["at_least", "at_most", "about", "steady"] = "at_least"
    value: float | None = Field(default=None, description="目标值；“保持稳定”时为空")
    tolerance: float | None = Field(default=None, ge=0, description="“左右”允许的偏差")
    source: Source | None = Field(default=None, description="本年目标的来源，与指标不同时写")


class Indicator(Sourced, Clause):
    """One figure the cockpit follows: where it is from, what it should reach, how it counts.

    ``source`` is where its targets come from; the valid range and the weight are always
    project defaults. An indicator with ``applies_to`` has targets only for the districts of
    that list, and only they report it; one with ``per`` stands for one indicator per member
    of that group (expanded when the pack loads). An indicator without a weight is
    monitored only: shown with its target, not scored."""

    CONFIGURED = frozenset({"valid", "weight"})

    name: str = Field(description="中文名称")
    text: str = Field(description="实施意见原文（摘引，中间省略处用“……”）")
    note: str = Field(default="", description="策略包的说明（不是实施意见原文）")
    unit: str
    levels: tuple[Level, ...] = Field(min_length=1, description="有此指标值的层级")
    aggregation: Literal["sum", "mean", "rate", "none"] = Field(
        description="下级汇总到上级的方式；rate 为分子分母分别汇总后相除"
    )
    direction: Literal["higher", "lower", "target"] = "higher"
    valid: tuple[float, float] = Field(description="有效值范围（含两端）")
    targets: dict[int, Target] = Field(default_factory=dict, description="按年份的目标")
    weight: float = Field(default=0, ge=0, description="赛马比拼得分中的权重")
    monitored_only: bool = Field(default=False, description="仅监测、不计分（权重为 0）")
    method: str = Field(
        pattern=r"^(reported:(city|district|town|village)|computed:[a-z_.]+)$",
        description="reported:<填报层级> 或 computed:<登记的计算函数>",
    )
    applies_to: str | None = Field(
        default=None, description="只对此名单（lists 或 pairings）中的区县设目标、由其填报"
    )
    per: str | None = Field(default=None, description="按此分组（groups）的每一项各一个值")

    def target_for(self, year: int) -> Target | None:
        return self.targets.get(year)

    def target_source(self, year: int) -> tuple[str, ...]:
        target = self.targets[year]
        return target.source or self.source

    @model_validator(mode="after")
    def weighted_or_monitored_only(self) -> "Indicator":
        if self.weight > 0 and self.monitored_only:
            raise ValueError("有权重的指标不能标为仅监测（monitored_only）")
        if self.weight == 0 and not self.monitored_only:
            raise ValueError("没有权重的指标应标为仅监测（monitored_only: true）或给出权重")
        return self

    @model_validator(mode="after")
    def targets_in_range(self) -> "Indicator":
        low, high = self.valid
        if low > high:
            raise ValueError(f"有效范围 {low:g}—{high:g} 下限大于上限")
        for year, target in self.targets.items():
            if target.value is not None and not low <= target.value <= high:
                raise ValueError(f"{year} 年目标 {target.value:g} 不在有效范围 {low:g}—{high:g} 内")
        return self


class Rule(Sourced, Clause):
    """A rule of the seed that a module enforces or tracks, with the module that does, or a
    quantified statement of the seed that nothing tracks yet (``tracked: false``)."""

    name: str
    text: str = Field(description="实施意见原文（摘引，中间省略处用“……”）")
    module: str | None = Field(default=None, description="执行或跟踪此规则的应用；未定时为空")
    tracked: bool = Field(default=True, description="平台是否已经执行或跟踪")
    note: str = Field(default="", description="策略包的说明（不是实施意见原文）")
    values: dict[str, float | int | str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def tracked_by_a_module(self) -> "Rule":
        if self.tracked and not self.module:
            raise ValueError("已跟踪的规则应写明跟踪它的应用（module）")
        return self


class NamedList(Sourced, Clause):
    """A named set of districts or towns; ``source`` is where the members come from, the
    size's source is given in ``sources.size``."""

    name: str
    size: int = Field(gt=0, description="名单的数量")
    members: tuple[str, ...] = Field(default=(), description="成员的区划代码")
    note: str = Field(default="", description="策略包的说明（不是实施意见原文）")

    @model_validator(mode="after")
    def members_fit(self) -> "NamedList":
        if len(set(self.members)) != len(self.members):
            raise ValueError("成员有重复")
        if len(self.members) > self.size:
            raise ValueError(f"成员 {len(self.members)} 个，多于所称的 {self.size} 个")
        return self


class Pairing(Sourced, Clause):
    """Districts paired with each other (结对): each pair's two district codes."""

    name: str
    pairs: tuple[tuple[str, str], ...] = Field(description="结对的两个区县代码")
    note: str = Field(default="", description="策略包的说明（不是实施意见原文）")

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(sorted({code for pair in self.pairs for code in pair}))

    @model_validator(mode="after")
    def pairs_of_two(self) -> "Pairing":
        keys = [frozenset(pair) for pair in self.pairs]
        if any(len(key) != 2 for key in keys):
            raise ValueError("一个区县不能与自己结对")
        if len(set(keys)) != len(keys):
            raise ValueError("结对有重复")
        return self


class Group(Sourced, Clause):
    """A named set of things other than regions (e.g. the key industries): an indicator
    ``per`` the group has one value for each member."""

    name: str
    members: dict[str, str] = Field(min_length=1, description="标识 → 名称")


class ChecklistItem(Clause):
    """One criterion of a 巴渝和美乡村“达标村”: computed from a module's data where it has
    the village's data, else reported by the village."""

    name: str
    text: str = Field(description="依据的实施意见原文")
    method: str = Field(
        pattern=r"^(reported:village|computed:[a-z_.]+)$",
        description="reported:village 由村填报；computed:<登记的计算函数>，无数据时由村填报",
    )


class ModelVillage(Sourced, Clause):
    """The 达标村 checklist: a village meets the standard when every item is met."""

    items: dict[str, ChecklistItem] = Field(min_length=1)


class Scoring(Sourced, Clause):
    """赛马比拼: how progress against a target turns into a colour."""

    green: float = Field(gt=0, description="完成度不低于此值为绿色（1 即达到目标）")
    yellow: float = Field(gt=0, description="完成度不低于此值为黄色，低于为红色")

    @model_validator(mode="after")
    def ordered(self) -> "Scoring":
        if self.yellow > self.green:
            raise ValueError(f"黄色阈值 {self.yellow:g} 高于绿色阈值 {self.green:g}")
        return self


class Band(Strict):
    """One warning band: ``level`` from ``at_least`` (a percentage) upwards, until the next."""

    level: int = Field(ge=1, le=3, description="预警级别，1 最严重")
    at_least: float = Field(ge=0, description="从此百分比起（含；above 为真时不含）")
    above: bool = Field(default=False, description="为真时须大于 at_least")

    def holds(self, percent: float) -> bool:
        return percent > self.at_least if self.above else percent >= self.at_least


def bands_in_order(bands: tuple[Band, ...]) -> tuple[Band, ...]:
    starts = [band.at_least for band in bands]
    if starts != sorted(starts) or len(set(starts)) != len(starts):
        raise ValueError("预警区间应按起点从小到大排列，起点不重复")
    return bands


Bands = Annotated[tuple[Band, ...], AfterValidator(bands_in_order), Field(min_length=1)]


class UnitAlias(Strict):
    """A unit written in files and how it converts: ``value × factor`` in ``unit``."""

    unit: str
    factor: float = Field(gt=0)


class IndustrySeries(Strict):
    """A series the 产业大脑 keeps: its name in files, unit, frequency and chain."""

    name: str = Field(description="导入文件中的指标名称")
    aliases: tuple[str, ...] = Field(default=(), description="文件中也接受的其他写法")
    unit: str = Field(description="保存的单位；其他单位按 units 换算")
    frequency: Literal["weekly", "monthly"] = Field(
        description="weekly 按周（记在该周周一），monthly 按月（记在该月一日）"
    )
    chain: str | None = Field(default=None, description="所属产业链；菜篮子产品可为空")
    kind: Literal["price", "volume", "stock", "area"] = "price"
    main: bool = Field(default=False, description="产业链页面的主要序列")
    move_bands: str | None = Field(
        default=None, description="周涨跌幅预警所用的区间（price_moves）"
    )
    in_percent: str | None = Field(
        default=None, description="以 % 报送时改记入的序列（如存栏占正常保有量的百分比）"
    )


class PigGrainRule(Sourced, Clause):
    """猪粮比价 (live pig price ÷ corn price, weekly), falling side."""

    name: str
    pig: str = Field(description="生猪价格序列")
    corn: str = Field(description="玉米价格序列")
    ratio: str | None = Field(
        default=None, description="直接报送的猪粮比价序列（该周没有两种价格时使用）"
    )
    level3_below: float = Field(gt=0, description="低于此比值为三级预警")
    level1_below: float = Field(gt=0, description="低于此比值为一级预警")
    level2_weeks: int = Field(ge=2, description="连续此数周处于两者之间为二级预警")


class PorkRiseRule(Sourced, Clause):
    """Rising side: year-on-year rise of pork retail prices (the same week a year earlier)."""

    name: str
    series: str
    bands: Bands


class SowStockRule(Sourced, Clause):
    """能繁母猪存栏 against the normal holding, monthly: green, yellow and red zones."""

    name: str
    series: str
    share: str | None = Field(
        default=None, description="直接报送的存栏占正常保有量百分比序列（没有正常保有量时使用）"
    )
    normal_holding: dict[str, float] = Field(description="正常保有量（万头），按区划代码（12 位）")
    green: tuple[float, float] = Field(description="绿色区间（%，含两端）")
    yellow: tuple[float, float] = Field(
        description="黄色区间的外沿（%，含两端）：其中绿色以外的部分为黄色，再往外为红色"
    )

    @model_validator(mode="after")
    def zones_nest(self) -> "SowStockRule":
        if not self.yellow[0] <= self.green[0] < self.green[1] <= self.yellow[1]:
            raise ValueError("黄色区间应包住绿色区间")
        return self


class PriceMoveRule(Sourced, Clause):
    """Week-on-week price moves (up or down), by named band sets."""

    name: str
    bands: dict[str, Bands]


class FloorRule(Sourced, Clause):
    """菜篮子 floors: the year-end projected from the year-to-date pace against the floor."""

    name: str
    floors: dict[str, dict[int, float]] = Field(description="序列 → 年份 → 全年底线")
    bands: Bands = Field(description="预计缺口（%）的预警区间")


class Industry(Sourced, Clause):
    """产业大脑: the chains, the series kept for them and the warning rules on them."""

    chains: dict[str, str] = Field(min_length=1, description="产业链：标识 → 名称")
    units: dict[str, UnitAlias] = Field(description="文件中的单位写法 → 保存的单位与倍数")
    series: dict[str, IndustrySeries] = Field(min_length=1)
    pig_grain: PigGrainRule
    pork_rise: PorkRiseRule
    sow_stock: SowStockRule
    price_moves: PriceMoveRule
    floors: FloorRule

    @model_validator(mode="after")
    def names_known(self) -> "Industry":
        for key, series in self.series.items():
            if series.chain is not None and series.chain not in self.chains:
                raise ValueError(f"series.{key}.chain：没有产业链“{series.chain}”")
            if series.move_bands is not None and series.move_bands not in self.price_moves.bands:
                raise ValueError(f"series.{key}.move_bands：price_moves 没有“{series.move_bands}”")
        used = [self.pig_grain.pig, self.pig_grain.corn, self.pork_rise.series]
        used += [self.sow_stock.series, *self.floors.floors]
        used += [key for key in (self.pig_grain.ratio, self.sow_stock.share) if key]
        used += [series.in_percent for series in self.series.values() if series.in_percent]
        unknown = [key for key in used if key not in self.series]
        if unknown:
            raise ValueError(f"规则引用了没有的序列：{'、'.join(unknown)}")
        names = [name for series in self.series.values() for name in (series.name, *series.aliases)]
        if len(set(names)) != len(names):
            raise ValueError("序列名称有重复")
        return self


class BlackOdorousWater(Sourced, Clause):
    """农村黑臭水体: the identification thresholds (any one is enough) and the stages of
    remediation. Water shallower than ``shallow_depth_cm`` is judged by its transparency as
    a share of its depth instead of by ``transparency_cm``."""

    transparency_cm: float = Field(gt=0, description="透明度低于此值（cm）为黑臭")
    shallow_depth_cm: float = Field(
        gt=0, description="水深低于此值（cm）为浅水：透明度低于水深的一定比例为黑臭"
    )
    shallow_transparency_share: float = Field(gt=0, le=1, description="浅水的透明度比例")
    dissolved_oxygen_mg_l: float = Field(gt=0, description="溶解氧低于此值（mg/L）为黑臭")
    ammonia_nitrogen_mg_l: float = Field(gt=0, description="氨氮高于此值（mg/L）为黑臭")
    stages: tuple[str, ...] = Field(min_length=2, description="整治项目的环节，依次办理")
    satisfaction_share: float = Field(gt=0, le=1, description="验收时公众满意度不低于此比例")
    clear_by: int = Field(description="全面清零的年份")
    kinds: dict[str, str] = Field(min_length=1, description="水体类型：标识 → 名称")


class SewageGrade(Strict):
    """The effluent limits (mg/L) of one grade of the discharge standard."""

    cod: float = Field(gt=0)
    ammonia_nitrogen: float = Field(gt=0)
    total_phosphorus: float = Field(gt=0)
    suspended_solids: float = Field(gt=0)


class Sewage(Sourced, Clause):
    """Rural sewage facilities: the grades of the discharge standard they are held to."""

    grades: dict[str, SewageGrade] = Field(min_length=1, description="排放标准等级 → 限值")


class Toilets(Sourced, Clause):
    """Household toilets: which types are sanitary, and the subsidy paid after acceptance."""

    types: dict[str, bool] = Field(min_length=1, description="厕所类型 → 是否卫生厕所")
    subsidy_yuan: float = Field(ge=0, description="先改后补：验收合格后每户补助（元）")


class Habitat(Sourced, Clause):
    """人居环境: black and odorous water, sewage facilities and toilets."""

    black_odorous: BlackOdorousWater
    sewage: Sewage
    toilets: Toilets


AccountCategory = Literal["asset", "liability", "equity", "cost", "profit_loss"]


class ChartAccount(Strict):
    """One account of the collective accounting chart."""

    name: str = Field(min_length=1, description="科目名称")
    category: AccountCategory = Field(description="类别：资产、负债、所有者权益、成本、损益")
    side: Literal["debit", "credit"] = Field(description="余额方向：借或贷")


class Disclosure(Sourced, Clause):
    """财务公开: what is disclosed, how often, and when it becomes monthly."""

    categories: tuple[str, ...] = Field(min_length=1, description="公开的类别")
    quarterly: bool = Field(description="至少每季度公开一次")
    monthly_above_vouchers: int = Field(gt=0, description="季度凭证多于此数时按月公开")
    due_days: int = Field(gt=0, description="期末后多少天内应公开")


class FundSource(Strict):
    """A source of 帮扶项目 funds; ``linkage`` marks the 衔接资金 that （六） counts."""

    name: str = Field(min_length=1, description="资金来源名称")
    linkage: bool = Field(description="是否为衔接推进乡村振兴补助资金")


class SupportProjects(Sourced, Clause):
    """帮扶项目资产: the kinds of projects, their fund sources and the industry share target."""

    kinds: dict[str, str] = Field(min_length=1, description="项目类型 → 名称")
    industry_kind: str = Field(description="计入“用于产业发展”的项目类型")
    fund_sources: dict[str, FundSource] = Field(min_length=1, description="资金来源")

    @model_validator(mode="after")
    def industry_kind_known(self) -> "SupportProjects":
        if self.industry_kind not in self.kinds:
            raise ValueError(f"产业项目类型 {self.industry_kind} 不在项目类型中")
        return self


class RegistryCategory(Strict):
    name: str = Field(min_length=1, description="类别名称")
    kind: Literal["fund", "asset", "resource"] = Field(description="资金、资产或资源")
    account: str | None = Field(default=None, description="清产核资时核对的会计科目")


class Registry(Sourced, Clause):
    """三资登记: the categories of funds, assets and resources, and the account of the chart
    each category's book values are reconciled with in 清产核资 (none for off-book resources)."""

    categories: dict[str, RegistryCategory] = Field(min_length=1, description="三资类别")


class Collective(Sourced, Clause):
    """渝农经管: collective economic organisations, their books, disclosure and distribution."""

    uscc_prefix: str = Field(
        pattern=r"^[0-9A-Z]{2}$", description="农村集体经济组织的统一社会信用代码前两位"
    )
    accounts: dict[str, ChartAccount] = Field(min_length=1, description="会计科目：编码 → 科目")
    profit_carry_account: str = Field(description="年终结转损益的科目（本年收益）")
    income_band_wan: float = Field(gt=0, description="村集体经营收入达到此数（万元）的村单独计数")
    debt_warning_percent: float = Field(gt=0, le=100, description="资产负债率达到此比例（%）预警")
    disclosure: Disclosure
    projects: SupportProjects
    registry: Registry

    @model_validator(mode="after")
    def carry_account_in_chart(self) -> "Collective":
        if self.profit_carry_account not in self.accounts:
            raise ValueError(f"结转科目 {self.profit_carry_account} 不在会计科目中")
        for key, category in self.registry.categories.items():
            if category.account is not None and category.account not in self.accounts:
                raise ValueError(f"三资类别 {key} 的核对科目 {category.account} 不在会计科目中")
        return self


class GrainSubsidy(Strict):
    """A subsidy paid per 亩 of a grower's eligible parcels (种粮宝's 补贴)."""

    name: str
    yuan_per_mu: float = Field(ge=0, description="每亩补贴（元）")
    uses: tuple[str, ...] | None = Field(
        default=None, description="只计这些现状用途的耕地（为空时不限用途）"
    )
    exclude_abandoned: bool = Field(description="撂荒（未复垦）的地块不计")


class Trusteeship(Strict):
    """生产托管: its kinds and profit models."""

    kinds: dict[str, str] = Field(min_length=1, description="托管方式：标识 → 名称")
    profit_models: dict[str, str] = Field(min_length=1, description="收益方式：标识 → 名称")


class Services(Sourced, Clause):
    """农事服务: machine types, operations, subsidies and the crop calendar of 种粮宝."""

    operations: tuple[str, ...] = Field(min_length=1, description="作业类型（服务环节）")
    machine_types: dict[str, tuple[str, ...]] = Field(
        min_length=1, description="机具类型 → 能做的作业类型"
    )
    subsidies: dict[str, GrainSubsidy] = Field(description="种粮补贴：标识 → 名称与标准")
    crop_calendar: dict[str, dict[str, str]] = Field(description="作物 → 月份（如 3 月）→ 农事")
    trusteeship: Trusteeship

    @model_validator(mode="after")
    def operations_known(self) -> "Services":
        for kind, operations in self.machine_types.items():
            unknown = [op for op in operations if op not in self.operations]
            if unknown:
                raise ValueError(f"machine_types.{kind}：没有作业类型“{'、'.join(unknown)}”")
        return self


class BanPeriod(Strict):
    """When the ban began on one kind of water, and for how many years."""

    starts_on: date = Field(description="禁捕起始日期")
    years: int = Field(ge=1, description="禁捕年数")


class FisheryScreening(Strict):
    """The 防返贫 rule the retired fishers' households are screened by."""

    risk_type: RiskType = Field(description="风险类型")
    income_factor: float = Field(gt=0, description="人均纯收入低于监测线的倍数")


class Fishery(Sourced, Clause):
    """长江治渔: ban zones, patrols, tips and the retired fishers."""

    periods: dict[Literal["main_stream", "tributary", "reserve"], BanPeriod] = Field(
        description="各类水域的禁捕起始日期与年数（文件未写时采用）"
    )
    tip_answer_days: int = Field(ge=1, description="群众举报应在几日内答复")
    case_close_days: int = Field(ge=1, description="案件应在几日内办结")
    visit_days: int = Field(ge=1, description="退捕渔民回访间隔（天）")
    screening: FisheryScreening


class PointsItem(Strict):
    """One item of a village's points rules (积分制): conduct that earns points."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$", description="条目标识")
    name: str = Field(min_length=1, max_length=60, description="条目名称")
    points: int = Field(gt=0, le=1000, description="每次计的积分")


class Governance(Sourced, Clause):
    """基层治理: 三事分流, grids, points for good conduct and stationed cadres."""

    matter_days: dict[Literal["big", "small", "private"], int] = Field(
        description="三事分流：大事、小事、私事的办理时限（天）"
    )
    sectors: tuple[str, ...] = Field(
        min_length=1, description="镇街指挥中心的板块（大事分派到板块）"
    )
    stationed_target: float = Field(gt=0, le=100, description="驻村第一书记或指导员覆盖率目标（%）")
    points_items: tuple[PointsItem, ...] = Field(
        default=(),
        description="积分制的积分条目（默认值，由各村按村规民约设定）",
    )

    @field_validator("points_items")
    @classmethod
    def distinct_points_keys(cls, items: tuple[PointsItem, ...]) -> tuple[PointsItem, ...]:
        keys = [item.key for item in items]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValueError(f"积分条目标识重复：{'、'.join(repeated)}")
        return items


class ExchangeKind(Strict):
    """A kind of right traded on the exchange: its name in files and its other spellings."""

    name: str
    aliases: tuple[str, ...] = Field(default=(), description="文件中也接受的其他写法")
    termless: bool = Field(default=False, description="无流转期限（如地票为一次性转让的指标）")


class Bidding(Strict):
    """Open ascending bidding: the extension a late bid earns, and what follows no bid."""

    extension_window_minutes: int = Field(gt=0, description="截止前多少分钟内出价即延时")
    extension_minutes: int = Field(gt=0, description="每次延时（分钟）")
    relist_discount: float = Field(ge=0, lt=1, description="流拍后重新挂牌时起始价下调比例")
    max_relists: int = Field(ge=0, description="流拍后最多重新挂牌次数")
    organisations_only: tuple[str, ...] = Field(
        default=(), description="只允许组织（统一社会信用代码）竞买的标的类型"
    )


class LandTicket(Strict):
    """地票: the conditions a homestead must meet, and how the net proceeds are shared."""

    conditions: dict[str, str] = Field(min_length=1, description="申请条件：标识 → 名称")
    farmer_share: float = Field(gt=0, le=1, description="净收益中农户的份额")
    household_cap_m2: float = Field(gt=0, description="农户按份额分得收益的面积上限（平方米）")


class TransferContract(Strict):
    """The terms the land-management-right transfer contract takes from the pack."""

    contract_ends_on: date = Field(
        description="承包期届满日：土地经营权流转的期限不得超过承包期的剩余期限"
    )
    payment_days: int = Field(gt=0, description="合同签订后多少日内付清价款")
    late_fee_per_day: float = Field(gt=0, lt=1, description="逾期付款每日违约金（按未付价款）")


class Exchange(Sourced, Clause):
    """产权交易: the kinds of rights traded, the longest term a deal may run, and bidding."""

    kinds: dict[str, ExchangeKind] = Field(min_length=1, description="标的类型：标识 → 名称")
    max_term_years: int = Field(gt=0, description="流转期限上限（年）")
    index_min_deals: int = Field(
        gt=0, description="价格指数：一个区县一个季度至少有多少宗成交才计算，否则沿用上期"
    )
    bidding: Bidding
    land_ticket: LandTicket
    contract: TransferContract


class Pack(Strict):
    id: str
    title: str
    seed: str
    province: str = Field(pattern=r"^\d{2}$")
    monitoring: Monitoring
    trace: Trace
    land: Land
    farmland: Farmland
    indicators: dict[str, Indicator] = Field(default_factory=dict)
    rules: dict[str, Rule] = Field(default_factory=dict)
    lists: dict[str, NamedList] = Field(default_factory=dict)
    pairings: dict[str, Pairing] = Field(default_factory=dict)
    groups: dict[str, Group] = Field(default_factory=dict)
    model_village: ModelVillage
    scoring: Scoring
    habitat: Habitat | None = None
    industry: Industry | None = None
    collective: Collective | None = None
    services: Services | None = None
    fishery: Fishery | None = None
    governance: Governance | None = None
    exchange: Exchange | None = None

    @model_validator(mode="before")
    @classmethod
    def one_indicator_per_member(cls, data: Any) -> Any:
        """An indicator ``per`` a group becomes one indicator per member, keyed
        ``<key>_<member>`` and named ``<name>（<member's name>）``."""
        if not isinstance(data, dict) or not isinstance(data.get("indicators"), dict):
            return data
        groups = data.get("groups") or {}
        expanded: dict[str, Any] = {}
        for key, raw in data["indicators"].items():
            group = raw.get("per") if isinstance(raw, dict) else None
            if group is None:
                expanded[key] = raw
                continue
            members = (groups.get(group) or {}).get("members")
            if not isinstance(members, dict):
                raise ValueError(f"indicators.{key}.per：没有分组“{group}”（groups）")
            for member, name in members.items():
                named = f"{raw.get('name', key)}（{name}）"
                expanded[f"{key}_{member}"] = raw | {"per": None, "name": named}
        return data | {"indicators": expanded}

    @model_validator(mode="after")
    def lists_named_by_indicators_exist(self) -> "Pack":
        for key, indicator in self.indicators.items():
            listed = indicator.applies_to
            if listed and listed not in self.lists and listed not in self.pairings:
                raise ValueError(
                    f"indicators.{key}.applies_to：没有名单“{listed}”（lists 或 pairings）"
                )
        return self

    def members_of(self, key: str) -> frozenset[str]:
        """The six-digit district codes of a list or a pairing."""
        named = self.lists.get(key) or self.pairings[key]
        return frozenset(named.members)
