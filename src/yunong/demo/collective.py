"""Demo data of 渝农经管: a collective economic organisation in every administrative village
with its 2024 books (opening balances and a year of vouchers: rents, subsidies, fees,
welfare works, depreciation, dividends received), its 三资 registry (cash, bank account and
fixed assets at their opening book values) and one or two 帮扶项目 of 2023 or 2024 at every
stage, the built ones' assets in the registry; in the demo village its members from the
household registry with their 人口股, the months closed through November, a 清产核资 at the
year's end and a disclosure per quarter, the first three approved by the 民主理财小组 and the
fourth waiting for it.

The same for a seed; the organisations and vouchers are inserted in bulk, the demo village's
closing, members and disclosures go through the services.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import Session

from yunong.assess.model_village import is_administrative_village
from yunong.collective import books, disclosure, members, projects, registry
from yunong.collective.models import (
    Organisation,
    Project,
    ProjectFund,
    ProjectStep,
    RegistryItem,
    Voucher,
    VoucherLine,
)
from yunong.core.auth.roles import Role
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.core.validators import uscc_check_char
from yunong.policy.schema import Collective
from yunong.store.db import make_sessionmaker, transaction

if TYPE_CHECKING:
    from yunong.demo.steps import Context

SYSTEM = Scope.system("demo")
YEAR = 2024
MEMBERS_AT_MOST = 60
"""Members the demo village's organisation gets at most, whatever the scale."""


@dataclass(frozen=True)
class CollectiveDemo:
    organisations: int
    vouchers: int
    lines: int


def uscc_of(village: str) -> str:
    """A valid N2… code, the village's own digits in it."""
    body = f"N2{village[:6]}M{village[6:]}RX"
    return body + uscc_check_char(body)


def fen(rng: random.Random, low: int, high: int) -> int:
    """An amount in fen between ``low`` and ``high`` yuan, to the fen."""
    return rng.randint(low * 100, high * 100)


def year_of(rng: random.Random) -> list[tuple[str, date, str, list[tuple[str, int, int, str]]]]:
    """One organisation's vouchers for the year: (number, date, 摘要, [(account, debit, credit,
    counterparty)]), amounts in fen."""
    cash, bank = fen(rng, 500, 5000), fen(rng, 50_000, 900_000)
    fixed = fen(rng, 100_000, 3_000_000)
    worn = fixed * rng.randint(5, 40) // 100
    payable = fen(rng, 0, 120_000)
    loan = fen(rng, 0, 200_000) if rng.random() < 0.3 else 0
    reserve = fen(rng, 10_000, 200_000)
    capital = cash + bank + fixed - worn - payable - loan - reserve
    opening = [
        ("101", cash, 0, ""),
        ("102", bank, 0, ""),
        ("151", fixed, 0, ""),
        ("152", 0, worn, ""),
        ("211", 0, payable, "施工队"),
        ("301", 0, capital, ""),
        ("311", 0, reserve, ""),
    ]
    if loan:
        opening.append(("201", 0, loan, "农商行"))
    found = [
        (
            "记-000",
            date(YEAR, 1, 1),
            books.OPENING,
            [line for line in opening if line[1] or line[2]],
        )
    ]
    rent = fen(rng, 1_000, 30_000)
    for month in range(1, 13):
        day = date(YEAR, month, rng.randint(5, 25))
        found.append(
            ("记-001", day, "收到资源发包租金", [("102", rent, 0, ""), ("501", 0, rent, "")])
        )
        fee = fen(rng, 300, 4_000)
        found.append(
            ("记-002", day, "支付办公及误工费", [("513", fee, 0, ""), ("102", 0, fee, "")])
        )
    subsidy = fen(rng, 20_000, 150_000)
    found.append(
        (
            "记-003",
            date(YEAR, 3, 28),
            "收到村级组织运转补助",
            [("102", subsidy, 0, ""), ("503", 0, subsidy, "")],
        )
    )
    works = fen(rng, 2_000, 40_000)
    found.append(
        (
            "记-003",
            date(YEAR, 6, 18),
            "村内道路维修（公益）",
            [("514", works, 0, ""), ("102", 0, works, "")],
        )
    )
    depreciation = fixed // 20
    found.append(
        (
            "记-003",
            date(YEAR, 12, 28),
            "计提固定资产折旧",
            [("513", depreciation, 0, ""), ("152", 0, depreciation, "")],
        )
    )
    if rng.random() < 0.5:
        dividend = fen(rng, 1_000, 60_000)
        found.append(
            (
                "记-004",
                date(YEAR, 12, 20),
                "收到入股合作社分红",
                [("102", dividend, 0, ""), ("502", 0, dividend, "合作社")],
            )
        )
    return found


def villages_of(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Region.code, Region.name)
        .where(Region.level == int(Level.VILLAGE))
        .order_by(Region.code)
    ).tuples()
    return [(code, name) for code, name in rows if is_administrative_village(code)]


def create_collective_demo(
    engine: Engine, *, seed: int, rules: Collective, demo_village: str
) -> CollectiveDemo:
    rng = random.Random(seed * 31 + 24)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as session:
        villages = villages_of(session)
        codes = identity.reserve(
            session, scope=SYSTEM, kind=Kind.SUBJECT, counts={code: 1 for code, _ in villages}
        )
        session.execute(
            insert(Organisation),
            [
                {
                    "code": codes[code][0],
                    "uscc": uscc_of(code),
                    "name": f"{name}股份经济合作社",
                    "region_code": code,
                    "level": "village",
                    "group_name": "",
                    "legal_representative": "",
                    "books_start": date(YEAR, 1, 1),
                }
                for code, name in villages
            ],
        )
        ids = dict(
            session.execute(select(Organisation.region_code, Organisation.id)).tuples().all()
        )
        identity.register(
            session,
            scope=SYSTEM,
            kind=Kind.SUBJECT,
            entity_type="collective_org",
            codes_and_ids=[(codes[code][0], str(ids[code])) for code, _ in villages],
            national_codes=[uscc_of(code) for code, _ in villages],
        )
        vouchers = lines = 0
        openings: dict[str, dict[str, int]] = {}
        for code, _ in villages:
            year = year_of(rng)
            made = write_year(session, ids[code], code, year)
            openings[code] = {account: debit for account, debit, _, _ in year[0][3]}
            vouchers += made[0]
            lines += made[1]
        assets = write_projects(session, villages, random.Random(seed * 37 + 6))
        write_registry(session, ids, openings, assets)
        village_work(session, ids.get(demo_village), rules, rng)
    return CollectiveDemo(len(villages), vouchers, lines)


def write_year(
    session: Session,
    org_id: int,
    region: str,
    year: list[tuple[str, date, str, list[tuple[str, int, int, str]]]],
) -> tuple[int, int]:
    rows = [
        {
            "org_id": org_id,
            "region_code": region,
            "period": books.period_of(day),
            "number": number,
            "voucher_date": day,
            "summary": summary,
            "kind": "opening" if summary == books.OPENING else "entry",
            "digest": f"demo-{org_id}-{books.period_of(day)}-{number}",
            "posted_by": SYSTEM.actor,
        }
        for number, day, summary, _ in year
    ]
    voucher_ids = session.scalars(
        insert(Voucher).returning(Voucher.id, sort_by_parameter_order=True), rows
    ).all()
    line_rows = [
        {
            "voucher_id": voucher_id,
            "org_id": org_id,
            "period": books.period_of(day),
            "account": account,
            "summary": summary,
            "counterparty": party,
            "debit_fen": debit,
            "credit_fen": credit,
        }
        for voucher_id, (_, day, summary, entries) in zip(voucher_ids, year, strict=True)
        for account, debit, credit, party in entries
    ]
    session.execute(insert(VoucherLine), line_rows)
    return len(rows), len(line_rows)


KIND_WEIGHTS = {"industry": 65, "infrastructure": 25, "public_service": 10}
PROJECT_NAMES = {
    "industry": ("柑橘基地提升", "冷链仓储设施", "中药材种植基地", "农产品加工车间", "光伏电站"),
    "infrastructure": ("产业路硬化", "山坪塘整治", "灌溉渠道修缮", "便民桥"),
    "public_service": ("村级卫生室", "文化活动室", "饮水安全巩固"),
}
LINKAGE_SOURCES = ("central", "municipal", "district")
PROJECT_COLUMNS = (
    "code",
    "number",
    "name",
    "region_code",
    "kind",
    "year",
    "stage",
    "households",
    "beneficiaries",
    "monitored_households",
)


@dataclass(frozen=True)
class ProjectAsset:
    """An asset a demo project formed: its project's 全农码, value in fen and date built."""

    village: str
    project_code: str
    project_id: int
    name: str
    fen: int
    built_on: date


def project_plan(rng: random.Random, village: str, number: int) -> dict[str, object]:
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    year = rng.choice((YEAR - 1, YEAR))
    funds = {rng.choice(LINKAGE_SOURCES): rng.randint(10, 200) * 10000 * 100}
    if rng.random() < 0.3:
        funds[rng.choice(("lu_yu", "social"))] = rng.randint(5, 50) * 10000 * 100
    reached = rng.choice((2, 3, 4, 4) if year < YEAR else (0, 1, 2, 3, 4))
    day = date(year, rng.randint(1, 6), rng.randint(1, 28))
    steps = {}
    for step in projects.ORDER[: reached + 1]:
        steps[step] = day
        day = date.fromordinal(day.toordinal() + rng.randint(30, 120))
    households = rng.randint(10, 120)
    return {
        "number": f"XM{village}-{number}",
        "name": rng.choice(PROJECT_NAMES[kind]),
        "region_code": village,
        "kind": kind,
        "year": year,
        "stage": projects.ORDER[reached],
        "households": households,
        "beneficiaries": households * rng.randint(2, 4),
        "monitored_households": rng.randint(0, households // 10),
        "funds": funds,
        "steps": steps,
    }


def write_projects(
    session: Session, villages: list[tuple[str, str]], rng: random.Random
) -> list[ProjectAsset]:
    """One or two 帮扶项目 per village, of 2023 and 2024 at every stage, in bulk; returns the
    assets of those built."""
    plans = [
        project_plan(rng, code, number + 1)
        for code, _ in villages
        for number in range(rng.choice((1, 1, 2)))
    ]
    if not plans:
        return []
    counts: dict[str, int] = defaultdict(int)
    for plan in plans:
        counts[str(plan["region_code"])] += 1
    codes = identity.reserve(session, scope=SYSTEM, kind=Kind.EVENT, counts=counts)
    issued = {village: iter(found) for village, found in codes.items()}
    for plan in plans:
        plan["code"] = next(issued[str(plan["region_code"])])
    columns = PROJECT_COLUMNS
    project_ids = session.scalars(
        insert(Project).returning(Project.id, sort_by_parameter_order=True),
        [{key: plan[key] for key in columns} for plan in plans],
    ).all()
    identity.register(
        session,
        scope=SYSTEM,
        kind=Kind.EVENT,
        entity_type="collective_project",
        codes_and_ids=[
            (str(plan["code"]), str(pid)) for plan, pid in zip(plans, project_ids, strict=True)
        ],
    )
    funds: list[dict[str, object]] = []
    steps: list[dict[str, object]] = []
    assets = []
    for plan, project_id in zip(plans, project_ids, strict=True):
        plan_funds: dict[str, int] = plan["funds"]  # type: ignore[assignment]
        plan_steps: dict[str, date] = plan["steps"]  # type: ignore[assignment]
        funds += [
            {"project_id": project_id, "source": source, "amount_fen": fen}
            for source, fen in plan_funds.items()
        ]
        steps += [
            {"project_id": project_id, "step": step, "done_on": on, "recorded_by": SYSTEM.actor}
            for step, on in plan_steps.items()
        ]
        if "built" in plan_steps:
            assets.append(
                ProjectAsset(
                    str(plan["region_code"]),
                    str(plan["code"]),
                    project_id,
                    str(plan["name"]),
                    sum(plan_funds.values()),
                    plan_steps["built"],
                )
            )
    session.execute(insert(ProjectFund), funds)
    session.execute(insert(ProjectStep), steps)
    return assets


def write_registry(
    session: Session,
    org_ids: dict[str, int],
    openings: dict[str, dict[str, int]],
    assets: list[ProjectAsset],
) -> None:
    """Each organisation's cash, bank account and fixed assets at their opening book values,
    and the assets its village's projects formed (not yet in the books: 清产核资 finds them)."""
    rows: list[dict[str, object]] = []
    for village, opening in openings.items():
        for category, account, name in REGISTERED:
            if opening.get(account):
                rows.append(
                    registry_row(org_ids[village], village, category, name, opening[account])
                )
    formed = []
    for asset in assets:
        row = registry_row(org_ids[asset.village], asset.village, "fixed", asset.name, asset.fen)
        row.update(acquired_on=asset.built_on, project_id=asset.project_id)
        row.update(depreciation_method="straight_line", useful_life_years=20)
        rows.append(row)
        formed.append(asset)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[str(row["region_code"])] += 1
    codes = identity.reserve(session, scope=SYSTEM, kind=Kind.FUND, counts=counts)
    issued = {village: iter(found) for village, found in codes.items()}
    for row in rows:
        row["code"] = next(issued[str(row["region_code"])])
    item_ids = session.scalars(
        insert(RegistryItem).returning(RegistryItem.id, sort_by_parameter_order=True), rows
    ).all()
    identity.register(
        session,
        scope=SYSTEM,
        kind=Kind.FUND,
        entity_type="collective_registry_item",
        codes_and_ids=[
            (str(row["code"]), str(rid)) for row, rid in zip(rows, item_ids, strict=True)
        ],
    )
    by_project = {row["project_id"]: row["code"] for row in rows if row.get("project_id")}
    identity.link_many(
        session,
        scope=SYSTEM,
        relation="formed",
        pairs=[(asset.project_code, str(by_project[asset.project_id])) for asset in formed],
    )


REGISTERED = (
    ("cash", "101", "库存现金"),
    ("bank_account", "102", "农商行基本存款账户"),
    ("fixed", "151", "村办公楼及附属设施"),
)
"""Registry entries every demo organisation starts with: category, account, name."""


def registry_row(
    org_id: int, village: str, category: str, name: str, fen: int
) -> dict[str, object]:
    return {
        "org_id": org_id,
        "region_code": village,
        "category": category,
        "name": name,
        "book_value_fen": fen,
        "acquired_on": None,
        "depreciation_method": "",
        "useful_life_years": None,
        "project_id": None,
    }


def village_work(
    session: Session, org_id: int | None, rules: Collective, rng: random.Random
) -> None:
    """Members, closed months and quarterly disclosures of the demo village's organisation."""
    if org_id is None:
        return
    org = session.get(Organisation, org_id)
    assert org is not None
    people = session.execute(
        text(
            "select p.code, p.name, p.id_number, p.phone from monitor_person p"
            " join monitor_household h on h.id = p.household_id"
            " where h.village_code = :village and p.left_year is null order by p.id limit :most"
        ),
        {"village": org.region_code, "most": MEMBERS_AT_MOST},
    ).tuples()
    for code, name, id_number, phone in people:
        member = members.add(
            session,
            scope=SYSTEM,
            org=org,
            member_in=members.MemberIn(
                person_code=code,
                name=name,
                id_number=id_number,
                phone=phone or "",
                confirmed_on=date(2019, 6, 30),
                basis="户籍在本村且承包集体土地",
            ),
        )
        members.record_shares(
            session,
            scope=SYSTEM,
            member=member,
            kind="人口股",
            shares=1,
            effective_on=date(2019, 6, 30),
            reason="成员身份确认",
        )
        if rng.random() < 0.4:
            members.record_shares(
                session,
                scope=SYSTEM,
                member=member,
                kind="劳龄股",
                shares=rng.randint(1, 3),
                effective_on=date(2019, 6, 30),
            )
    for month in range(1, 12):
        books.close(session, scope=SYSTEM, org=org, period=f"{YEAR}-{month:02d}", rules=rules)
    registry.take_stock(session, scope=SYSTEM, org=org, on=date(YEAR, 12, 31), rules=rules)
    group = Scope(actor="demo", region_code=org.region_code, role=Role.FINANCE_GROUP.value)
    for quarter in range(1, 5):
        made = disclosure.generate(
            session, scope=SYSTEM, org=org, period=f"{YEAR}Q{quarter}", rules=rules
        )
        if quarter < 4:
            disclosure.approve(session, scope=group, disclosure_id=made.id)


def step(context: "Context") -> None:
    """The demo step of 渝农经管: after the households (whose persons become members)."""
    from yunong.demo.steps import demo_village

    rules = context.pack.collective
    if rules is None:
        return
    create_collective_demo(
        context.engine, seed=context.seed, rules=rules, demo_village=demo_village(context)
    )
    context.progress("渝农经管", 1, 1)
