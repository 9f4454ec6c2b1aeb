"""`yunong land …`: import and export layers, statistics, work lists, overlay, 以补定占 ledger."""

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import Engine

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
from yunong.core.regions.codes import Level
from yunong.core.tabular import write_workbook
from yunong.land import export as exporter
from yunong.land import importers, jobs, ledger, summary
from yunong.land.codes import SLOPE_GRADES, USE_LABELS, Use
from yunong.land.geometry import to_mu
from yunong.policy import loader as policy
from yunong.settings import get_settings
from yunong.store.db import transaction
from yunong.store.open import open_engine

land_app = typer.Typer(
    help="农地“一张图”：图层导入导出、统计、复耕与“非粮化”清单、以补定占", no_args_is_help=True
)

JSON_OPTION = typer.Option("--json", help="以 JSON 输出结果")
REGION_OPTION = typer.Option("--region", help="只统计此区划以内（区县、乡镇或村代码）")


@land_app.command("import")
@friendly_errors
def import_layer(
    file: Annotated[
        Path, typer.Argument(help="GeoPackage、Shapefile、GeoJSON、GeoParquet 或带 WKT 列的 CSV")
    ],
    layer: Annotated[str, typer.Option(help="parcels（地块）或 zones（保护区域）")] = "parcels",
    crs: Annotated[str | None, typer.Option(help="文件没有坐标系时指定，如 EPSG:4545")] = None,
    year: Annotated[int | None, typer.Option(help="数据年份（图层无 SJNF 字段时使用）")] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
    max_mb: MaxMb = None,
    max_rows: MaxRows = None,
) -> None:
    """导入地块或保护区域图层；逐个列出被拒绝的要素，其余照常导入。退出码 3 表示有要素被拒绝。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        result = importers.import_file(
            session, scope=operator(), path=file, layer=layer, crs=crs, year=year
        )
    if result.villages:
        summary.refresh(engine(), pack=policy.get(), villages=result.villages)
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        for error in result.errors[:200]:
            err.print(str(error), highlight=False)
        if len(result.errors) > 200:
            err.print(f"……另有 {len(result.errors) - 200} 个要素被拒绝", highlight=False)
        out.print(result.summary(), highlight=False)
    if result.errors:
        raise typer.Exit(3)


@land_app.command("export")
@friendly_errors
def export_layer(
    out_file: Annotated[Path, typer.Argument(help="输出文件")],
    region: Annotated[str, typer.Option(help="导出此区划以内的要素")],
    file_format: Annotated[
        str, typer.Option("--format", help="gpkg、shp、geojson 或 parquet")
    ] = "gpkg",
    layer: Annotated[str, typer.Option(help="parcels（地块）或 zones（保护区域）")] = "parcels",
) -> None:
    """导出地块或保护区域（CGCS2000 经纬度，字段见 docs/land.md）。"""
    with transaction(session_factory()) as session:
        done = exporter.export(
            session,
            scope=operator(),
            region_code=region,
            out=out_file,
            file_format=file_format,
            layer=layer,
        )
    out.print(f"已导出 {done.features} 个要素到 {done.path}", highlight=False)


def engine() -> Engine:
    return open_engine(get_settings().database_url())


@land_app.command("summarise")
@friendly_errors
def summarise() -> None:
    """重新计算各村的地块汇总（“一张图”缩小时的村点位与统计）；导入后会自动更新所涉及的村。"""
    written = summary.refresh(engine(), pack=policy.get())
    out.print(f"已更新 {written} 个村的地块汇总", highlight=False)


@land_app.command("stats")
@friendly_errors
def stats(
    level: Annotated[str, typer.Option(help="按 district、town 或 village 分组")] = "district",
    region: Annotated[str | None, REGION_OPTION] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """按区划统计面积（亩）：三块地、地类、坡度、永久基本农田与高标准农田、撂荒与复耕进度。"""
    found = jobs.statistics(
        engine(), scope=operator(), pack=policy.get(), level=Level.from_name(level), under=region
    )
    if as_json:
        rows = [
            asdict(s)
            | {
                "high_standard_share": s.high_standard_share,
                "recultivation_progress": s.recultivation_progress,
            }
            for s in found
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(
        "区划",
        "名称",
        "耕地",
        "宅基地",
        "集体建设用地",
        "永久基本农田",
        "其中高标准",
        "撂荒",
        "待复耕",
        "复耕进度",
        title="面积（亩）",
    )
    for s in found:
        table.add_row(
            s.region_code,
            s.name,
            f"{s.by_kind['cultivated']:,.2f}",
            f"{s.by_kind['homestead']:,.2f}",
            f"{s.by_kind['construction']:,.2f}",
            f"{s.permanent_farmland:,.2f}",
            percent(s.high_standard_share),
            f"{s.abandoned:,.2f}",
            f"{s.to_recultivate:,.2f}",
            percent(s.recultivation_progress),
        )
    out.print(table)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


LIST_HEADERS = [
    "地块全农码",
    "村代码",
    "村",
    "地类",
    "面积（亩）",
    "坡度",
    "当前用途",
    "经营主体全农码",
    "户主",
]


def list_row(item: jobs.ParcelItem) -> list[object]:
    return [
        item.code,
        item.village_code,
        item.village,
        item.land_class,
        item.area_mu,
        SLOPE_GRADES.get(item.slope_grade or 0, ""),
        USE_LABELS[Use(item.use)] if item.use else "",
        item.holder_code or "",
        item.holder_name or "",
    ]


@land_app.command("recultivation")
@friendly_errors
def recultivation(
    out_file: Annotated[Path, typer.Argument(help="输出的 xlsx 文件")],
    region: Annotated[str | None, REGION_OPTION] = None,
) -> None:
    """导出撂荒耕地复耕清单（坡度 25 度以下，含经营主体）及复耕进度。"""
    found = jobs.recultivation_list(engine(), scope=operator(), pack=policy.get(), under=region)
    write_workbook(out_file, LIST_HEADERS, [list_row(item) for item in found.items])
    out.print(
        f"待复耕 {len(found.items)} 块，已复耕 {len(found.recultivated)} 块，"
        f"复耕进度 {percent(found.progress)}；坡度 25 度以上的撂荒地 {found.steep} 块不在清单内；"
        f"已写入 {out_file}",
        highlight=False,
    )


@land_app.command("non-grain")
@friendly_errors
def non_grain(
    out_file: Annotated[Path, typer.Argument(help="输出的 xlsx 文件")],
    region: Annotated[str | None, REGION_OPTION] = None,
) -> None:
    """导出永久基本农田与高标准农田“非粮化”整改清单，含过渡期截止日期。"""
    found = jobs.non_grain_list(engine(), scope=operator(), pack=policy.get(), under=region)
    headers = [
        *LIST_HEADERS,
        "永久基本农田",
        "高标准农田",
        "高标准农田项目编号",
        "高标准农田项目名称",
        "数据年份",
        "整改截止",
    ]
    rows = [
        [
            *list_row(item),
            "是" if item.permanent_farmland else "否",
            "是" if item.high_standard else "否",
            item.project_number or "",
            item.project_name or "",
            item.use_year or "",
            item.deadline.isoformat() if item.deadline else "",
        ]
        for item in found
    ]
    write_workbook(out_file, headers, rows)
    overdue = sum(1 for item in found if item.deadline and item.deadline < date.today())
    out.print(
        f"“非粮化”整改 {len(found)} 块，其中已过过渡期 {overdue} 块；已写入 {out_file}",
        highlight=False,
    )


@land_app.command("target")
@friendly_errors
def target(year: Annotated[int, typer.Option(help="年度")]) -> None:
    """耕地面积对照策略包中的全市耕地保有量目标。"""
    check = jobs.against_target(engine(), scope=operator(), pack=policy.get(), year=year)
    verdict = "已达到" if check.met else "未达到"
    out.print(
        f"{year} 年耕地 {check.cultivated_mu:,.2f} 亩，目标 {check.target_mu:,.0f} 亩"
        f"（实施意见{check.clause}），占 {check.share:.2%}，{verdict}",
        highlight=False,
    )


@land_app.command("overlay")
@friendly_errors
def overlay(
    region: Annotated[str | None, REGION_OPTION] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """地块与保护区域叠加：各区域内的面积，标注与图形不一致的地块，生态保护红线内的建设用地。"""
    report = jobs.overlay(engine(), scope=operator(), under=region)
    if as_json:
        typer.echo(json.dumps(asdict(report), ensure_ascii=False))
        return
    for zone, areas in report.area_by_zone.items():
        parts = "，".join(f"{kind} {area:,.2f} 亩" for kind, area in areas.items())
        out.print(f"{zone}：{parts}", highlight=False)
    out.print(
        f"标注为永久基本农田但不在保护区内 {report.flagged_outside_zone} 块；"
        f"在保护区内但未标注 {report.inside_zone_not_flagged} 块；"
        f"生态保护红线内的宅基地与建设用地 {report.built_in_redline} 块",
        highlight=False,
    )


@land_app.command("record")
@friendly_errors
def record(
    kind: Annotated[str, typer.Argument(help="occupation（占用）或 supplement（补充）")],
    region: Annotated[str, typer.Option(help="区县代码")],
    document: Annotated[str, typer.Option(help="批准文号（占用）或验收文号（补充）")],
    decided: Annotated[str, typer.Option(help="批准或验收日期，如 2024-05-20")],
    parcels: Annotated[str, typer.Option(help="地块全农码，逗号分隔")],
    source: Annotated[str | None, typer.Option(help="补充耕地来源：new 或 restored")] = None,
    purpose: Annotated[str, typer.Option(help="用途说明")] = "",
) -> None:
    """在以补定占台账中登记一条占用或补充；占用超出本年上限时拒绝并给出数字。"""
    with transaction(session_factory()) as session:
        entry = ledger.record(
            session,
            scope=operator(),
            kind=kind,
            region_code=region,
            document_number=document,
            decided_on=parse_date(decided),
            parcel_codes=parcels.split(","),
            source=source,
            purpose=purpose,
        )
        out.print(
            f"已登记{ledger.KIND_LABELS[entry.kind]} {entry.document_number}："
            f"{to_mu(entry.area_m2)} 亩",
            highlight=False,
        )


@land_app.command("cap")
@friendly_errors
def cap(
    region: Annotated[str, typer.Option(help="区县代码")],
    year: Annotated[int, typer.Option(help="年度")],
) -> None:
    """显示区县某年非农建设占用耕地的上限（上一年稳定利用耕地净增加量）与已用、剩余。"""
    with transaction(session_factory()) as session:
        found = ledger.get_cap(session, scope=operator(), region_code=region, year=year)
    out.print(
        f"{found.explain()}；已占用 {to_mu(found.used)} 亩，剩余 {to_mu(found.remaining)} 亩",
        highlight=False,
    )
