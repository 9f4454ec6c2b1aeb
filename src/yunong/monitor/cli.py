"""`yunong import …` and `yunong monitor …` commands."""

import typer

import_app = typer.Typer(help="导入：农户花名册、部门筛查数据", no_args_is_help=True)
monitor_app = typer.Typer(help="防返贫监测：筛查、台账", no_args_is_help=True)
