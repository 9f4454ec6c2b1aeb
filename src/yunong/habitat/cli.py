"""`yunong habitat …`: import the water register and its tests, list bodies by class,
districts' clearance, settlements without a sewage facility."""

import json
from datetime import date
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
from yunong.habitat import registers, remediation, sewage, water
from yunong.habitat.water import Tally
from yunong.policy import loader as policy
from yunong.policy.schema import Habitat
from yunong.store.db import transaction

habitat_app = typer.Typer(help="人居环境：黑臭水体、农村生活污水、农村改厕", no_args_is_help=True)
import_app = typer.Typer(help="导入水体名录、水质检测", no_args_is_help=True)
habitat_app.add_typer(import_app, name="import")

Json = Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")]
File = Annotated[Path, typer.Argument(help="xlsx 或 csv（UTF-8 或 GBK）")]
Region = Annotated[str, typer.Option("--region", help="区划代码（2、6、9 或 12 位）")]


def rules() -> Habitat:
    pack = policy.get()
    if pack.habitat is None:
        raise typer.BadParameter("策略包没有人居环境（habitat）一节")
    return pack.habitat


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


@import_app.command("water-bodies")
@friendly_errors
def import_bodies(
    file: File, as_json: Json = False, max_mb: MaxMb = None, max_rows: MaxRows = None
) -> None:
    """导入水体名录（水体编号、名称、区划代码、类型、面积(平方米)、经度、纬度）：有误的行逐行列出，其余照常导入。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        tally = water.import_bodies(
            session, scope=operator(), path=file, rules=rules().black_odorous
        )
    report(tally, "bodies", as_json)


@import_app.command("water-tests")
@friendly_errors
def import_tests(
    file: File, as_json: Json = False, max_mb: MaxMb = None, max_rows: MaxRows = None
) -> None:
    """导入水质检测（水体编号、检测日期、透明度(cm)、水深(cm)、溶解氧(mg/L)、氨氮(mg/L)），按策略包阈值判定黑臭。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        tally = water.import_tests(
            session, scope=operator(), path=file, rules=rules().black_odorous, today=date.today()
        )
    report(tally, "tests", as_json)


@import_app.command("facilities")
@friendly_errors
def import_facilities(file: File, as_json: Json = False, max_mb: MaxMb = None,
                      max_rows: MaxRows = None) -> None:  # fmt: skip
    """导入污水处理设施（设施编号、名称、区划代码、设计处理能力(m³/d)、排放标准等级、配套管网）。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        tally = registers.import_facilities(
            session, scope=operator(), path=file, rules=rules().sewage
        )
    report(tally, "facilities", as_json)


@import_app.command("settlements")
@friendly_errors
def import_settlements(file: File, as_json: Json = False, max_mb: MaxMb = None,
                       max_rows: MaxRows = None) -> None:  # fmt: skip
    """导入聚居点（聚居点编号、名称、区划代码、户数、人数、污水处理设施编号、纳入垃圾收运）。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        tally = registers.import_settlements(session, scope=operator(), path=file)
    report(tally, "settlements", as_json)


@habitat_app.command("water-bodies")
@friendly_errors
def water_bodies(region: Region, as_json: Json = False) -> None:
    """某区域已检测的水体，按最近一次检测判定黑臭或非黑臭。"""
    with transaction(session_factory()) as session:
        found = water.classes(session, scope=operator(), region_code=region)
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False))
        return
    for body in found:
        out.print(f"{body['id']}\t{body['class']}\t{body['tested']}", highlight=False)
    out.print(f"共 {len(found)} 个水体", highlight=False)


@habitat_app.command("clearance")
@friendly_errors
def clearance(
    year: Annotated[int, typer.Option("--year", help="年度")] = date.today().year,
    as_json: Json = False,
) -> None:
    """各区县黑臭水体清零情况，与（十八）2025 年清零区县创建成功率 100% 的目标。"""
    black_odorous = rules().black_odorous
    with transaction(session_factory()) as session:
        districts = remediation.clearance(session, scope=operator(), rules=black_odorous)
        target = remediation.clearance_target(
            session, scope=operator(), rules=black_odorous, year=year
        )
    if as_json:
        payload = {
            "target": target.as_json(),
            "districts": [district.as_json() for district in districts],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    for district in districts:
        state = (
            "已清零" if district.cleared else f"黑臭 {district.black}，整治未验收 {district.open}"
        )
        out.print(f"{district.name}\t水体 {district.bodies}\t{state}", highlight=False)
    rate = "—" if target.rate is None else f"{target.rate:.1f}%"
    out.print(
        f"清零区县 {target.cleared}/{target.districts}（{rate}），"
        f"目标 {target.target_year} 年 100%",
        highlight=False,
    )


@habitat_app.command("unserved-settlements")
@friendly_errors
def unserved(region: Region = "500000000000", as_json: Json = False) -> None:
    """200 户或 500 人以上、没有污水处理设施及配套管网的聚居点（（十八））。"""
    with transaction(session_factory()) as session:
        found = sewage.unserved(session, scope=operator().narrowed_to(region), pack=policy.get())
    if as_json:
        typer.echo(json.dumps([item.as_json() for item in found], ensure_ascii=False))
        return
    for item in found:
        out.print(
            f"{item.code}\t{item.name}\t{item.households} 户\t{item.residents} 人\t{item.reason}",
            highlight=False,
        )
    out.print(f"共 {len(found)} 个聚居点", highlight=False)
