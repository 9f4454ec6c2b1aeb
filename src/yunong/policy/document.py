"""The tables of ``docs/policy.md``, written from the pack so the document cannot drift from it:
the clause table (every indicator, rule, list and section with its source), the values that
are not the seed's (project defaults, national and municipal rules) and what is not tracked.

``python -m yunong.policy.document`` prints them; a test checks the document holds them.
"""

from collections import defaultdict
from typing import NamedTuple

from yunong.policy import provenance
from yunong.policy.loader import get
from yunong.policy.provenance import source_text, targets_source
from yunong.policy.schema import (
    Clause,
    Indicator,
    NamedList,
    Pack,
    Pairing,
    Sourced,
    Target,
    chinese_number,
)

NO_QUOTE = "—"
SCREENING = "monitor 模块筛查预警（`yunong monitor screen`）"
LEVELS = {"city": "市级", "district": "区县", "town": "乡镇", "village": "村"}
# The sections of module parameters, described (they are not quotations of the seed).
SECTIONS = {
    "monitoring": "监测线、最低收入农户识别线（元/人·年，按年份）与劳动年龄：monitor 模块",
    "monitoring.workflow": "识别纳入、帮扶、风险消除的流程、时限与措施类别：monitor 模块案件流程",
    "land.cultivated_land_target": "耕地保有量目标（亩，按年份）：land 模块",
    "land.recultivation": "须复耕的撂荒耕地的最大坡度级别：land 模块",
    "land.non_grain": "永久基本农田、高标准农田上允许的用途与整改过渡期：land 模块",
    "land.occupation_cap": "以补定占的占用上限：land 模块",
    "farmland": "高标准农田：项目最小规模与豁免、亩均投资、环节时限、整改期限：farmland 模块",
    "trace": "产品品类、疑似假冒的扫码预警阈值、合格证留存月数：trace 模块",
    "industry": "产业大脑的产业链、监测指标（名称、单位、频率）与单位换算：industry 模块",
    "industry.pig_grain": "猪粮比价过度下跌的三级、二级、一级预警：industry 模块",
    "industry.pork_rise": "猪肉零售价格同比涨幅的预警区间：industry 模块",
    "industry.sow_stock": "能繁母猪存栏对正常保有量的绿、黄、红区间：industry 模块",
    "industry.price_moves": "蔬菜、水果价格周涨跌幅的预警区间：industry 模块",
    "industry.floors": "菜篮子产品保供底线与按进度推算的缺口预警：industry 模块",
    "habitat.black_odorous": "黑臭水体识别阈值、整治环节、验收满意度：habitat 模块",
    "habitat.sewage": "农村生活污水处理设施排放标准各级限值：habitat 模块",
    "habitat.toilets": "卫生厕所类型与先改后补每户补助：habitat 模块",
    "model_village": "达标村清单由哪些项组成：assess 模块",
    "scoring": "赛马比拼的红黄绿阈值：assess 模块",
}


def target_text(target: Target) -> str:
    if target.kind == "steady":
        return "保持稳定"
    sign = {"at_least": "≥", "at_most": "≤", "about": "≈"}[target.kind]
    text = f"{sign}{target.value:g}"
    return text + (f"±{target.tolerance:g}" if target.kind == "about" else "")


def indicator_content(pack: Pack, indicator: Indicator) -> str:
    targets = "；".join(
        f"{year}：{target_text(target)}" for year, target in sorted(indicator.targets.items())
    )
    method = indicator.method
    how = (
        f"由 `{method.removeprefix('computed:')}` 计算"
        if method.startswith("computed:")
        else f"{LEVELS[method.removeprefix('reported:')]}填报"
    )
    parts = [f"指标（{indicator.unit}，{targets}）：{how}"]
    if indicator.applies_to:
        section = "lists" if indicator.applies_to in pack.lists else "pairings"
        parts.append(f"只对 `{section}.{indicator.applies_to}` 中的区县设目标")
    parts.append("仅监测，不计分" if indicator.monitored_only else f"权重 {indicator.weight:g}")
    if indicator.note:
        parts.append(indicator.note)
    return "；".join(parts)


def list_content(named: NamedList | Pairing) -> str:
    if isinstance(named, Pairing):
        text = f"{named.name}；结对：已填 {len(named.pairs)} 对（{len(named.members)} 个区县）"
    else:
        text = (
            f"{named.name}（{named.size} 个）；名单：{len(named.members)}/{named.size} 个成员已填"
        )
    return text + (f"；{named.note}" if named.note else "")


def list_source(named: NamedList | Pairing) -> str:
    text = f"成员：{source_text(named.source)}"
    if isinstance(named, NamedList):
        text += f"；数量：{source_text(named.source_of('size'))}"
    return text


def sections_source(section: Sourced) -> str:
    text = source_text(section.source)
    for field, source in section.sources.items():
        text += f"；{field}：{source_text(source)}"
    return text


class Row(NamedTuple):
    clause: str
    quotation: str
    dotted: str
    content: str
    source: str


def clause_rows(pack: Pack) -> list[Row]:
    """Every indicator, rule, list, group and section of the pack, in the seed's order."""
    rows = [
        Row(item.clause, item.text, f"indicators.{key}", indicator_content(pack, item),
            targets_source(item))
        for key, item in pack.indicators.items()
    ]  # fmt: skip
    for key, rule in pack.rules.items():
        state = f"{rule.module} 模块执行或跟踪" if rule.tracked else "尚未跟踪"
        content = f"规则：{state}" + (f"；{rule.note}" if rule.note else "")
        rows.append(Row(rule.clause, rule.text, f"rules.{key}", content, source_text(rule.source)))
    for key, check in pack.monitoring.rules.items():
        content = f"筛查规则：{check.name}（{check.risk_type}），{SCREENING}"
        rows.append(
            Row(
                check.clause,
                NO_QUOTE,
                f"monitoring.rules.{key}",
                content,
                source_text(check.source),
            )
        )
    named: dict[str, NamedList | Pairing] = {
        f"lists.{key}": item for key, item in pack.lists.items()
    }
    named |= {f"pairings.{key}": item for key, item in pack.pairings.items()}
    for dotted, item in named.items():
        rows.append(Row(item.clause, NO_QUOTE, dotted, list_content(item), list_source(item)))
    for key, group in pack.groups.items():
        content = f"{group.name}：{'、'.join(group.members.values())}"
        rows.append(
            Row(group.clause, NO_QUOTE, f"groups.{key}", content, source_text(group.source))
        )
    for dotted, content in SECTIONS.items():
        section = resolve(pack, dotted)
        assert isinstance(section, Sourced) and isinstance(section, Clause)
        rows.append(Row(section.clause, NO_QUOTE, dotted, content, sections_source(section)))
    for key, criterion in pack.model_village.items.items():
        how = (
            f"由 `{criterion.method.removeprefix('computed:')}` 计算，该村无数据时以村填报为准"
            if criterion.method.startswith("computed:")
            else "村填报（是/否），乡镇审核"
        )
        dotted = f"model_village.items.{key}"
        content = f"达标村清单：{how}"
        rows.append(Row(criterion.clause, criterion.text, dotted, content, criterion.clause))
    order = {clause: index for index, clause in enumerate(CLAUSE_ORDER)}
    return sorted(rows, key=lambda row: order[row.clause])


def resolve(pack: Pack, dotted: str) -> object:
    node: object = pack
    for part in dotted.split("."):
        node = getattr(node, part)
    return node


# Parts and clauses in the order they appear in the seed.
CLAUSE_ORDER = [
    clause
    for part, numbers in (
        ("一、", ()),
        ("二、", range(1, 5)),
        ("三、", range(5, 8)),
        ("四、", range(8, 11)),
        ("五、", range(11, 17)),
        ("六、", range(17, 23)),
        ("七、", range(23, 27)),
        ("八、", range(27, 33)),
        ("九、", range(33, 38)),
    )
    for clause in (part, *(f"（{chinese_number(number)}）" for number in numbers))
]


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def clause_table(pack: Pack) -> str:
    lines = [
        "| 条款 | 实施意见原文 | 策略包中的标识 | 内容与做法 | 来源 |",
        "|---|---|---|---|---|",
    ]
    for row in clause_rows(pack):
        lines.append(
            f"| {row.clause} | {cell(row.quotation)} | `{row.dotted}` | {cell(row.content)} "
            f"| {cell(row.source)} |"
        )
    return "\n".join(lines) + "\n"


def values_table(pack: Pack) -> str:
    """Every value that is not the seed's alone, one row per field (years and pairs joined),
    except the valid ranges, weights and tolerances, which are all project defaults."""
    grouped: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for value in provenance.values(pack):
        if value.from_seed or value.path.endswith(SKIPPED) or ".valid." in value.path:
            continue
        field, _, last = value.path.rpartition(".")
        if not last.isdigit():
            field, last = value.path, ""
        shown = f"{last}：{value.value:g}" if len(last) == 4 else f"{value.value:g}"
        grouped[(field, value.source)].append(shown)
    lines = ["| 策略包中的位置 | 取值 | 来源 |", "|---|---|---|"]
    for (field, source), entries in grouped.items():
        lines.append(f"| `{field}` | {'；'.join(entries)} | {cell(source_text(source))} |")
    return "\n".join(lines) + "\n"


SKIPPED = (".weight", ".tolerance")


def untracked_list(pack: Pack) -> str:
    """The seed's statements the platform does not track yet, and lists still to be filled."""
    lines = []
    for key, rule in pack.rules.items():
        if not rule.tracked:
            lines.append(f"- {rule.clause} {rule.name}（`rules.{key}`）：{rule.note}")
    for key, named in pack.lists.items():
        if len(named.members) < named.size:
            lines.append(
                f"- {named.clause} {named.name}（`lists.{key}`）：成员 "
                f"{len(named.members)}/{named.size} 个已填，按名单统计的尚不能做"
            )
    for key, pairing in pack.pairings.items():
        if pairing.note:
            lines.append(f"- {pairing.clause} {pairing.name}（`pairings.{key}`）：{pairing.note}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    shipped = get()
    print(clause_table(shipped))
    print(values_table(shipped))
    print(untracked_list(shipped))
