"""Run every benchmark: ``make bench`` or ``python -m bench [name ...]``."""

import sys

from bench import (
    collective,
    demo_build,
    demo_cases,
    demo_households,
    exchange_auction,
    farmland_overlay,
    identity_codes,
    land_import,
    land_map,
    land_overlay,
    land_stats,
    list_pages,
    monitor_import,
    monitor_screen,
    serve_load,
    services,
    trace_scan,
)

BENCHES = {
    "collective": collective.run,
    "demo_build": demo_build.run,
    "demo_cases": demo_cases.run,
    "demo_households": demo_households.run,
    "exchange_auction": exchange_auction.run,
    "farmland_overlay": farmland_overlay.run,
    "identity_codes": identity_codes.run,
    "land_import": land_import.run,
    "land_map": land_map.run,
    "land_overlay": land_overlay.run,
    "land_stats": land_stats.run,
    "list_pages": list_pages.run,
    "monitor_import": monitor_import.run,
    "monitor_screen": monitor_screen.run,
    "serve_load": serve_load.run,
    "services": services.run,
    "trace_scan": trace_scan.run,
}


def main(names: list[str]) -> None:
    for name in names or list(BENCHES):
        print(f"== {name}")
        BENCHES[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
