"""`yunong fishery …`: ban zones, patrol teams and GPX tracks, coverage of the zones."""

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
from yunong.core.parsing import parse_date
from yunong.fishery import coverage, fishers, teams, tracks, zones
from yunong.policy import loader as policy
from yunong.store.db import transaction

fishery_app = typer.Typer(
    help="长江治渔：禁捕水域、护渔队与巡护航迹、水域巡护覆盖", no_args_is_help=True
)
zones_app = typer.Typer(help="禁捕水域", no_args_is_help=True)
teams_app = typer.Typer(help="护渔队", no_args_is_help=True)
tracks_app = typer.Typer(help="巡护航迹", no_args_is_help=True)
fishery_app.add_typer(zones_app, name="zones")
fishery_app.add_typer(teams_app, name="teams")
fishers_app = typer.Typer(help="退捕渔民", no_args_is_help=True)
fishery_app.add_typer(tracks_app, name="tracks")
fishery_app.add_typer(fishers_app, name="fishers")

JSON_OPTION = typer.Option("--json", help="以 JSON 输出结果")


@zones_app.command("import")
@friendly_errors
def import_zones(
    file: Annotated[Path, typer.Argument(help="GeoJSON、GeoPackage 或 Shapefile（可为 GBK）")],
    crs: Annotated[str | None, typer.Option(help="文件没有坐标系时指定，如 EPSG:4545")] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
    max_mb: MaxMb = None,
    max_rows: MaxRows = None,
) -> None:
    """导入禁捕水域（水域编号、水域名称、水域类型、区县代码，可选禁捕依据、起始日期、截止日期）：
    逐个列出被拒绝的要素，其余照常导入。退出码 3 表示有要素被拒绝。"""
    rules = policy.get().fishery
    if rules is None:
        raise typer.BadParameter("政策包没有长江治渔（fishery）一节")
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        result = zones.import_file(session, scope=operator(), rules=rules, path=file, crs=crs)
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        for error in result.errors:
            err.print(str(error), highlight=False)
        out.print(result.summary(), highlight=False)
    if result.errors:
        raise typer.Exit(3)


@teams_app.command("add")
@friendly_errors
def add_team(
    name: Annotated[str, typer.Argument(help="队伍名称")],
    region: Annotated[str, typer.Option("--region", help="所属区县、乡镇或村的代码")],
) -> None:
    """新建护渔队。"""
    with transaction(session_factory()) as session:
        team = teams.create(session, scope=operator(), name=name, region_code=region)
        code = team.region_code
    out.print(f"已新建护渔队“{name}”（{code}）", highlight=False)


members_app = typer.Typer(help="护渔队队员", no_args_is_help=True)
teams_app.add_typer(members_app, name="member")


@members_app.command("add")
@friendly_errors
def add_member(
    team: Annotated[str, typer.Argument(help="护渔队名称")],
    name: Annotated[str, typer.Option("--name", help="队员姓名")],
    phone: Annotated[str, typer.Option("--phone", help="联系电话")] = "",
    role: Annotated[str, typer.Option("--role", help="队内职务：队长或队员")] = "队员",
    starts: Annotated[str, typer.Option("--from", help="入队日期")] = "",
) -> None:
    """为护渔队登记队员（姓名、电话、队内职务、入队日期）。"""
    with transaction(session_factory()) as session:
        scope = operator()
        found = teams.get_by_name(session, scope=scope, name=team)
        teams.add_member(
            session, scope=scope, team=found, member_in=teams.MemberIn(name, phone, role, starts)
        )
    out.print(f"已将 {name} 登记为护渔队“{team}”的队员", highlight=False)


@members_app.command("remove")
@friendly_errors
def remove_member(
    team: Annotated[str, typer.Argument(help="护渔队名称")],
    name: Annotated[str, typer.Option("--name", help="队员姓名")],
) -> None:
    """将队员移出护渔队。"""
    with transaction(session_factory()) as session:
        scope = operator()
        found = teams.get_by_name(session, scope=scope, name=team)
        teams.remove_member(session, scope=scope, team=found, name=name)
    out.print(f"已将 {name} 移出护渔队“{team}”", highlight=False)


@tracks_app.command("import")
@friendly_errors
def import_track(
    file: Annotated[Path, typer.Argument(help="手持终端导出的 GPX 文件")],
    team: Annotated[str, typer.Option("--team", help="护渔队名称")],
    day: Annotated[str, typer.Option("--date", help="巡查日期（航迹没有时间时必填）")] = "",
    as_json: Annotated[bool, JSON_OPTION] = False,
    max_mb: MaxMb = None,
) -> None:
    """导入一次巡护的 GPX 航迹：航迹点数、落在禁捕水域内（含边界上）的点数、航迹长度（公里，
    按 CGCS2000 椭球计算的大地线长度，各航段分别计算）和经过的水域。同一航迹再次导入不重复记录。"""
    with (
        files.limited(file, import_limits(max_mb)),
        transaction(session_factory()) as session,
    ):
        scope = operator()
        found = teams.get_by_name(session, scope=scope, name=team)
        recorded = tracks.import_gpx(
            session, scope=scope, team=found, path=file, day=parse_date(day) if day else None
        )
        data = recorded.measured.as_json()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
    else:
        note = "" if recorded.new else "（此航迹已导入过，未重复记录）"
        out.print(
            f"航迹点 {data['points']} 个，禁捕水域内 {data['inside_zones']} 个，"
            f"长 {data['length_km']} 公里{note}",
            highlight=False,
        )
        if data["zones"]:
            out.print("经过水域：" + "、".join(data["zones"]), highlight=False)


@fishers_app.command("add")
@friendly_errors
def add_fisher(
    person: Annotated[str, typer.Argument(help="本人的全农码")],
    retired_on: Annotated[str, typer.Option("--retired", help="退捕日期")],
    boat: Annotated[str, typer.Option(help="渔船编号")] = "",
    dismantled: Annotated[str, typer.Option(help="渔船拆解日期")] = "",
    compensation: Annotated[str, typer.Option(help="已发放的补偿（元）")] = "",
    insurance: Annotated[
        str, typer.Option(help="参保：未参保、城乡居民养老保险、职工养老保险")
    ] = "未参保",
    employment: Annotated[
        str, typer.Option(help="转产就业：未就业、务工就业、参加培训、自主创业、超过劳动年龄")
    ] = "未就业",
    detail: Annotated[str, typer.Option(help="就业或培训的说明")] = "",
) -> None:
    """登记退捕渔民（按全农码关联农户名册中的本人与农户）；再次登记同一人即更新其记录。"""
    fisher_in = fishers.FisherIn(
        person, retired_on, boat, dismantled, compensation, insurance, employment, detail
    )
    with transaction(session_factory()) as session:
        fishers.register(session, scope=operator(), fisher_in=fisher_in)
    out.print(f"已登记退捕渔民 {person}", highlight=False)


@fishery_app.command("coverage")
@friendly_errors
def show_coverage(
    month: Annotated[str, typer.Option(help="月份，如 2024-05；不填为全部月份")] = "",
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """各禁捕水域每月的巡护次数与航迹点数。"""
    with transaction(session_factory()) as session:
        rows = coverage.by_zone_month(session, scope=operator(), month=month or None)
    if as_json:
        typer.echo(json.dumps([row.as_json() for row in rows], ensure_ascii=False))
        return
    for row in rows:
        out.print(
            f"{row.month} {row.zone_number} {row.zone_name}：巡护 {row.patrols} 次，"
            f"{row.teams} 支队伍，水域内航迹点 {row.points} 个",
            highlight=False,
        )


__all__ = ["err", "fishery_app"]
