"""What every command shares: Chinese error lines, the database, progress bars, the operator."""

import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.orm import Session, sessionmaker

from yunong.core.errors import YunongError
from yunong.core.files import MB, FileLimits
from yunong.core.scope import Scope
from yunong.settings import get_settings
from yunong.store.db import make_sessionmaker
from yunong.store.open import open_engine

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Show an error as one Chinese line and a non-zero exit; never a traceback.

    ``YUNONG_DEBUG=1`` lets unexpected errors through with their traceback.
    """

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            # The reader (``| head``) left early: stop quietly, as Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except YunongError as error:
            err.print(f"[red]错误：[/red]{error.message}", highlight=False)
            raise typer.Exit(1) from None
        except Exception as error:
            if os.environ.get("YUNONG_DEBUG"):
                raise
            err.print(
                f"[red]内部错误：[/red]{type(error).__name__}: {error}"
                "（设置 YUNONG_DEBUG=1 可查看详情）",
                highlight=False,
            )
            raise typer.Exit(2) from None

    return run


def session_factory(*, create: bool = False) -> sessionmaker[Session]:
    return make_sessionmaker(open_engine(get_settings().database_url(), create=create))


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


def operator() -> Scope:
    """Command-line maintenance acts for the whole city, recorded under the OS account."""
    return Scope.system(f"cli:{getpass.getuser()}")


MaxMb = Annotated[
    float | None,
    typer.Option("--max-mb", help="放宽文件大小上限（MB；默认 YUNONG_UPLOAD_MAX_MB）"),
]
MaxRows = Annotated[
    int | None,
    typer.Option("--max-rows", help="放宽行数上限（默认 YUNONG_UPLOAD_MAX_ROWS）"),
]


def import_limits(max_mb: float | None = None, max_rows: int | None = None) -> FileLimits:
    """The limits an imported file is held to: the uploads' own, raised by the flags.
    Raising the size raises the unpacked size with it, and the rows the cells."""
    limits = get_settings().upload_limits()
    if max_mb is not None and max_mb * MB > limits.max_bytes:
        factor = max_mb * MB / limits.max_bytes
        limits = replace(
            limits,
            max_bytes=int(max_mb * MB),
            max_unzipped_bytes=int(limits.max_unzipped_bytes * factor),
        )
    if max_rows is not None and max_rows > limits.max_rows:
        factor = max_rows / limits.max_rows
        limits = replace(limits, max_rows=max_rows, max_cells=int(limits.max_cells * factor))
    return limits
