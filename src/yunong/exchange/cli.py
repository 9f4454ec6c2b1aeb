"""`yunong exchange …`: import the deals recorded before the platform, print the yearly prices."""

import json
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
from yunong.core import files
from yunong.exchange import auction, deals, index, prices, rules
from yunong.store.base import utcnow
from yunong.store.db import transaction

exchange_app = typer.Typer(help="产权交易：历史成交、价格", no_args_is_help=True)
import_app = typer.Typer(help="导入", no_args_is_help=True)
exchange_app.add_typer(import_app, name="import")


@import_app.command("deals")
@friendly_errors
def import_deals(
    file: Annotated[
        Path,
        typer.Argument(
            help="成交记录（xlsx 或 csv：项目编号、标的类型、区县、乡镇、坐落、面积(亩)、"
            "流转期限(年)、成交价(元)、成交日期、买受方）"
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")] = False,
    max_mb: MaxMb = None,
    max_rows: MaxRows = None,
) -> None:
    """导入平台启用前的成交记录，逐行拒绝有误的行；重复导入不改变结果。

    退出码 3 表示有行被拒绝。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        result = deals.import_file(session, scope=operator(), path=file, rules=rules.section())
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        for error in result.errors[:200]:
            err.print(str(error), highlight=False)
        out.print(result.summary(), highlight=False)
    if result.rejected:
        raise typer.Exit(3)


@exchange_app.command("prices")
@friendly_errors
def yearly_prices(
    year: Annotated[int, typer.Option("--year", min=1990, max=2100, help="成交年份")],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
) -> None:
    """按区县和标的类型列出该年成交的宗数、面积和亩均价格（总价 ÷ 总面积）。"""
    section = rules.section()
    with transaction(session_factory()) as session:
        found = prices.of_year(session, scope=operator(), year=year)
    rows = [price.as_json(section) for price in found]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        out.print(
            f"{row['region']}  {row['kind']}  {row['deals']} 宗  {row['area_mu']} 亩  "
            f"{row['price_per_mu']} 元/亩",
            highlight=False,
        )
    out.print(f"共 {len(rows)} 项", highlight=False)


@exchange_app.command("index")
@friendly_errors
def price_index(
    district: Annotated[str, typer.Option("--district", help="区县代码（6 位或 12 位）")],
    kind: Annotated[
        str | None, typer.Option("--kind", help="标的类型（标识或名称），默认土地经营权")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
) -> None:
    """区县的季度价格指数（经面积、期限、地类调整，环比链接，首季 = 100）。

    成交不足策略包 index_min_deals 宗的季度沿用上期，标为“成交不足”。"""
    with transaction(session_factory()) as session:
        points = index.quarterly(
            session, scope=operator(), district=district, kind=kind, rules=rules.section()
        )
    rows = [point.as_json() for point in points]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        note = "  成交不足，沿用上期" if row["stale"] else ""
        out.print(f"{row['quarter']}  {row['index']:.2f}  {row['deals']} 宗{note}", highlight=False)
    out.print(f"共 {len(rows)} 个季度", highlight=False)


@exchange_app.command("close-due")
@friendly_errors
def close_due(
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
) -> None:
    """结束已到截止时间的竞价：成交、退还保证金、流拍的按规则重新挂牌（供定时任务每分钟运行）。"""
    with transaction(session_factory()) as session:
        closed = auction.close_due(session, rules=rules.section(), now=utcnow())
        rows = [
            {
                "code": listing.code,
                "status": listing.status,
                "price_yuan": str(listing.price_yuan or ""),
            }
            for listing in closed
        ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        out.print(f"{row['code']}  {row['status']}  {row['price_yuan']}", highlight=False)
    out.print(f"结束 {len(rows)} 宗", highlight=False)
