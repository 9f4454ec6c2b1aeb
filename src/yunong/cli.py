"""The ``yunong`` command line."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from yunong import apps
from yunong.cli_support import (
    MaxMb,
    MaxRows,
    err,
    friendly_errors,
    import_limits,
    operator,
    out,
    progress_bar,
    session_factory,
)
from yunong.core import files
from yunong.core.audit import checkpoint as audit_checkpoint
from yunong.core.audit import service as audit
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.errors import YunongError
from yunong.core.identity import codes as identity_codes
from yunong.core.identity import service as identity
from yunong.core.masking import mask_phone
from yunong.core.regions import boundaries as region_boundaries
from yunong.core.regions import codes as region_codes
from yunong.core.regions import importers as region_importers
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.settings import get_settings
from yunong.store.db import transaction
from yunong.store.open import open_engine

app = typer.Typer(
    help="渝农大脑 Yunong：乡村振兴数字化平台", no_args_is_help=True, pretty_exceptions_enable=False
)
regions_app = typer.Typer(help="行政区划：查询与导入", no_args_is_help=True)
code_app = typer.Typer(help="全农码：校验与查询", no_args_is_help=True)
app.add_typer(regions_app, name="regions")
app.add_typer(code_app, name="code")
user_app = typer.Typer(
    help="用户：新增、列出、停用、改密码、改角色、签发与吊销 API 令牌", no_args_is_help=True
)
audit_app = typer.Typer(help="审计记录：校验哈希链", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
for command_name, sub_app in apps.commands():
    app.add_typer(sub_app, name=command_name)


@app.command()
@friendly_errors
def init() -> None:
    """创建或升级数据库，并载入重庆市 38 个区县。"""
    factory = session_factory(create=True)
    with transaction(factory) as session:
        report = region_importers.load_districts(session)
    out.print(f"数据库已就绪：{get_settings().database_url()}（区县新增 {report.inserted} 个）")


@app.command()
@friendly_errors
def demo(
    scale: Annotated[str, typer.Option(help="规模：tiny、small 或 chongqing")] = "small",
) -> None:
    """生成演示数据（可重复运行，结果相同）。"""
    from yunong.demo.build import build

    engine = open_engine(get_settings().database_url(), create=True)
    with progress_bar() as bar:
        tasks: dict[str, Any] = {}

        def advance(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total)
            bar.update(tasks[step], completed=done)

        result = build(engine, scale_name=scale, progress=advance)
    summary = "，".join(f"{label} {number}" for label, number in result.regions.items())
    out.print(f"演示数据（{scale}）已生成：{summary}")
    table = Table("用户名", "密码", "角色", "区划", title="演示账号")
    for name, password, role, region in result.accounts:
        table.add_row(name, password, role, region)
    out.print(table)


@app.command()
@friendly_errors
def serve(
    host: Annotated[str | None, typer.Option(help="监听地址")] = None,
    port: Annotated[int | None, typer.Option(help="端口")] = None,
    workers: Annotated[
        int | None, typer.Option(help="服务进程数（默认按 CPU 核数，或 YUNONG_WORKERS）")
    ] = None,
) -> None:
    """启动网页与 API 服务（多进程；收到 SIGTERM 时处理完手头的请求再退出）。"""
    from yunong.web import serving

    settings = get_settings()
    count = serving.worker_count(settings, workers)
    address = f"http://{host or settings.host}:{port or settings.port}/"
    out.print(f"渝农大脑已启动：{address}（API 文档 {address}api/docs，{count} 个服务进程）")
    serving.run(settings, host=host or settings.host, port=port or settings.port, workers=count)


@regions_app.command("list")
@friendly_errors
def regions_list(
    level: Annotated[
        str | None, typer.Option(help="层级：district、town 或 village（区县、乡镇、村）")
    ] = None,
    under: Annotated[str | None, typer.Option(help="只列出此区划代码以内的")] = None,
) -> None:
    """列出区划代码与名称，每行一个。"""
    wanted = region_codes.Level.from_name(level) if level else None
    with transaction(session_factory()) as session:
        found = regions.get_all(session, scope=Scope.system(), level=wanted, under=under)
        for region in found:
            typer.echo(f"{region_codes.short_form(region.code)}\t{region.name}")


@regions_app.command("import")
@friendly_errors
def regions_import(
    file: Annotated[
        Path, typer.Argument(help="统计用区划代码 CSV：代码、名称，以及上级代码或级别")
    ],
    max_mb: MaxMb = None,
    max_rows: MaxRows = None,
) -> None:
    """导入统计用区划代码表；重复导入不会改变结果。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        report = region_importers.import_division_codes(session, path=file)
    for error in report.errors:
        err.print(str(error), highlight=False)
    out.print(
        f"新增 {report.inserted}，更新 {report.updated}，未变 {report.unchanged}，"
        f"拒绝 {len(report.errors)}"
    )
    if report.errors:
        raise typer.Exit(1)


@regions_app.command("boundaries")
@friendly_errors
def regions_boundaries(
    file: Annotated[
        Path, typer.Argument(help="区划边界图层：GeoPackage、Shapefile 或 GeoJSON，每个区划一个面")
    ],
    crs: Annotated[str | None, typer.Option(help="文件没有坐标系信息时指定，如 EPSG:4545")] = None,
    code_field: Annotated[
        str | None, typer.Option(help="区划代码字段名（默认识别 XZQDM、QHDM、行政区划代码 等）")
    ] = None,
) -> None:
    """导入区划边界图层，并由边界算出各区划的中心点；有要素被拒绝时整层不导入。"""
    with transaction(session_factory()) as session:
        result = region_boundaries.import_boundaries(
            session, scope=operator(), path=file, crs=crs, code_field=code_field
        )
    for refused in result.refused:
        err.print(str(refused), highlight=False)
    out.print(result.summary(), highlight=False)
    if result.refused:
        raise typer.Exit(1)


@code_app.command("check")
@friendly_errors
def code_check(code: Annotated[str, typer.Argument(help="全农码")]) -> None:
    """校验全农码；数据库中已登记的，同时显示其类别与区划。"""
    parsed = identity_codes.parse(code)
    out.print(
        f"{parsed.code} 校验通过：{parsed.kind.label}类，区划 {parsed.region_code}，"
        f"序号 {parsed.serial}",
        highlight=False,
    )
    try:
        with transaction(session_factory()) as session:
            entry = identity.get(session, scope=Scope.system(), code=parsed.code)
            out.print(
                f"已登记：{entry.entity_type} {entry.entity_id}，签发于 {entry.issued_at:%Y-%m-%d}",
                highlight=False,
            )
    except YunongError as error:
        out.print(error.message, highlight=False)


@user_app.command("add")
@friendly_errors
def user_add(
    name: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[str, typer.Option(help="角色：中文名称或英文标识，如 村干部 或 village_cadre")],
    region: Annotated[str, typer.Option(help="所属区划代码")],
    password: Annotated[
        str,
        typer.Option(
            help="初始密码（至少 10 位，不能是常见或易猜的密码）",
            prompt="密码",
            hide_input=True,
            confirmation_prompt=True,
        ),
    ],
    full_name: Annotated[str, typer.Option(help="姓名")] = "",
    phone: Annotated[str | None, typer.Option(help="手机号码")] = None,
    household: Annotated[
        str | None, typer.Option(help="农户账号所代表农户的全农码（仅农户账号）")
    ] = None,
) -> None:
    """新增用户，绑定一个区划（农户账号另绑定本村的一户）。"""
    with transaction(session_factory()) as session:
        user = users.create(
            session,
            scope=operator(),
            user_in=users.UserIn(
                name=name,
                role=role,
                region_code=region,
                password=password,
                full_name=full_name,
                phone=phone,
                household_code=household,
            ),
        )
        out.print(f"已新增用户 {user.name}（{Role(user.role).label}，{user.region_code}）")


@user_app.command("list")
@friendly_errors
def user_list() -> None:
    """列出全部用户（手机号脱敏）。"""
    table = Table("用户名", "姓名", "角色", "区划", "手机号码", "状态")
    with transaction(session_factory()) as session:
        for user in users.get_all(session, scope=operator()):
            table.add_row(
                user.name,
                user.full_name,
                Role(user.role).label,
                user.region_code,
                mask_phone(user.phone),
                "已停用" if user.disabled else "正常",
            )
    out.print(table)


@user_app.command("disable")
@friendly_errors
def user_disable(name: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """停用用户；其会话随即结束，API 令牌全部吊销（再启用也不会恢复）。"""
    with transaction(session_factory()) as session:
        user = users.get_by_name(session, scope=operator(), name=name)
        users.set_disabled(session, scope=operator(), user_id=user.id, disabled=True)
    out.print(f"已停用 {name}")


@user_app.command("passwd")
@friendly_errors
def user_passwd(
    name: Annotated[str, typer.Argument(help="用户名")],
    password: Annotated[
        str,
        typer.Option(
            help="新密码（至少 10 位，不能是常见或易猜的密码）",
            prompt="新密码",
            hide_input=True,
            confirmation_prompt=True,
        ),
    ],
) -> None:
    """重设密码；该用户已登录的会话全部结束，API 令牌全部吊销。"""
    with transaction(session_factory()) as session:
        user = users.get_by_name(session, scope=operator(), name=name)
        users.set_password(session, scope=operator(), user_id=user.id, password=password)
    out.print(f"已重设 {name} 的密码")


@user_app.command("role")
@friendly_errors
def user_role(
    name: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[str, typer.Argument(help="新角色：中文名称或英文标识")],
    region: Annotated[str | None, typer.Option(help="新的所属区划代码（默认不变）")] = None,
) -> None:
    """修改用户的角色（及所属区划）；该用户已登录的会话全部结束。"""
    with transaction(session_factory()) as session:
        user = users.get_by_name(session, scope=operator(), name=name)
        users.set_role(session, scope=operator(), user_id=user.id, role=role, region_code=region)
        out.print(f"{name} 现为{Role(user.role).label}（{user.region_code}）")


@user_app.command("token")
@friendly_errors
def user_token(
    name: Annotated[str, typer.Argument(help="用户名")],
    expires: Annotated[
        int | None,
        typer.Option(help="有效天数（默认 YUNONG_TOKEN_DAYS，即 90 天）", min=1, max=3650),
    ] = None,
    label: Annotated[str, typer.Option(help="令牌名称，说明谁在何处使用")] = "",
) -> None:
    """签发新的 API 令牌并打印（只显示这一次）。"""
    days = expires or get_settings().token_days
    with transaction(session_factory()) as session:
        user = users.get_by_name(session, scope=operator(), name=name)
        token = users.create_token(
            session, scope=operator(), user_id=user.id, days=days, label=label
        )
    typer.echo(token)


@user_app.command("tokens")
@friendly_errors
def user_tokens(name: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """列出用户的 API 令牌：编号、名称、签发、到期、最近使用与状态（从不显示令牌本身）。"""
    table = Table("编号", "名称", "签发时间", "到期时间", "最近使用", "状态", title=name)
    with transaction(session_factory()) as session:
        user = users.get_by_name(session, scope=operator(), name=name)
        for token in users.get_tokens(session, scope=operator(), user_id=user.id):
            table.add_row(
                str(token.id),
                token.label,
                f"{token.created_at:%Y-%m-%d %H:%M}",
                f"{token.expires_at:%Y-%m-%d %H:%M}",
                f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "从未使用",
                users.token_state(token),
            )
    out.print(table)


@user_app.command("revoke")
@friendly_errors
def user_revoke(
    name: Annotated[str, typer.Argument(help="用户名")],
    token_id: Annotated[int, typer.Argument(help="令牌编号（见 yunong user tokens）")],
) -> None:
    """吊销用户的一个 API 令牌；其他令牌不受影响。"""
    with transaction(session_factory()) as session:
        user = users.get_by_name(session, scope=operator(), name=name)
        users.revoke_token(session, scope=operator(), user_id=user.id, token_id=token_id)
    out.print(f"已吊销 {name} 的令牌 {token_id}")


@audit_app.command("verify")
@friendly_errors
def audit_verify(
    checkpoint_file: Annotated[
        Path | None,
        typer.Option("--checkpoint", help="同时对照此检查点，发现末尾被删除或整链被重算"),
    ] = None,
) -> None:
    """校验审计记录的哈希链，指出第一条被改动或删除的记录。"""
    mark = audit_checkpoint.read(checkpoint_file) if checkpoint_file else None
    with transaction(session_factory()) as session:
        verdict = audit_checkpoint.verify(session, mark) if mark else audit.verify(session)
    if verdict.intact:
        against = f"，与检查点（第 {mark.seq} 条，{mark.taken_at}）相符" if mark else ""
        out.print(f"审计链完好：共 {verdict.checked} 条记录{against}")
        return
    err.print(
        f"[red]审计链已损坏：[/red]{verdict.reason}（此前 {verdict.checked} 条完好）",
        highlight=False,
    )
    raise typer.Exit(1)


@audit_app.command("checkpoint")
@friendly_errors
def audit_checkpoint_write(
    out_file: Annotated[Path, typer.Argument(help="检查点文件，如 audit-2024-12-01.json")],
) -> None:
    """写出签名的审计检查点（最新一条记录的序号与哈希），请保存在数据库服务器以外。"""
    with transaction(session_factory()) as session:
        mark = audit_checkpoint.take(session)
    audit_checkpoint.write(mark, out_file)
    out.print(f"检查点已写入 {out_file}：第 {mark.seq} 条，哈希 {mark.hash[:16]}…")


def main() -> None:  # pragma: no cover - console entry point
    app(prog_name="yunong")
    sys.exit(0)
