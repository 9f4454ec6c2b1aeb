"""A server process killed outright (SIGKILL) while writes are under way loses no write it
confirmed and leaves no import half-written; the other process goes on serving and a new
one takes the dead one's place."""

import os
import signal
import threading
import time

import httpx
import pytest
from sqlalchemy import select

from tests.web.serving import (
    ITEMS,
    TEMPLATE,
    UPLOAD,
    XLSX,
    built_world,
    running,
    version_of,
    workers,
)
from yunong.assess.models import DataSet, Value
from yunong.core.auth.models import User
from yunong.core.auth.roles import Role
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db
PASSWORD = "Yunong-fault-2024"
USERS, UPLOADS = 4, 2
"""Writes of each kind confirmed before the kill, and again after it."""


class Writers:
    """Two clients writing one after another: new users, and template uploads of
    increasing version; each keeps what the server confirmed."""

    def __init__(self, address: str, world, template: bytes) -> None:
        self.address = address
        self.admin = {"Authorization": f"Bearer {world.accounts[Role.CITY_ADMIN].token}"}
        officer = world.accounts[Role.DISTRICT_OFFICER].token
        self.officer = {"Authorization": f"Bearer {officer}"}
        self.template = template
        self.users: list[str] = []
        self.versions: list[int] = []
        self.sent_versions: list[int] = []
        self.failures = 0
        self.stop = threading.Event()

    def add_users(self) -> None:
        number = 0
        with httpx.Client(base_url=self.address, timeout=30) as client:
            while not self.stop.is_set():
                number += 1
                name = f"fault_{number:04d}"
                body = {"name": name, "role": "grid_worker", "region_code": "500101108201"}
                try:
                    response = client.post(
                        "/api/users", json=body | {"password": PASSWORD}, headers=self.admin
                    )
                except httpx.HTTPError:
                    self.failures += 1
                    continue
                if response.status_code == 201:
                    self.users.append(name)

    def upload_versions(self) -> None:
        version = 0
        with httpx.Client(base_url=self.address, timeout=30) as client:
            while not self.stop.is_set():
                version += 1
                content = version_of(self.template, version)
                self.sent_versions.append(version)
                try:
                    response = client.post(
                        UPLOAD,
                        files={"file": ("填报.xlsx", content, XLSX)},
                        headers=self.officer,
                    )
                except httpx.HTTPError:
                    self.failures += 1
                    continue
                if response.status_code == 200:
                    self.versions.append(version)

    def wait_for(self, users: int, uploads: int, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if len(self.users) >= users and len(self.versions) >= uploads:
                return
            time.sleep(0.05)
        raise AssertionError(f"confirmed: {len(self.users)} users, {len(self.versions)} uploads")


def stored(db_url: str) -> tuple[set[str], dict[str, float]]:
    engine = make_engine(db_url)
    with transaction(make_sessionmaker(engine)) as session:
        names = set(session.scalars(select(User.name).where(User.name.like("fault_%"))))
        values = {
            item: float(value)
            for item, value in session.execute(
                select(Value.item, Value.value)
                .join(DataSet, DataSet.id == Value.data_set_id)
                .where(DataSet.period == 2024, DataSet.region_code == "500101000000")
            )
        }
    engine.dispose()
    return names, values


def test_killing_a_worker_during_writes_loses_no_confirmed_write_and_no_import_is_half_written(
    private_db_url, tmp_path
):
    world = built_world(private_db_url)
    with running(private_db_url, tmp_path, YUNONG_WORKERS="2") as (address, process):
        template = httpx.get(
            address + TEMPLATE,
            headers={"Authorization": f"Bearer {world.accounts[Role.DISTRICT_OFFICER].token}"},
        ).content
        writers = Writers(address, world, template)
        threads = [
            threading.Thread(target=writers.add_users),
            threading.Thread(target=writers.upload_versions),
        ]
        for thread in threads:
            thread.start()
        try:
            writers.wait_for(USERS, UPLOADS)
            victim = workers(process)[0]
            os.kill(victim, signal.SIGKILL)
            writers.wait_for(len(writers.users) + USERS, len(writers.versions) + UPLOADS)
        finally:
            writers.stop.set()
            for thread in threads:
                thread.join(timeout=60)
        replaced = workers_after_restart(process)
        assert victim not in replaced and len(replaced) == 2

    names, values = stored(private_db_url)
    assert set(writers.users) <= names
    # Every indicator of the data set holds the same version: one upload, whole.
    assert {values[item] for item in ITEMS} == {float(values[ITEMS[0]])}
    # That version is the last one confirmed, or one sent after it that committed
    # before its answer was lost.
    assert values[ITEMS[0]] >= writers.versions[-1]
    assert int(values[ITEMS[0]]) in writers.sent_versions


def workers_after_restart(process, seconds: float = 60) -> list[int]:
    """The worker processes once uvicorn's supervisor has replaced the dead one (it looks
    every half second, and a new worker takes a while to start on a busy machine)."""
    deadline = time.monotonic() + seconds
    while len(found := workers(process)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    return found
