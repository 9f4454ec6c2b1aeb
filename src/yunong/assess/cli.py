"""`yunong assess …`: data set templates and approval, scores and reports."""

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from yunong.assess import datasets, importers, reports, scoring
from yunong.assess.datasets import Refused
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
from yunong.core.regions import codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.policy import loader as policy
from yunong.store.db import transaction

assess_app = typer.Typer(
    help="考核驾驶舱：指标填报与审核、赛马比拼计分、考核报告", no_args_is_help=True
)

Period = Annotated[int, typer.Option("--period", help="考核年度，如 2024")]
Region = Annotated[str, typer.Option("--region", help="填报单位的区划代码（6、9 或 12 位）")]


@assess_app.command("template")
@friendly_errors
def template(out_file: Annotated[Path, typer.Argument(help="写出的 xlsx")], period: Period,
             region: Region) -> None:  # fmt: skip
    """写出某单位某年度的填报模板（已填的数值一并写出）。"""
    with transaction(session_factory()) as session:
        rows = importers.write_template(
            session,
            out_file,
            scope=operator(),
            pack=policy.get(),
            period=period,
            region_code=region,
        )
    out.print(f"已写出 {out_file}（{rows} 项）")


@assess_app.command("upload")
@friendly_errors
def upload(file: Annotated[Path, typer.Argument(help="填好的模板 xlsx")], period: Period,
           region: Region, max_mb: MaxMb = None, max_rows: MaxRows = None) -> None:  # fmt: skip
    """上传填好的模板：全部保存，或有误时一项不存并逐行列出原因（退出码 3）。"""
    try:
        with (
            files.limited(file, import_limits(max_mb, max_rows)),
            transaction(session_factory()) as session,
        ):
            report = importers.upload(
                session,
                file,
                scope=operator(),
                pack=policy.get(),
                period=period,
                region_code=region,
            )
    except Refused as refused:
        for error in refused.errors:
            err.print(datasets.describe(error), highlight=False)
        err.print(f"未保存：{len(refused.errors)} 处有误", highlight=False)
        raise typer.Exit(3) from None
    out.print(f"新增 {report.inserted} 项，修改 {report.updated} 项，未变 {report.unchanged} 项")


@assess_app.command("submit")
@friendly_errors
def submit(period: Period, region: Region) -> None:
    """报送某单位某年度的数据，等待上级审核。"""
    with transaction(session_factory()) as session:
        datasets.submit(
            session, scope=operator(), pack=policy.get(), period=period, region_code=region
        )
    out.print(f"{period} 年 {region} 已报送")


@assess_app.command("approve")
@friendly_errors
def approve(period: Period, region: Region) -> None:
    """审核通过：数据锁定并参与计分。"""
    with transaction(session_factory()) as session:
        datasets.approve(session, scope=operator(), period=period, region_code=region)
    out.print(f"{period} 年 {region} 已审核通过并锁定")


@assess_app.command("return")
@friendly_errors
def send_back(period: Period, region: Region,
              comment: Annotated[str, typer.Option(help="退回原因")]) -> None:  # fmt: skip
    """退回报送的数据并写明原因，由填报单位修改后重新报送。"""
    with transaction(session_factory()) as session:
        datasets.send_back(
            session, scope=operator(), period=period, region_code=region, comment=comment
        )
    out.print(f"{period} 年 {region} 已退回：{comment}")


@assess_app.command("status")
@friendly_errors
def status(
    period: Period, level: Annotated[str, typer.Option(help="区县、乡镇或村")] = "district"
) -> None:
    """列出某年度各单位的填报与审核状态。"""
    wanted = Level.from_name(level)
    with transaction(session_factory()) as session:
        found = datasets.get_all(session, scope=operator(), period=period, level=wanted)
        table = Table("单位代码", "状态", "报送人", "审核人", "退回原因")
        for data_set in found:
            table.add_row(
                codes.short_form(data_set.region_code),
                datasets.state_label(data_set.state),
                data_set.submitted_by or "",
                data_set.decided_by or "",
                data_set.comment,
            )
    out.print(table)


@assess_app.command("score")
@friendly_errors
def score(period: Period) -> None:
    """按已审核数据与业务数据计算指标完成度、区县得分与名次（赛马比拼），覆盖该年度上次结果。"""
    with transaction(session_factory()) as session:
        scores = scoring.compute(session, scope=operator(), pack=policy.get(), period=period)
        names = {
            region.code: region.name
            for region in regions.get_all(session, scope=operator(), level=Level.DISTRICT)
        }
    table = Table("名次", "区县", "得分", "上期名次")
    for row in scores[:10]:
        previous = "—" if row.previous_rank is None else str(row.previous_rank)
        table.add_row(str(row.rank), names.get(row.region_code, ""), f"{row.score:.2f}", previous)
    out.print(table)
    out.print(f"{period} 年 {len(scores)} 个区县已计分")


@assess_app.command("report")
@friendly_errors
def report(
    out_file: Annotated[Path, typer.Argument(help="写出的报告文件")],
    period: Period,
    format: Annotated[str, typer.Option("--format", help="pdf 或 xlsx")] = "pdf",
) -> None:
    """写出某年度的考核报告：中文 PDF（表格与图表）或 xlsx（冻结表头、注明单位）。"""
    if format not in ("pdf", "xlsx"):
        raise InvalidValue(f"格式“{format}”无效，应为 pdf 或 xlsx")
    with transaction(session_factory()) as session:
        gathered = reports.gather(session, scope=operator(), pack=policy.get(), period=period)
    if format == "pdf":
        reports.write_pdf(gathered, out_file)
    else:
        reports.write_xlsx(gathered, out_file)
    out.print(f"已写出 {out_file}")
