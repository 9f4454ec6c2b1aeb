"""What every browser test needs: the app served from a second process, and Chromium."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# How long an expectation waits for the page to get there; on a busy two-core machine a
# page that scores or writes a report takes more than the default five seconds.
expect.set_options(timeout=15_000)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(db_url: str, var_dir: Path, **settings: str) -> Iterator[str]:
    """`yunong serve` on ``db_url`` in its own process; yields its address once it answers."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("YUNONG_")}
    env |= {"YUNONG_DB_URL": db_url, "YUNONG_PORT": str(port), "YUNONG_VAR_DIR": str(var_dir)}
    # Absolute links (OGC paging, scan addresses) point back at this server.
    env["YUNONG_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    env |= settings
    process = subprocess.Popen(
        [sys.executable, "-m", "yunong", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(address, process)
        yield address
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server; a loaded machine may need it killed after a grace period."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_answering(address: str, process: subprocess.Popen[bytes]) -> None:
    """Up to a minute: a loaded machine can take a while to import the app."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"{address}/api/health", timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{address} 未能启动（进程状态 {process.poll()}）")


@contextmanager
def browser_page(address: str, viewport: dict[str, int] = PHONE) -> Iterator[Page]:
    """A fresh Chromium page on ``address``, in Chinese, at ``viewport`` size."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=viewport, base_url=address, locale="zh-CN")
        try:
            yield context.new_page()
        finally:
            browser.close()


def log_in(page: Page, name: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
