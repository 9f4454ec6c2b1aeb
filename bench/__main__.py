"""Run every benchmark: ``make bench`` or ``python -m bench [name ...]``."""

import sys

from bench import demo_build, demo_households, identity_codes, monitor_import, monitor_screen

BENCHES = {
    "demo_build": demo_build.run,
    "demo_households": demo_households.run,
    "identity_codes": identity_codes.run,
    "monitor_import": monitor_import.run,
    "monitor_screen": monitor_screen.run,
}


def main(names: list[str]) -> None:
    for name in names or list(BENCHES):
        print(f"== {name}")
        BENCHES[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
