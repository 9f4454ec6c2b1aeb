"""`make demo` builds the data, serves the app and prints its address."""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

from tests.browser import free_port

ROOT = Path(__file__).resolve().parent.parent


def test_make_demo_serves_the_home_page_with_all_38_districts(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("YUNONG_")}
    env |= {"YUNONG_VAR_DIR": str(tmp_path), "YUNONG_PORT": str(free_port())}
    demo = subprocess.Popen(
        ["make", "--no-print-directory", "demo", "SCALE=tiny"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        address = wait_for_address(demo)
        page = curl_until_served(address)
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=30)
    assert len(re.findall(r"<tr data-code=\"50\d{4}\">", page)) == 38


def wait_for_address(process: subprocess.Popen) -> str:
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        found = re.search(r"已启动：(http://\S+?/)", line)
        if found:
            return found.group(1)
    raise AssertionError("make demo ended without printing its address:\n" + "".join(seen))


def curl_until_served(address: str) -> str:
    for _ in range(60):
        result = subprocess.run(["curl", "-fsS", address], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout
        time.sleep(0.5)
    raise AssertionError(f"{address} did not answer: {result.stderr}")
