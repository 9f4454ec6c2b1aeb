"""`yunong demo --scale chongqing` against `--scale tiny` (start-up and migrations alone)."""

import shutil

from bench.timing import scratch_dir, yunong_command


def demo(scale: str) -> float:
    var_dir = scratch_dir()
    try:
        return yunong_command("demo", "--scale", scale, var_dir=var_dir)
    finally:
        shutil.rmtree(var_dir)  # the chongqing database takes about 6 GB


def run() -> None:
    tiny = demo("tiny")
    full = demo("chongqing")
    print(f"demo --scale tiny (baseline): {tiny:.2f} s")
    print(f"demo --scale chongqing:       {full:.2f} s  ratio {full / tiny:.2f}x")
