"""Every setting and every command is documented in the README."""

from pathlib import Path

import typer.main

from yunong.cli import app
from yunong.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group: typer.Typer, prefix: str = "yunong") -> list[str]:
    click_group = typer.main.get_command(group)
    found = []
    for name, command in click_group.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):
            found += [f"{prefix} {name} {sub}" for sub in command.commands]
        else:
            found.append(f"{prefix} {name}")
    return found


def test_every_setting_is_documented():
    missing = [
        f"YUNONG_{name.upper()}"
        for name in Settings.model_fields
        if f"YUNONG_{name.upper()}" not in README
    ]
    assert missing == []


def test_every_command_is_documented():
    missing = [command for command in commands(app) if f"`{command}" not in README]
    assert missing == []
