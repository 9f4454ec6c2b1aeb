"""The application list: every application plugs in through it, and only through it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import fastapi
import typer

from yunong import apps
from yunong.core.application import resolve
from yunong.core.auth.roles import Role

SOURCE = Path(apps.__file__).parent
PLATFORM_FOLDERS = {"core", "store", "policy", "web", "demo"}
"""Folders of the platform itself, not applications."""


def test_every_application_folder_is_in_the_list():
    folders = {
        path.name
        for path in SOURCE.iterdir()
        if path.is_dir() and (path / "__init__.py").exists() and path.name not in PLATFORM_FOLDERS
    }
    listed = {path.removeprefix("yunong.") for path in apps.APPLICATIONS}
    assert folders - listed == set()


def test_every_part_an_application_declares_exists():
    for app in apps.installed():
        for path in app.parts():
            assert resolve(path) is not None, f"{app.key}: {path}"
        assert all(isinstance(resolve(path), fastapi.APIRouter) for path in app.routers)
        assert all(isinstance(resolve(path), typer.Typer) for _, path in app.commands)
        assert all(callable(resolve(step.function)) for step in app.demo)


def test_application_keys_are_unique():
    keys = [app.key for app in apps.installed()]
    assert len(keys) == len(set(keys))


def test_monitoring_is_not_in_the_menu_of_roles_that_may_not_read_it():
    for role in (Role.BANK_VIEWER, Role.PRODUCER, Role.COLLECTIVE_ACCOUNTANT):
        assert "/apps/monitor" not in [entry.path for entry in apps.navigation(role.value)]
    assert "/apps/monitor" in [entry.path for entry in apps.navigation(Role.GRID_WORKER.value)]


def test_demo_steps_run_in_stage_order():
    stages = [step.stage for step in apps.demo_steps()]
    assert stages == sorted(stages)


# Registering the sample application adds a table to the shared metadata, so it is done in
# a process of its own.
APPEARS_EVERYWHERE = """
import json, sys
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from yunong import apps
apps.APPLICATIONS.append("tests.sample_app")
from yunong import cli
from yunong.assess import registry
from yunong.store.all_models import Base
from yunong.web.app import create_app
found = {}
found["table"] = "sample_note" in Base.metadata.tables
found["route"] = TestClient(create_app()).get("/api/sample/notes").json()
found["command"] = CliRunner().invoke(cli.app, ["sample", "hello"]).output.strip()
found["menu"] = [entry.title for entry in apps.navigation("grid_worker")]
found["indicator"] = registry.get("sample.notes").__name__
found["demo"] = [step.function for step in apps.demo_steps()]
print(json.dumps(found, ensure_ascii=False))
"""


def test_a_new_application_appears_everywhere_once_listed(tmp_path):
    root = Path(__file__).parent.parent
    environment = os.environ | {
        "PYTHONPATH": str(root),
        "YUNONG_VAR_DIR": str(tmp_path),
        "YUNONG_DB_URL": f"sqlite:///{tmp_path / 'yunong.db'}",
    }
    subprocess.run(
        [sys.executable, "-m", "yunong", "init"], env=environment, check=True, capture_output=True
    )
    finished = subprocess.run(
        [sys.executable, "-c", APPEARS_EVERYWHERE],
        env=environment,
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, finished.stderr
    found = json.loads(finished.stdout.splitlines()[-1])
    assert found["table"] is True
    assert found["route"] == ["样例"]
    assert found["command"] == "样例应用在此"
    assert "样例应用" in found["menu"]
    assert found["indicator"] == "notes"
    assert "tests.sample_app.demo:add_notes" in found["demo"]
