"""`yunong trace …`: batch codes, QR images, EPCIS documents and Digital Link resolution."""

import json
from pathlib import Path
from typing import Annotated

import typer

from yunong.cli_support import friendly_errors, operator, out, session_factory
from yunong.core.auth import service as users
from yunong.store.db import transaction
from yunong.trace import batches, certificates, epcis, inspectors, qr

trace_app = typer.Typer(
    help="农品一码通：批次码、二维码、EPCIS 文档、合格证、数字链接解析", no_args_is_help=True
)


@trace_app.command("list")
@friendly_errors
def trace_list(
    limit: Annotated[int | None, typer.Option(help="最多列出多少个（新的在前）", min=1)] = None,
) -> None:
    """列出批次全农码，每行一个，新的在前。"""
    with transaction(session_factory()) as session:
        for batch in batches.get_all(session, scope=operator(), limit=limit):
            typer.echo(batch.code)


@trace_app.command("qr")
@friendly_errors
def trace_qr(
    code: Annotated[str, typer.Argument(help="批次全农码")],
    out_file: Annotated[Path, typer.Argument(help="输出文件：.png 或 .svg")],
) -> None:
    """把批次的二维码（GS1 数字链接或全农码地址）写入 PNG 或 SVG 文件。"""
    with transaction(session_factory()) as session:
        address = batches.address(batches.get(session, scope=operator(), code=code))
    qr.write(address, out_file)
    out.print(f"已写出 {out_file}：{address}", highlight=False)


@trace_app.command("epcis")
@friendly_errors
def trace_epcis(
    code: Annotated[str, typer.Argument(help="批次全农码")],
    out_file: Annotated[Path, typer.Argument(help="输出的 JSON 文件")],
) -> None:
    """把批次的追溯事件导出为 EPCIS 2.0 JSON-LD 文档。"""
    with transaction(session_factory()) as session:
        document = epcis.for_batch(session, scope=operator(), code=code)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    out.print(f"已写出 {out_file}：{len(document['epcisBody']['eventList'])} 个事件")


@trace_app.command("resolve")
@friendly_errors
def trace_resolve(
    uri: Annotated[str, typer.Argument(help="GS1 数字链接、全农码地址或全农码")],
) -> None:
    """把数字链接或全农码地址解析为批次，打印批次全农码、产品与批次号。"""
    with transaction(session_factory()) as session:
        batch = batches.resolve(session, scope=operator(), text=uri)
        product = batches.get_product(session, scope=operator(), product_id=batch.product_id)
        typer.echo(f"{batch.code}\t{product.name}\t{batch.lot}")


@trace_app.command("certificate")
@friendly_errors
def trace_certificate(
    code: Annotated[str, typer.Argument(help="批次全农码")],
    out_file: Annotated[Path, typer.Argument(help="输出的 PDF 文件")],
    size: Annotated[str, typer.Option(help="纸张：a4、100x70、70x50 或 60x40（毫米）")] = "a4",
    copies: Annotated[int, typer.Option(help="份数", min=1, max=1000)] = 8,
    basis: Annotated[str, typer.Option(help="承诺依据（首次开具时）")] = "自我承诺",
) -> None:
    """开具（如尚未开具）并打印承诺达标合格证 PDF。"""
    with transaction(session_factory()) as session:
        certificates.issue(session, scope=operator(), code=code, basis=basis)
        sheet = certificates.sheet_of(session, scope=operator(), code=code)
    label = certificates.LabelSize.from_name(size)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_bytes(certificates.render_pdf(sheet, label, copies))
    out.print(f"已写出 {out_file}：{copies} 张 {label.value} 合格证")


@trace_app.command("inspector")
@friendly_errors
def trace_inspector(
    name: Annotated[str, typer.Argument(help="用户名（干部账号）")],
    agency: Annotated[str, typer.Option(help="检测机构名称，如“万州区农产品质量安全检测站”")] = "",
    region: Annotated[str, typer.Option(help="检测范围的区划代码，通常为区县")] = "",
    remove: Annotated[bool, typer.Option("--remove", help="取消登记")] = False,
) -> None:
    """把账号登记为检测机构（或取消）：检测结果只能由生产经营主体本身或检测机构账号记录。"""
    with transaction(session_factory()) as session:
        user = users.get_by_name(session, scope=operator(), name=name)
        if remove:
            inspectors.remove(session, scope=operator(), user_id=user.id)
            out.print(f"已取消 {user.name} 的检测机构登记")
            return
        found = inspectors.register(
            session, scope=operator(), user_id=user.id, agency=agency, region_code=region
        )
        out.print(f"已登记 {user.name} 为检测机构：{found.agency}（{found.region_code}）")
