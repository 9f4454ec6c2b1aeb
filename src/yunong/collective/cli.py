"""`yunong collective …`: register organisations, import vouchers, close months, reverse a
voucher and print the balance sheet or the income statement."""

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

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
from yunong.collective import books, disclosure, importer, members, orgs, report_files, reports
from yunong.collective.cli_assets import contracts_app, projects_app, registry_app
from yunong.core import files
from yunong.core.parsing import parse_date
from yunong.policy import loader as policy
from yunong.policy.schema import Collective
from yunong.store.db import transaction

collective_app = typer.Typer(help="渝农经管：集体经济组织、会计账簿、报表", no_args_is_help=True)
org_app = typer.Typer(help="集体经济组织的登记", no_args_is_help=True)
import_app = typer.Typer(help="导入组织名录、记账凭证", no_args_is_help=True)
collective_app.add_typer(org_app, name="org")
collective_app.add_typer(import_app, name="import")
collective_app.add_typer(projects_app, name="projects")
collective_app.add_typer(registry_app, name="registry")
collective_app.add_typer(contracts_app, name="contracts")

Json = Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")]
File = Annotated[Path, typer.Argument(help="xlsx 或 csv（UTF-8 或 GBK）")]
Org = Annotated[
    str,
    typer.Option(
        "--org", help="组织的全农码、统一社会信用代码，或村的 12 位区划代码（该村的集体经济组织）"
    ),
]
Period = Annotated[str, typer.Option("--period", help="会计期间，如 2024-12")]


def rules() -> Collective:
    pack = policy.get()
    if pack.collective is None:
        raise typer.BadParameter("策略包没有渝农经管（collective）一节")
    return pack.collective


@org_app.command("add")
@friendly_errors
def add(
    region: Annotated[str, typer.Option("--region", help="乡镇或村的区划代码")],
    name: Annotated[str, typer.Option("--name", help="组织名称")],
    uscc: Annotated[str | None, typer.Option("--uscc", help="统一社会信用代码（N2 开头）")] = None,
    group: Annotated[str, typer.Option("--group", help="组级组织的村民小组名")] = "",
    legal: Annotated[str, typer.Option("--legal", help="法定代表人")] = "",
    as_json: Json = False,
) -> None:
    """登记一个集体经济组织并赋全农码；只有区划数据的数据库也可以为它建账。"""
    org_in = orgs.OrgIn(
        region_code=region, name=name, uscc=uscc, group_name=group, legal_representative=legal
    )
    with transaction(session_factory()) as session:
        org = orgs.create(session, scope=operator(), org_in=org_in, rules=rules())
        found = {
            "code": org.code,
            "uscc": org.uscc,
            "name": org.name,
            "region_code": org.region_code,
            "level": org.level,
        }
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False))
    else:
        out.print(f"已登记 {found['name']}，全农码 {found['code']}", highlight=False)


@org_app.command("list")
@friendly_errors
def org_list(as_json: Json = False) -> None:
    """列出已登记的集体经济组织。"""
    with transaction(session_factory()) as session:
        found = [
            {
                "code": org.code,
                "uscc": org.uscc,
                "name": org.name,
                "region_code": org.region_code,
                "level": org.level,
                "books_start": org.books_start and org.books_start.isoformat(),
            }
            for org in orgs.get_all(session, scope=operator())
        ]
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False))
        return
    for org in found:
        out.print(f"{org['code']}\t{org['uscc'] or '—'}\t{org['name']}", highlight=False)
    out.print(f"共 {len(found)} 个组织", highlight=False)


@import_app.command("orgs")
@friendly_errors
def import_orgs(
    file: File, as_json: Json = False, max_mb: MaxMb = None, max_rows: MaxRows = None
) -> None:
    """导入组织名录（区划代码、组织名称、统一社会信用代码、组名、法定代表人）。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        tally = orgs.import_list(session, scope=operator(), path=file, rules=rules())
    if as_json:
        typer.echo(json.dumps(tally.as_json(), ensure_ascii=False))
    else:
        for row, reason in tally.errors or []:
            err.print(f"第 {row} 行：{reason}", highlight=False)
        out.print(
            f"导入 {tally.imported}，未变 {tally.unchanged}，拒绝 {tally.rejected}", highlight=False
        )
    if tally.rejected:
        raise typer.Exit(3)


@import_app.command("vouchers")
@friendly_errors
def import_vouchers(
    file: File, org: Org, as_json: Json = False, max_mb: MaxMb = None, max_rows: MaxRows = None
) -> None:
    """导入期初余额与记账凭证（凭证号、日期、摘要、科目编码、科目名称、借方金额、贷方金额、辅助核算）：
    有误的凭证整张拒绝并列出行号与原因，其余照常入账；同一文件再导入不变。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        found = orgs.get_by_code(session, scope=operator(), code=org)
        tally = importer.import_vouchers(
            session, scope=operator(), org=found, path=file, rules=rules()
        )
    if as_json:
        typer.echo(json.dumps(tally.as_json(), ensure_ascii=False))
    else:
        for error in tally.as_json()["errors"]:  # type: ignore[attr-defined]
            err.print(
                f"第 {error['row']} 行（凭证 {error['voucher']}）：{error['reason']}",
                highlight=False,
            )
        out.print(
            f"凭证导入 {tally.imported}，未变 {tally.unchanged}，拒绝 {tally.rejected}；"
            f"分录 {tally.lines} 行",
            highlight=False,
        )
    if tally.rejected:
        raise typer.Exit(3)


@collective_app.command("close")
@friendly_errors
def close(org: Org, period: Period) -> None:
    """结账：按月依次结账；12 月结账时先将本年损益结转“本年收益”。"""
    with transaction(session_factory()) as session:
        found = orgs.get_by_code(session, scope=operator(), code=org)
        carried = books.close(
            session, scope=operator(), org=found, period=books.parse_period(period), rules=rules()
        )
    note = "，已结转本年损益" if carried else ""
    out.print(f"{books.parse_period(period)} 已结账{note}", highlight=False)


@collective_app.command("reverse")
@friendly_errors
def reverse(
    org: Org,
    period: Period,
    number: Annotated[str, typer.Option("--number", help="要冲销的凭证号")],
    on: Annotated[str, typer.Option("--date", help="冲销凭证的日期")] = date.today().isoformat(),
) -> None:
    """红字冲销一张已入账的凭证（已入账凭证不能删除）。"""
    with transaction(session_factory()) as session:
        found = orgs.get_by_code(session, scope=operator(), code=org)
        row = books.reverse(
            session,
            scope=operator(),
            org=found,
            period=books.parse_period(period),
            number=number,
            on=parse_date(on),
        )
        shown = f"{row.period} {row.number}"
    out.print(f"已冲销，冲销凭证 {shown}", highlight=False)


@collective_app.command("report")
@friendly_errors
def report(
    kind: Annotated[
        Literal["balance-sheet", "income"], typer.Argument(help="balance-sheet 或 income")
    ],
    org: Org,
    period: Period,
    output_format: Annotated[
        Literal["json", "xlsx", "pdf"], typer.Option("--format", help="json、xlsx 或 pdf")
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="xlsx、pdf 的保存路径")
    ] = None,
) -> None:
    """资产负债表（balance-sheet）或收益及收益分配表（income），金额单位元。"""
    month = books.parse_period(period)
    make = reports.balance_sheet if kind == "balance-sheet" else reports.income_statement
    with transaction(session_factory()) as session:
        found = orgs.get_by_code(session, scope=operator(), code=org)
        result = make(session, scope=operator(), org=found, period=month, rules=rules())
    if output_format == "json":
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    path = output or Path(f"{result['organisation']}-{kind}-{month}.{output_format}")
    writer = report_files.write_xlsx if output_format == "xlsx" else report_files.write_pdf
    writer(kind, result, path)
    out.print(f"已写出 {path}", highlight=False)


@collective_app.command("disclose")
@friendly_errors
def disclose(
    org: Org,
    period: Annotated[str, typer.Option("--period", help="季度（如 2024Q4）或月份（如 2024-12）")],
    as_json: Json = False,
) -> None:
    """从账簿生成一期财务公开（八类内容），待本村民主理财小组在网页上审核后公开。"""
    with transaction(session_factory()) as session:
        found = orgs.get_by_code(session, scope=operator(), code=org)
        made = disclosure.generate(
            session, scope=operator(), org=found, period=period, rules=rules()
        )
        shown = {"id": made.id, "period": made.period, "content": json.loads(made.content)}
    if as_json:
        typer.echo(json.dumps(shown, ensure_ascii=False))
    else:
        out.print(f"已生成 {shown['period']} 财务公开，待民主理财小组审核", highlight=False)


@import_app.command("members")
@friendly_errors
def import_members(
    file: File, org: Org, as_json: Json = False, max_mb: MaxMb = None, max_rows: MaxRows = None
) -> None:
    """导入成员名册（全农码、姓名、证件号码、电话、确认日期、确认依据、状态、人口股、劳龄股）：按全农码关联户籍名册中的人，
    逐行拒绝有误的行；已是成员的不变。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        found = orgs.get_by_code(session, scope=operator(), code=org)
        tally = members.import_members(session, scope=operator(), org=found, path=file)
    if as_json:
        typer.echo(json.dumps(tally.as_json(), ensure_ascii=False))
    else:
        for row, reason in tally.errors:
            err.print(f"第 {row} 行：{reason}", highlight=False)
        out.print(
            f"成员导入 {tally.imported}，未变 {tally.unchanged}，拒绝 {len(tally.errors)}",
            highlight=False,
        )
    if tally.errors:
        raise typer.Exit(3)
