"""The screenshots in docs/screenshots, taken again: ``make screenshots``.

Builds the small demo in a temporary directory, serves it, signs in with headless Chromium
as each shot's demo account and writes one PNG per shot. A shot is one line of
:data:`SHOTS`; the picture is taken once the page shows what the shot's ``ready`` selector
waits for.

    python -m tests.screenshots [--scale small] [--out docs/screenshots]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page

from tests.browser import DESKTOP, PHONE, browser_page, log_in, served
from yunong.demo.users import DEMO_PASSWORD

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
MAP_READY = "#land-map[data-outlines]:not([data-outlines='0'])"
"""The one map has drawn its region outlines (and, in the same step, parcels or villages)."""


@dataclass(frozen=True)
class Shot:
    name: str
    """The file's name, without .png."""
    account: str
    """The demo account that signs in."""
    path: str
    viewport: dict[str, int]
    ready: str = "main"
    """A CSS selector the page shows once it is worth a picture."""


HOME_ACCOUNTS = (
    "demo_city",
    "demo_district",
    "demo_town",
    "demo_village",
    "demo_grid",
    "demo_accountant",
    "demo_bank",
    "demo_producer",
)
"""Every demo account, whose home page (its 待办 on top) is shot at both sizes."""
HOME_READY = ".todo"

SHOTS = [
    Shot("map-district-desktop", "demo_district", "/apps/land", DESKTOP, MAP_READY),
    Shot("map-district-phone", "demo_district", "/apps/land", PHONE, MAP_READY),
    Shot("map-town-desktop", "demo_town", "/apps/land", DESKTOP, MAP_READY),
] + [
    Shot(f"home-{account.removeprefix('demo_')}-{size}", account, "/", viewport, HOME_READY)
    for account in HOME_ACCOUNTS
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE))
]
COLOURS = 256
"""Pictures are kept as palette PNGs: a page of flat colours loses nothing a reader sees."""


def build_demo(scale: str, var_dir: Path) -> str:
    """The demo at ``scale`` in ``var_dir``, built by ``yunong demo``; its database URL."""
    url = f"sqlite:///{var_dir / 'yunong.db'}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("YUNONG_")}
    env |= {"YUNONG_DB_URL": url, "YUNONG_VAR_DIR": str(var_dir)}
    command = [sys.executable, "-m", "yunong", "demo", "--scale", scale]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"演示数据生成失败：\n{done.stdout}\n{done.stderr}")
    return url


def take(page: Page, shot: Shot, out: Path) -> Path:
    log_in(page, shot.account, DEMO_PASSWORD)
    page.goto(shot.path)
    page.wait_for_selector(shot.ready, timeout=60_000)
    page.wait_for_load_state("networkidle")
    path = out / f"{shot.name}.png"
    page.screenshot(path=path)
    small = Image.open(path).convert("RGB").quantize(colors=COLOURS)
    small.save(path, optimize=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description="重新生成 docs/screenshots 中的截图")
    parser.add_argument("--scale", default="small", help="演示数据规模（默认 small）")
    parser.add_argument("--out", type=Path, default=OUT, help="截图写入的目录")
    arguments = parser.parse_args()
    arguments.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="yunong-screenshots-") as directory:
        var_dir = Path(directory)
        started = time.monotonic()
        url = build_demo(arguments.scale, var_dir)
        print(f"演示数据（{arguments.scale}）已生成，用时 {time.monotonic() - started:.0f} 秒")
        with served(url, var_dir) as address:
            for shot in SHOTS:
                with browser_page(address, shot.viewport) as page:
                    path = take(page, shot, arguments.out)
                print(f"{path}（{path.stat().st_size // 1024} KB）")


if __name__ == "__main__":
    main()
