"""`yunong serve` as an operator starts it, for the tests of its processes, and the world it
serves (a district officer who reports for 万州区, a city admin who adds users)."""

import io
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl

from tests.browser import free_port, wait_until_answering
from tests.factories import make_world
from yunong.store.db import make_engine, make_sessionmaker, transaction

TEMPLATE = "/assess/2024/data/500101000000/template.xlsx"
UPLOAD = "/assess/2024/data/500101000000/upload"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ITEMS = (
    "grain_sown_area",
    "demonstration_villages",
    "demonstration_courtyards",
    "black_odorous_water_bodies",
    "vegetable_output",
    "municipal_leading_enterprises",
)
"""Indicators whose valid range holds any version number an upload writes."""


def built_world(db_url: str):
    engine = make_engine(db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
    engine.dispose()
    return world


@contextmanager
def running(db_url: str, var_dir: Path, **settings: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`yunong serve` in its own process group; yields its address and process."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("YUNONG_")}
    env |= {"YUNONG_DB_URL": db_url, "YUNONG_PORT": str(port), "YUNONG_VAR_DIR": str(var_dir)}
    env |= settings
    log = (var_dir / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "yunong", "serve"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(address, process)
        yield address, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        log.close()


def workers(process: subprocess.Popen) -> list[int]:
    """The server's worker processes (uvicorn starts each with multiprocessing's spawn)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    return [int(pid) for pid in children if "spawn_main" in command_of(int(pid))]


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def version_of(template: bytes, version: int) -> bytes:
    """The template with every one of :data:`ITEMS` set to ``version``."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        if row[3].value in ITEMS:
            row[9].value = version
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
