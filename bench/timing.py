"""Small timing helpers shared by the benchmarks."""

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def yunong_command(*args: str, var_dir: Path) -> float:
    """Wall time of one ``yunong`` command in a fresh process, as a user would run it."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("YUNONG_")}
    env["YUNONG_VAR_DIR"] = str(var_dir)
    command = [sys.executable, "-m", "yunong", *args]
    return seconds(lambda: subprocess.run(command, env=env, check=True, capture_output=True))


def scratch_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="yunong-bench-"))
