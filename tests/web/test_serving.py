"""`yunong serve` under a crowd, behind a proxy, and when told to stop (issue 20, findings 2
and 12)."""

import asyncio
import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.web.serving import UPLOAD, XLSX, built_world, command_of, running
from yunong.core.auth.roles import Role

pytestmark = pytest.mark.db
CROWD = 60
"""Signed-in requests at once: more than the 40 threads that used to deadlock."""


@pytest.fixture(scope="module")
def world_url(module_db_url):
    return module_db_url, built_world(module_db_url)


async def crowd(address: str, world) -> list[httpx.Response | Exception]:
    """Reads and writes by several roles, and pages that answer with an error page, all at
    once."""
    officer = {"Authorization": f"Bearer {world.accounts[Role.DISTRICT_OFFICER].token}"}
    village = {"Authorization": f"Bearer {world.accounts[Role.VILLAGE_CADRE].token}"}
    limits = httpx.Limits(max_connections=CROWD)
    async with httpx.AsyncClient(base_url=address, timeout=60, limits=limits) as client:

        def one(number: int):
            if number % 4 == 0:
                body = {"disabled": False}
                return client.patch(
                    f"/api/users/{world.user_in_village}", json=body, headers=officer
                )
            if number % 4 == 1:
                return client.get("/api/me", headers=village)
            if number % 4 == 2:
                return client.get("/api/regions", params={"under": "500101"}, headers=officer)
            return client.get("/c/T500101108201ZZZZZZX")

        return await asyncio.gather(
            *(one(number) for number in range(CROWD)), return_exceptions=True
        )


def test_a_crowd_of_signed_in_requests_is_answered_without_a_server_error(world_url, tmp_path):
    db_url, world = world_url
    with running(db_url, tmp_path, YUNONG_WORKERS="2") as (address, _):
        answers = asyncio.run(crowd(address, world))
    errors = [answer for answer in answers if isinstance(answer, Exception)]
    assert errors == []
    statuses = [answer.status_code for answer in answers]
    assert all(status in (200, 404, 503) for status in statuses), statuses
    busy = [answer for answer in answers if answer.status_code == 503]
    assert all(answer.headers["retry-after"] for answer in busy)
    assert statuses.count(200) + statuses.count(404) >= CROWD * 0.9
    assert set(statuses[3::4]) <= {404, 503}


def public_statuses(address: str, forwarded: list[str]) -> list[int]:
    """The public scan page asked once from each forwarded address, all from 127.0.0.1."""
    statuses = []
    for client_address in forwarded:
        response = httpx.get(
            f"{address}/c/T500101108201ZZZZZZX", headers={"X-Forwarded-For": client_address}
        )
        statuses.append(response.status_code)
        time.sleep(0.6)  # each process has sent its counts and read the others' by then
    return statuses


def test_forwarded_addresses_are_ignored_unless_the_proxy_is_trusted(private_db_url, tmp_path):
    db_url = private_db_url
    forwarded = [f"203.0.113.{number}" for number in range(1, 7)]
    settings = {"YUNONG_WORKERS": "2", "YUNONG_PUBLIC_RATE_PER_MINUTE": "3"}
    with running(db_url, tmp_path, **settings) as (address, _):
        statuses = public_statuses(address, forwarded)
    # Six "clients" behind an untrusted peer are the one client they come from: three
    # requests, and at most one more from the process that had not met it yet.
    assert statuses[:3] == [404, 404, 404]
    assert statuses.count(429) >= 2, statuses


def test_a_trusted_proxys_forwarded_addresses_are_separate_clients(private_db_url, tmp_path):
    db_url = private_db_url
    forwarded = [f"203.0.113.{number}" for number in range(1, 5)]
    settings = {
        "YUNONG_WORKERS": "2",
        "YUNONG_PUBLIC_RATE_PER_MINUTE": "3",
        "YUNONG_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8",
    }
    with running(db_url, tmp_path, **settings) as (address, _):
        assert public_statuses(address, forwarded) == [404, 404, 404, 404]
        # One of them asking again and again, through either process, meets its limit.
        again = public_statuses(address, ["203.0.113.1"] * 5)
    assert again[:2] == [404, 404]
    assert again.count(429) >= 2, again


def test_on_sigterm_the_server_finishes_the_upload_in_hand_and_exits(world_url, tmp_path):
    db_url, world = world_url
    officer = {"Authorization": f"Bearer {world.accounts[Role.DISTRICT_OFFICER].token}"}
    with running(db_url, tmp_path, YUNONG_WORKERS="1") as (address, process):
        with httpx.Client(base_url=address, timeout=60) as client:
            template = client.get(
                "/assess/2024/data/500101000000/template.xlsx", headers=officer
            ).content

            async def upload_then_stop() -> httpx.Response:
                async with httpx.AsyncClient(base_url=address, timeout=60) as async_client:
                    sent = asyncio.create_task(
                        async_client.post(
                            UPLOAD, files={"file": ("填报.xlsx", template, XLSX)}, headers=officer
                        )
                    )
                    while not reading_child(process.pid):
                        await asyncio.sleep(0.05)
                    os.kill(process.pid, signal.SIGTERM)
                    return await sent

            answer = asyncio.run(upload_then_stop())
        assert answer.status_code == 200
        # uvicorn, having shut down, lets the signal end the process as it was meant to.
        assert process.wait(timeout=40) in (0, -signal.SIGTERM)


def reading_child(pid: int) -> bool:
    """Whether the server has started the process that reads its uploads."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return any("forkserver" in command_of(int(child)) for child in children)
