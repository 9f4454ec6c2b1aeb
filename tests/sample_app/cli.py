import typer

sample_app = typer.Typer(help="样例应用", no_args_is_help=True)


@sample_app.command("hello")
def hello() -> None:
    """打个招呼。"""
    typer.echo("样例应用在此")
