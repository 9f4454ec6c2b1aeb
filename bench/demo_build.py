"""`yunong demo --scale chongqing` against `--scale tiny` (start-up and migrations alone)."""

from bench.timing import scratch_dir, yunong_command


def run() -> None:
    tiny = yunong_command("demo", "--scale", "tiny", var_dir=scratch_dir())
    full = yunong_command("demo", "--scale", "chongqing", var_dir=scratch_dir())
    print(f"demo --scale tiny (baseline): {tiny:.2f} s")
    print(f"demo --scale chongqing:       {full:.2f} s  ratio {full / tiny:.2f}x")
