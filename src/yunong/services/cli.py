"""`yunong services …`: import machines and orders, plan and confirm a day's dispatch, record
work done, settle a trusteeship contract."""

import json
from datetime import date
from decimal import Decimal, InvalidOperation
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
from yunong.core.errors import InvalidValue
from yunong.policy import loader as policy
from yunong.policy.schema import Services
from yunong.services import dispatch, importers, providers, trusteeship
from yunong.services.importers import Tally
from yunong.store.db import transaction

services_app = typer.Typer(help="农事服务：机具、订单、派单、托管", no_args_is_help=True)
import_app = typer.Typer(help="导入机具、订单", no_args_is_help=True)
services_app.add_typer(import_app, name="import")

Json = Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")]
File = Annotated[Path, typer.Argument(help="xlsx 或 csv（UTF-8 或 GBK）")]
Day = Annotated[str, typer.Option("--date", help="日期 YYYY-MM-DD")]


def rules() -> Services:
    pack = policy.get()
    if pack.services is None:
        raise typer.BadParameter("策略包没有农事服务（services）一节")
    return pack.services


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue("日期“{text}”应为 YYYY-MM-DD", text=text.strip()) from None


def report(tally: Tally, key: str, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(tally.as_json(key), ensure_ascii=False))
    else:
        for row, reason in tally.errors:
            err.print(f"第 {row} 行：{reason}", highlight=False)
        out.print(
            f"导入 {tally.imported} 行，未变 {tally.unchanged} 行，拒绝 {tally.rejected} 行",
            highlight=False,
        )
    if tally.rejected:
        raise typer.Exit(3)


@import_app.command("machines")
@friendly_errors
def import_machines(
    file: File, as_json: Json = False, max_mb: MaxMb = None, max_rows: MaxRows = None
) -> None:
    """导入机具（机具编号、类型、作业能力(亩/天)、经度、纬度、服务组织、区划代码）：有误的行逐行列出，其余照常导入。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        tally = importers.import_machines(session, scope=operator(), path=file, rules=rules())
    report(tally, "machines", as_json)


@import_app.command("orders")
@friendly_errors
def import_orders(
    file: File, as_json: Json = False, max_mb: MaxMb = None, max_rows: MaxRows = None
) -> None:
    """导入订单（订单编号、作业类型、面积(亩)、最早日期、最晚日期、经度、纬度或地块编码、区划代码）。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        tally = importers.import_orders(session, scope=operator(), path=file, rules=rules())
    report(tally, "orders", as_json)


@services_app.command("dispatch")
@friendly_errors
def dispatch_day(
    day: Day,
    as_json: Json = False,
    time_limit: Annotated[float, typer.Option("--time-limit", help="求解时限（秒）")] = 10.0,
    region: Annotated[
        str | None, typer.Option("--region", help="只派该区划（区县、乡镇）的订单与机具")
    ] = None,
) -> None:
    """为一天派单：先服务尽可能多的面积，再使总路程（机具到地块的大圆距离）最短；列出未派的订单与原因。"""
    when = parse_day(day)
    scope = operator() if region is None else operator().narrowed_to(region)
    with transaction(session_factory()) as session:
        if not as_json:
            err.print("正在求解…", highlight=False)
        result = dispatch.plan(session, scope=scope, day=when, rules=rules(), time_limit=time_limit)
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
        return
    for a in result.assignments:
        out.print(f"{a.order} → {a.machine}  {a.distance_km:.2f} km", highlight=False)
    for order, reason in result.unassigned:
        out.print(f"{order} 未派：{reason}", highlight=False)
    out.print(
        f"派单 {len(result.assignments)} 个，总路程 {result.distance_km:.1f} km；"
        f"未派 {len(result.unassigned)} 个",
        highlight=False,
    )


@services_app.command("provider")
@friendly_errors
def register_provider(
    name: Annotated[str, typer.Argument(help="服务组织名称（个人为姓名）")],
    kind: Annotated[str, typer.Option("--kind", help="合作社、公司、供销或个人")],
    region: Annotated[str, typer.Option("--region", help="所在区划代码")],
    credential: Annotated[
        str, typer.Option("--credential", help="统一社会信用代码；个人为公民身份号码")
    ],
    offers: Annotated[str, typer.Option("--services", help="提供的作业，用顿号隔开")] = "",
    prices: Annotated[str, typer.Option("--prices", help="价格说明，如“收获 80 元/亩”")] = "",
) -> None:
    """登记服务组织（或补全机具导入时按名称登记的服务组织）的证件号、作业与价格。"""
    provider_in = providers.ProviderIn(
        name, kind, region, credential, tuple(item for item in offers.split("、") if item), prices
    )
    with transaction(session_factory()) as session:
        provider = providers.register(
            session, scope=operator(), provider_in=provider_in, rules=rules()
        )
        out.print(f"已登记服务组织 {provider.name}（{provider.kind}）", highlight=False)


@services_app.command("confirm")
@friendly_errors
def confirm_day(day: Day) -> None:
    """确认一天的派单（调度员审核后），机具与农户即可看到。"""
    with transaction(session_factory()) as session:
        count = dispatch.confirm(session, scope=operator(), day=parse_day(day))
    out.print(f"已确认 {count} 个派单", highlight=False)


@services_app.command("done")
@friendly_errors
def work_done(
    order: Annotated[str, typer.Argument(help="订单编号")],
    day: Day,
) -> None:
    """登记订单作业完成：在订单的每个地块上记一条作业记录。"""
    with transaction(session_factory()) as session:
        records = dispatch.record_work(
            session, scope=operator(), code=order, done_on=parse_day(day)
        )
    out.print(f"已在 {len(records)} 个地块上登记作业", highlight=False)


@services_app.command("harvest")
@friendly_errors
def harvest(
    contract: Annotated[str, typer.Argument(help="托管合同编号")],
    kg: Annotated[str, typer.Option("--kg", help="实收产量（公斤）")],
    as_json: Json = False,
) -> None:
    """登记托管合同的实收产量并结算（保底产量、分红）。"""
    try:
        amount = Decimal(kg.strip())
    except InvalidOperation:
        raise InvalidValue("产量“{kg}”应为数字", kg=kg.strip()) from None
    with transaction(session_factory()) as session:
        result = trusteeship.record_harvest(session, scope=operator(), code=contract, kg=amount)
    values = {key: str(value) for key, value in vars(result).items()}
    if as_json:
        typer.echo(json.dumps(values, ensure_ascii=False))
    else:
        out.print(
            f"保底 {result.guaranteed_kg} kg，超产 {result.surplus_kg} kg；"
            "\n"
            f"农户得 {result.farmer_kg} kg，收入 {result.farmer_yuan} 元"
            f"（已扣托管费 {result.fee_yuan} 元）",
            highlight=False,
        )
