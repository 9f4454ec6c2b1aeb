"""`yunong collective projects …` (帮扶项目资产), `yunong collective registry …` (三资登记,
清产核资) and `yunong collective contracts …` (合同)."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from yunong.cli_support import (
    MaxMb,
    MaxRows,
    err,
    friendly_errors,
    import_limits,
    operator,
    out,
    session_factory,
)
from yunong.collective import contracts, orgs, project_import, projects, registry
from yunong.collective.books import to_yuan
from yunong.collective.models import Contract, ContractPayment, Project, RegistryItem
from yunong.core import files
from yunong.core.errors import InvalidValue
from yunong.core.parsing import parse_amount, parse_date
from yunong.policy import loader as policy
from yunong.policy.schema import Collective
from yunong.store.db import transaction

projects_app = typer.Typer(
    help="帮扶项目资产：项目、资金来源、环节、形成的资产与收益", no_args_is_help=True
)
registry_app = typer.Typer(help="三资登记与清产核资", no_args_is_help=True)

Json = Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")]
ProjectCode = Annotated[str, typer.Option("--project", help="项目的全农码或项目编号")]
Org = Annotated[
    str,
    typer.Option(
        "--org", help="组织的全农码、统一社会信用代码，或村的 12 位区划代码（该村的集体经济组织）"
    ),
]


def rules() -> Collective:
    pack = policy.get()
    if pack.collective is None:
        raise typer.BadParameter("策略包没有渝农经管（collective）一节")
    return pack.collective


def yuan(text: str, label: str) -> Decimal:
    amount = parse_amount(text)
    if amount is None:
        raise InvalidValue("{label}不能为空", label=label)
    return amount


def fund_pairs(values: list[str], found: Collective) -> dict[str, Decimal]:
    """``来源=金额`` pairs (金额 in yuan, 万 allowed: 中央衔接资金=50万)."""
    funds: dict[str, Decimal] = {}
    for value in values:
        source, _, amount = value.partition("=")
        if not amount:
            raise InvalidValue("资金“{value}”应写成“来源=金额”，如 中央衔接资金=50万", value=value)
        funds[projects.source_of(source, found.projects)] = yuan(amount, "金额")
    return funds


def step_of(text: str) -> str:
    value = text.strip()
    for key, label in projects.STEPS.items():
        if value in (key, label):
            return key
    raise InvalidValue(
        "环节“{step}”不是帮扶项目的环节，应为{names}",
        step=value,
        names="、".join(projects.STEPS.values()),
    )


def project_json(project: Project) -> dict[str, object]:
    return {
        "code": project.code,
        "number": project.number,
        "name": project.name,
        "region_code": project.region_code,
        "kind": project.kind,
        "year": project.year,
        "stage": project.stage,
    }


def item_json(item: RegistryItem) -> dict[str, object]:
    return {
        "code": item.code,
        "category": item.category,
        "name": item.name,
        "book_value": float(to_yuan(item.book_value_fen)),
        "acquired_on": item.acquired_on.isoformat() if item.acquired_on else None,
        "depreciation_method": item.depreciation_method,
        "useful_life_years": item.useful_life_years,
        "parcel_code": item.parcel_code,
    }


def show(found: dict[str, object], as_json: bool, line: str) -> None:
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False))
    else:
        out.print(line, highlight=False)


@projects_app.command("add")
@friendly_errors
def add_project(
    number: Annotated[str, typer.Option("--number", help="项目编号（项目库）")],
    name: Annotated[str, typer.Option("--name", help="项目名称")],
    region: Annotated[str, typer.Option("--region", help="村的 12 位区划代码")],
    kind: Annotated[str, typer.Option("--kind", help="项目类型：产业、基础设施、公共服务")],
    fund: Annotated[
        list[str], typer.Option("--fund", help="资金：来源=金额（元，可写万），可写多次")
    ],
    approved: Annotated[str, typer.Option("--approved", help="立项日期")],
    households: Annotated[int, typer.Option("--households", help="受益户数")] = 0,
    beneficiaries: Annotated[int, typer.Option("--beneficiaries", help="受益人数")] = 0,
    monitored: Annotated[int, typer.Option("--monitored", help="其中监测户数")] = 0,
    as_json: Json = False,
) -> None:
    """登记一个帮扶项目（立项）及其资金来源，并赋“事”类全农码。"""
    found = rules()
    with transaction(session_factory()) as session:
        project_in = projects.ProjectIn(
            number=number,
            name=name,
            region_code=region,
            kind=projects.kind_of(kind, found.projects),
            funds=fund_pairs(fund, found),
            approved_on=parse_date(approved),
            households=households,
            beneficiaries=beneficiaries,
            monitored_households=monitored,
        )
        made = project_json(
            projects.create(session, scope=operator(), project_in=project_in, rules=found.projects)
        )
    show(made, as_json, f"已登记项目 {made['number']}，全农码 {made['code']}")


@projects_app.command("step")
@friendly_errors
def step(
    project: ProjectCode,
    step_name: Annotated[str, typer.Option("--step", help="环节：建成、验收、确权、移交")],
    on: Annotated[str, typer.Option("--date", help="该环节的日期")],
    as_json: Json = False,
) -> None:
    """记录项目的下一个环节（按立项、建成、验收、确权、移交的顺序，日期不早于上一环节）。"""
    with transaction(session_factory()) as session:
        found = projects.get_by_code(session, scope=operator(), code=project)
        projects.record_step(
            session, scope=operator(), project=found, step=step_of(step_name), on=parse_date(on)
        )
        made = project_json(found)
    show(made, as_json, f"项目 {made['number']} 已记录“{projects.STEPS[str(made['stage'])]}”")


@projects_app.command("asset")
@friendly_errors
def project_asset(
    project: ProjectCode,
    category: Annotated[str, typer.Option("--category", help="三资类别，如 固定资产")],
    name: Annotated[str, typer.Option("--name", help="资产名称")],
    value: Annotated[str, typer.Option("--value", help="账面价值（元，可写万）")],
    acquired: Annotated[str | None, typer.Option("--acquired", help="取得日期")] = None,
    depreciation: Annotated[str, typer.Option("--depreciation", help="折旧方法")] = "",
    life: Annotated[int | None, typer.Option("--life", help="使用年限（年）")] = None,
    as_json: Json = False,
) -> None:
    """登记项目形成的资产：记入所在村集体经济组织的三资。"""
    item_in = registry.ItemIn(
        category=category,
        name=name,
        book_value=yuan(value, "账面价值"),
        acquired_on=parse_date(acquired) if acquired else None,
        depreciation_method=depreciation,
        useful_life_years=life,
    )
    with transaction(session_factory()) as session:
        found = projects.get_by_code(session, scope=operator(), code=project)
        item = projects.add_asset(
            session, scope=operator(), project=found, item_in=item_in, rules=rules()
        )
        made = item_json(item)
    show(made, as_json, f"已登记资产 {made['name']}，全农码 {made['code']}")


@projects_app.command("income")
@friendly_errors
def income(
    project: ProjectCode,
    year: Annotated[int, typer.Option("--year", help="年度")],
    amount: Annotated[str, typer.Option("--amount", help="当年收益（元，可写万）")],
) -> None:
    """记录项目资产当年的收益（租金、分红等）。"""
    with transaction(session_factory()) as session:
        found = projects.get_by_code(session, scope=operator(), code=project)
        projects.record_income(
            session, scope=operator(), project=found, year=year, amount=yuan(amount, "收益")
        )
    out.print(f"已记录 {year} 年收益", highlight=False)


@projects_app.command("import")
@friendly_errors
def import_projects(
    file: Annotated[Path, typer.Argument(help="xlsx 或 csv（UTF-8 或 GBK）")],
    as_json: Json = False,
    max_mb: MaxMb = None,
    max_rows: MaxRows = None,
) -> None:
    """导入项目库（项目编号、项目名称、区划代码、项目类型、资金来源、金额(万元)、立项日期、建成日期……）：
    一个项目的多个资金来源各占一行；有误的项目整体拒绝并列出行号与原因；同一文件再导入不变。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        tally = project_import.import_projects(
            session, scope=operator(), path=file, rules=rules().projects
        )
    if as_json:
        typer.echo(json.dumps(tally.as_json(), ensure_ascii=False))
    else:
        for row, number, reason in tally.errors:
            err.print(f"第 {row} 行（项目 {number}）：{reason}", highlight=False)
        out.print(
            f"项目导入 {tally.imported}，更新 {tally.updated}，未变 {tally.unchanged}，"
            f"拒绝 {tally.rejected}",
            highlight=False,
        )
    if tally.rejected:
        raise typer.Exit(3)


@registry_app.command("add")
@friendly_errors
def add_item(
    org: Org,
    category: Annotated[
        str, typer.Option("--category", help="三资类别，如 银行存款、固定资产、土地")
    ],
    name: Annotated[str, typer.Option("--name", help="名称")],
    value: Annotated[str, typer.Option("--value", help="账面价值（元，可写万）")] = "0",
    acquired: Annotated[str | None, typer.Option("--acquired", help="取得日期")] = None,
    depreciation: Annotated[
        str, typer.Option("--depreciation", help="折旧方法：straight_line、workload")
    ] = "",
    life: Annotated[int | None, typer.Option("--life", help="使用年限（年）")] = None,
    area: Annotated[int | None, typer.Option("--area", help="资源面积（平方米）")] = None,
    parcel: Annotated[str | None, typer.Option("--parcel", help="一张图地块的全农码")] = None,
    as_json: Json = False,
) -> None:
    """登记一项资金、资产或资源（资源是地块时按地块的全农码关联一张图）。"""
    item_in = registry.ItemIn(
        category=category,
        name=name,
        book_value=yuan(value, "账面价值"),
        acquired_on=parse_date(acquired) if acquired else None,
        depreciation_method=depreciation,
        useful_life_years=life,
        area_m2=area,
        parcel_code=parcel,
    )
    with transaction(session_factory()) as session:
        found = orgs.get_by_code(session, scope=operator(), code=org)
        made = item_json(
            registry.add(session, scope=operator(), org=found, item_in=item_in, rules=rules())
        )
    show(made, as_json, f"已登记 {made['name']}，全农码 {made['code']}")


@registry_app.command("list")
@friendly_errors
def list_items(org: Org, as_json: Json = False) -> None:
    """列出组织的三资。"""
    with transaction(session_factory()) as session:
        found = orgs.get_by_code(session, scope=operator(), code=org)
        items = [
            item_json(item) for item in registry.get_for_org(session, scope=operator(), org=found)
        ]
    if as_json:
        typer.echo(json.dumps(items, ensure_ascii=False))
        return
    for item in items:
        out.print(
            f"{item['code']}\t{item['category']}\t{item['name']}\t{item['book_value']:,.2f}",
            highlight=False,
        )
    out.print(f"共 {len(items)} 项", highlight=False)


@registry_app.command("stock-take")
@friendly_errors
def stock_take(
    org: Org,
    on: Annotated[str, typer.Option("--date", help="清产核资基准日")] = date.today().isoformat(),
    as_json: Json = False,
) -> None:
    """清产核资：三资登记的账面价值与账簿中对应科目的余额逐类核对，列出差异。"""
    with transaction(session_factory()) as session:
        found = orgs.get_by_code(session, scope=operator(), code=org)
        made = registry.take_stock(
            session, scope=operator(), org=found, on=parse_date(on), rules=rules()
        )
        rows: list[dict[str, object]] = json.loads(made.content)
        shown = {"date": made.taken_on.isoformat(), "differences": made.differences, "rows": rows}
    if as_json:
        typer.echo(json.dumps(shown, ensure_ascii=False))
        return
    for row in rows:
        out.print(
            f"{row['account']} {row['name']}：登记 {row['registry']:,.2f}，"
            f"账簿 {row['books']:,.2f}，差异 {row['difference']:,.2f}",
            highlight=False,
        )
    out.print(f"{shown['date']} 清产核资：{shown['differences']} 类有差异", highlight=False)


contracts_app = typer.Typer(
    help="合同：资源发包、资产租赁、入股，付款计划与收款", no_args_is_help=True
)


def schedule_of(values: list[str]) -> list[tuple[date, Decimal]]:
    """``日期=金额`` pairs (2024-12-31=5000)."""
    found = []
    for value in values:
        day, _, amount = value.partition("=")
        if not amount:
            raise InvalidValue(
                "付款计划“{value}”应写成“日期=金额”，如 2024-12-31=5000", value=value
            )
        found.append((parse_date(day), yuan(amount, "金额")))
    return found


def contract_json(contract: Contract, schedule: list[ContractPayment]) -> dict[str, object]:
    return {
        "number": contract.number,
        "kind": contract.kind,
        "counterparty": contract.counterparty,
        "counterparty_code": contract.counterparty_code,
        "subject": contract.subject,
        "subject_code": contract.subject_code,
        "starts_on": contract.starts_on.isoformat(),
        "ends_on": contract.ends_on.isoformat(),
        "price": float(to_yuan(contract.price_fen)),
        "deposit": float(to_yuan(contract.deposit_fen)),
        "schedule": [
            {
                "due_on": payment.due_on.isoformat(),
                "amount": float(to_yuan(payment.amount_fen)),
                "paid_on": payment.paid_on.isoformat() if payment.paid_on else None,
            }
            for payment in schedule
        ],
    }


@contracts_app.command("add")
@friendly_errors
def add_contract(
    org: Org,
    number: Annotated[str, typer.Option("--number", help="合同编号")],
    kind: Annotated[str, typer.Option("--kind", help="发包、租赁或入股")],
    counterparty: Annotated[str, typer.Option("--counterparty", help="承包（承租）方名称")],
    subject: Annotated[str, typer.Option("--subject", help="标的（资源、资产）")],
    starts: Annotated[str, typer.Option("--from", help="起始日期")],
    ends: Annotated[str, typer.Option("--to", help="终止日期")],
    price: Annotated[str, typer.Option("--price", help="合同价款（元，可写万）")],
    pay: Annotated[list[str], typer.Option("--pay", help="付款计划：日期=金额，可写多次")],
    deposit: Annotated[str, typer.Option("--deposit", help="保证金（元）")] = "0",
    counterparty_code: Annotated[
        str | None, typer.Option("--counterparty-code", help="对方的全农码或统一社会信用代码")
    ] = None,
    subject_code: Annotated[
        str | None, typer.Option("--subject-code", help="标的在三资登记中的全农码")
    ] = None,
    as_json: Json = False,
) -> None:
    """登记一份合同及其付款计划（合计须等于合同价款，日期在合同期限内）。"""
    contract_in = contracts.ContractIn(
        number=number,
        kind=contracts.kind_of(kind),
        counterparty=counterparty,
        subject=subject,
        starts_on=parse_date(starts),
        ends_on=parse_date(ends),
        price=yuan(price, "合同价款"),
        schedule=schedule_of(pay),
        deposit=yuan(deposit, "保证金"),
        counterparty_code=counterparty_code,
        subject_code=subject_code,
    )
    with transaction(session_factory()) as session:
        found = orgs.get_by_code(session, scope=operator(), code=org)
        made = contracts.create(session, scope=operator(), org=found, contract_in=contract_in)
        schedules = dict(contracts.get_for_org(session, scope=operator(), org=found))
        shown = contract_json(made, schedules[made])
    show(shown, as_json, f"已登记合同 {shown['number']}")


@contracts_app.command("pay")
@friendly_errors
def pay_contract(
    org: Org,
    number: Annotated[str, typer.Option("--number", help="合同编号")],
    due: Annotated[str, typer.Option("--due", help="付款计划中的到期日")],
    paid: Annotated[str, typer.Option("--date", help="收款日期")] = date.today().isoformat(),
) -> None:
    """记录合同的一笔款项已收讫。"""
    with transaction(session_factory()) as session:
        found = orgs.get_by_code(session, scope=operator(), code=org)
        contract = contracts.get(session, scope=operator(), org=found, number=number)
        contracts.record_payment(
            session,
            scope=operator(),
            contract=contract,
            due_on=parse_date(due),
            paid_on=parse_date(paid),
        )
    out.print(f"合同 {number} {due} 的款项已收讫", highlight=False)


@contracts_app.command("list")
@friendly_errors
def list_contracts(org: Org, as_json: Json = False) -> None:
    """合同台账：组织的合同及付款计划，按终止日期排列。"""
    with transaction(session_factory()) as session:
        found = orgs.get_by_code(session, scope=operator(), code=org)
        shown = [
            contract_json(contract, schedule)
            for contract, schedule in contracts.get_for_org(session, scope=operator(), org=found)
        ]
    if as_json:
        typer.echo(json.dumps(shown, ensure_ascii=False))
        return
    for item in shown:
        out.print(
            f"{item['number']}\t{item['counterparty']}\t{item['subject']}\t"
            f"{item['starts_on']}—{item['ends_on']}\t{item['price']:,.2f}",
            highlight=False,
        )
    out.print(f"共 {len(shown)} 份合同", highlight=False)
