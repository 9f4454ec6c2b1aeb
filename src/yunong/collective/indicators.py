"""The figures the books compute for the cockpit, from the vouchers of each village's
collective economic organisation in the period (a year):

* ``collective.operating_income`` — 集体经营收入 (万元): 经营收入 and 投资收益 of the year,
  per village; above a village, the average of its villages with books;
* ``collective.villages_above_band`` — how many villages' operating income reaches the pack's
  band (``collective.income_band_wan``);
* ``collective.debt_ratio`` — 资产负债率 (%): liabilities over assets at the year's end, of a
  village, or of all villages' books together above it;
* ``collective.debt_warnings`` — how many villages' debt ratio reaches the pack's warning band.

Villages without books are left out.

From the 帮扶项目 (support projects) of each village:

* ``collective.linkage_industry_share`` — of the 衔接资金 (the pack's fund sources marked
  ``linkage``) in the projects approved in the year, the share (%) in industry projects;
* ``collective.project_assets_handed_over`` — of the projects accepted (验收) by the year's
  end, the share (%) whose assets were confirmed and handed to the collective by then.
"""

from collections import defaultdict
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from yunong.collective.models import (
    Organisation,
    Project,
    ProjectFund,
    ProjectStep,
    Voucher,
    VoucherLine,
)
from yunong.core import indicators
from yunong.core.indicators import Measure
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.policy import loader as policy

INCOME_ACCOUNTS = ("501", "502")
ASSET_CATEGORIES = ("asset", "cost")


def within(under: str) -> Scope:
    return Scope.system("cockpit").narrowed_to(under)


def region_key(code: str, level: Level) -> str:
    return code[: codes.PREFIX_LENGTHS[level]].ljust(12, "0")


def village_figures(
    session: Session, *, scope: Scope, period: int
) -> dict[str, tuple[int, int, int]]:
    """(operating income, assets, liabilities) in fen of each village organisation with books,
    from one grouped query: income over the year, balances at its end."""
    rules = policy.get().collective
    if rules is None:
        return {}
    account = func.substr(VoucherLine.account, 1, 3)
    assets = [code for code, item in rules.accounts.items() if item.category in ASSET_CATEGORIES]
    debts = [code for code, item in rules.accounts.items() if item.category == "liability"]
    in_year = VoucherLine.period.between(f"{period}-01", f"{period}-12")
    signed = VoucherLine.debit_fen - VoucherLine.credit_fen
    query = (
        select(
            Organisation.region_code,
            func.sum(
                case(
                    (in_year & account.in_(INCOME_ACCOUNTS) & (Voucher.kind != "closing"), -signed),
                    else_=0,
                )
            ),
            func.sum(case((account.in_(assets), signed), else_=0)),
            func.sum(case((account.in_(debts), -signed), else_=0)),
        )
        .join(VoucherLine, VoucherLine.org_id == Organisation.id)
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(Organisation.level == "village", VoucherLine.period <= f"{period}-12")
        .group_by(Organisation.region_code)
    )
    query = scope.filter(scope.filter(query, Organisation.region_code), Voucher.region_code)
    rows = session.execute(query).tuples()
    return {code: (int(income), int(asset), int(debt)) for code, income, asset, debt in rows}


def shared(session: Session, period: int, under: str) -> dict[str, tuple[int, int, int]]:
    """The village figures once per scoring run, whatever indicator and level asks."""
    cache = session.info.get(indicators.SHARED)
    if cache is None:
        return village_figures(session, scope=within(under), period=period)
    key = ("collective", period, under)
    if key not in cache:
        cache[key] = village_figures(session, scope=within(under), period=period)
    found: dict[str, tuple[int, int, int]] = cache[key]
    return found


@indicators.register("collective.operating_income")
def operating_income(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for village, (income, _, _) in shared(session, period, under).items():
        counts = totals[region_key(village, level)]
        counts[0] += income
        counts[1] += 1
    return {
        code: Measure(
            income / 100 / 10000 / count, numerator=income / 100 / 10000, denominator=count
        )
        for code, (income, count) in totals.items()
    }


@indicators.register("collective.villages_above_band")
def villages_above_band(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    rules = policy.get().collective
    band = (rules.income_band_wan if rules else 10) * 10000 * 100
    counts: dict[str, int] = defaultdict(int)
    for village, (income, _, _) in shared(session, period, under).items():
        counts[region_key(village, level)] += int(income >= band)
    return {code: Measure(float(count)) for code, count in counts.items()}


@indicators.register("collective.debt_ratio")
def debt_ratio(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for village, (_, assets, debts) in shared(session, period, under).items():
        pair = totals[region_key(village, level)]
        pair[0] += debts
        pair[1] += assets
    return {
        code: Measure(100.0 * debts / assets, numerator=debts, denominator=assets)
        for code, (debts, assets) in totals.items()
        if assets > 0
    }


@indicators.register("collective.debt_warnings")
def debt_warnings(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    rules = policy.get().collective
    band = rules.debt_warning_percent if rules else 50
    counts: dict[str, int] = defaultdict(int)
    for village, (_, assets, debts) in shared(session, period, under).items():
        counts[region_key(village, level)] += int(assets > 0 and 100 * debts >= band * assets)
    return {code: Measure(float(count)) for code, count in counts.items()}


def linkage_by_village(
    session: Session, *, scope: Scope, period: int
) -> dict[str, tuple[int, int]]:
    """(衔接资金 in industry projects, all 衔接资金) in fen of the projects approved in
    ``period``, by village."""
    rules = policy.get().collective
    if rules is None:
        return {}
    linkage = [key for key, source in rules.projects.fund_sources.items() if source.linkage]
    industry = Project.kind == rules.projects.industry_kind
    query = (
        select(
            Project.region_code,
            func.sum(case((industry, ProjectFund.amount_fen), else_=0)),
            func.sum(ProjectFund.amount_fen),
        )
        .join(ProjectFund, ProjectFund.project_id == Project.id)
        .where(Project.year == period, ProjectFund.source.in_(linkage))
        .group_by(Project.region_code)
    )
    rows = session.execute(scope.filter(query, Project.region_code)).tuples()
    return {code: (int(part), int(whole)) for code, part, whole in rows}


def handed_over_by_village(
    session: Session, *, scope: Scope, period: int
) -> dict[str, tuple[int, int]]:
    """(projects handed over, projects accepted) by the end of ``period``, by village."""
    end = date(period, 12, 31)
    accepted = aliased(ProjectStep)
    handed = aliased(ProjectStep)
    query = (
        select(
            Project.region_code,
            func.count(handed.id),
            func.count(accepted.id),
        )
        .join(
            accepted,
            (accepted.project_id == Project.id) & (accepted.step == "accepted"),
        )
        .outerjoin(
            handed,
            (handed.project_id == Project.id)
            & (handed.step == "handed_over")
            & (handed.done_on <= end),
        )
        .where(accepted.done_on <= end)
        .group_by(Project.region_code)
    )
    rows = session.execute(scope.filter(query, Project.region_code)).tuples()
    return {code: (int(part), int(whole)) for code, part, whole in rows}


def shares(pairs: dict[str, tuple[int, int]], level: Level) -> dict[str, Measure]:
    """Parts over wholes added up to ``level``, as a percentage that rolls up."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for village, (part, whole) in pairs.items():
        pair = totals[region_key(village, level)]
        pair[0] += part
        pair[1] += whole
    return {
        code: Measure(100.0 * part / whole, numerator=part, denominator=whole)
        for code, (part, whole) in totals.items()
        if whole > 0
    }


@indicators.register("collective.linkage_industry_share")
def linkage_industry_share(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return shares(linkage_by_village(session, scope=within(under), period=period), level)


@indicators.register("collective.project_assets_handed_over")
def project_assets_handed_over(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    return shares(handed_over_by_village(session, scope=within(under), period=period), level)
