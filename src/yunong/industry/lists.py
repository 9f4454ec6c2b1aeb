"""产业预警 as a paged list (``core/listing.py``): the warnings inside the caller's scope, newest
first, filtered by chain (菜篮子 for the floors and the series outside the chains), by whether
they are handled and by period, found by indicator."""

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.industry import service
from yunong.industry.catalogue import BASKET
from yunong.industry.models import Warning
from yunong.industry.service import EvidencePoint
from yunong.policy.schema import Industry

RULE_LABELS = {
    "pig_grain": "猪粮比价",
    "pork_rise": "猪肉价格同比涨幅",
    "sow_stock": "能繁母猪存栏区间",
    "price_moves": "价格周涨跌幅",
    "floors": "菜篮子底线",
}
STATUSES = {"open": "待处置", "handled": "已处置"}
LEVEL_LABELS = {"1": "一级", "2": "二级", "3": "三级", "绿": "绿色", "黄": "黄色", "红": "红色"}
LEVEL_CLASSES = {"1": "1", "2": "2", "3": "3", "绿": "green", "黄": "yellow", "红": "red"}
"""How a level is drawn: the most severe red, then orange and yellow; the sow zones by colour."""


def warning_spec(industry: Industry) -> ListSpec:
    return ListSpec(
        sorts={
            "period": Sort("日期", (Warning.period, Warning.id)),
            "level": Sort("级别", (Warning.level, Warning.id)),
            "indicator": Sort("指标", (Warning.indicator, Warning.id)),
        },
        default_sort="-period",
        statuses=STATUSES,
        status_label="处置",
        categories={**industry.chains, BASKET: BASKET},
        category_label="产业链",
        dated="日期",
        search="指标",
    )


@dataclass(frozen=True)
class WarningRow:
    warning: Warning
    region_name: str
    chain_title: str
    rule_label: str
    level: int | str
    evidence: list[EvidencePoint]


def warning_query(scope: Scope, page: Page) -> Select[tuple[Warning]]:
    query = page.within(scope).filter(select(Warning), Warning.region_code)
    if page.category == BASKET:
        query = query.where((Warning.rule == "floors") | Warning.chain.is_(None))
    elif page.category:
        query = query.where(Warning.chain == page.category)
    if page.status == "open":
        query = query.where(Warning.handled_at.is_(None))
    elif page.status == "handled":
        query = query.where(Warning.handled_at.is_not(None))
    if page.date_from:
        query = query.where(Warning.period >= page.date_from)
    if page.date_to:
        query = query.where(Warning.period <= page.date_to)
    if page.search:
        query = query.where(Warning.indicator.contains(page.search, autoescape=True))
    return query


def get_warnings(
    session: Session, *, scope: Scope, page: Page, industry: Industry
) -> Listing[WarningRow]:
    found = listing.fetch(session, warning_query(scope, page), page, warning_spec(industry))
    warnings: list[Warning] = found.rows
    names = {
        code: regions.get(session, code=code).name for code in {w.region_code for w in warnings}
    }
    rows = [
        WarningRow(
            warning=warning,
            region_name=names[warning.region_code],
            chain_title=industry.chains.get(warning.chain or "", BASKET),
            rule_label=RULE_LABELS.get(warning.rule, warning.rule),
            level=service.level_value(warning.level),
            evidence=service.evidence_of(warning),
        )
        for warning in warnings
    ]
    return found.with_rows(rows)
