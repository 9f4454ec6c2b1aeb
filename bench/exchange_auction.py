"""1,000 bidders on one auction for 60 s, bids over the API on loopback (issue 23).

Setup, not measured: a migrated database with the city's districts, one listing open for
two hours, 1,000 producer accounts, each registered with its deposit confirmed, and an API
token each. The server is ``yunong serve --workers 2``.

Load: each bidder, on a keep-alive connection of its own, bids again as soon as its answer
is in, one or two increments above the highest bid the load generator has seen accepted, so
most bids race one another and many are refused as under the increment. Baseline, in the
same run against the same server: the health check from the same 1,000 clients for 10 s.

Printed per backend: bids sent, accepted and refused, p50/p95/p99 bid latency, throughput
against the baseline's, and the requirements: no bid lost (every accepted answer is stored
with its number and amount), none duplicated (numbers unique and stored once), bids
serialised in arrival order (numbers 1…n without a gap, amounts rising, times not going back),
no 500 (a 503 with Retry-After, when the request slots are full, is counted apart).
``BENCH_AUCTION_SECONDS`` and ``BENCH_AUCTION_BIDDERS`` shorten a trial run.
"""

import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bench.http import free_port
from bench.serve_load import Connection, backends
from bench.timing import scratch_dir

SECONDS = float(os.environ.get("BENCH_AUCTION_SECONDS", "60"))
BASELINE_SECONDS = 10.0
BIDDERS = int(os.environ.get("BENCH_AUCTION_BIDDERS", "1000"))
RESERVE = Decimal("100000")
INCREMENT = Decimal("100")
VILLAGE = "500101001200"


@dataclass
class Tally:
    accepted: dict[int, Decimal] = field(default_factory=dict)
    duplicates: int = 0
    refused: int = 0
    server_errors: int = 0
    busy: int = 0
    """503 with Retry-After: the server's request slots were full; the bidder may try again."""
    other: int = 0
    latencies: list[float] = field(default_factory=list)
    highest: Decimal = RESERVE - INCREMENT


def prepare(db_url: str) -> tuple[int, list[str]]:
    """The listing and the bidders' tokens."""
    from argon2 import PasswordHasher

    from yunong.core.auth import passwords
    from yunong.core.auth import service as users
    from yunong.core.auth.roles import Role
    from yunong.core.regions.importers import load_districts
    from yunong.core.regions.models import Region
    from yunong.core.scope import Scope
    from yunong.exchange import auction, rules
    from yunong.store.db import make_engine, make_sessionmaker, transaction
    from yunong.store.migrate import upgrade

    # Setting up 1,000 accounts is not what is measured: their passwords cost the least.
    passwords.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    engine = make_engine(db_url)
    upgrade(engine)
    system = Scope.system("bench")
    now = datetime.now(UTC)
    section = rules.section()
    with transaction(make_sessionmaker(engine)) as session:
        load_districts(session)
        session.add(Region(code="500101001000", name="演示镇", level=3, parent_code="500101000000"))
        session.add(Region(code=VILLAGE, name="演示村", level=4, parent_code="500101001000"))
        session.flush()
        listing = auction.create_listing(
            session,
            scope=system,
            listing_in=auction.ListingIn(
                code="BENCH-0001",
                kind="land_management",
                title="耕地经营权 10 年",
                region_code=VILLAGE,
                seller="演示村股份经济合作联合社",
                area_mu=Decimal("120"),
                reserve_yuan=RESERVE,
                increment_yuan=INCREMENT,
                deposit_yuan=Decimal("5000"),
                starts_at=now - timedelta(minutes=1),
                ends_at=now + timedelta(hours=2),
                term_years=10,
            ),
            rules=section,
        )
        tokens = []
        for number in range(BIDDERS):
            user = users.create(
                session,
                scope=system,
                user_in=users.UserIn(
                    name=f"bidder_{number:04d}",
                    role=Role.PRODUCER.value,
                    region_code=VILLAGE,
                    password="Bench-Auction-2024!",
                ),
            )
            bidder = Scope(actor=user.name, region_code=VILLAGE, role="producer", user_id=user.id)
            registration = auction.register(
                session,
                scope=bidder,
                listing_id=listing.id,
                bidder_name=f"竞买人{number:04d}",
                bidder_id_code=company_code(number),
                rules=section,
                now=now,
            )
            auction.confirm_deposit(
                session, scope=system, registration_id=registration.id, rules=section, now=now
            )
            tokens.append(users.create_token(session, scope=system, user_id=user.id))
        listing_id = listing.id
    engine.dispose()
    return listing_id, tokens


def company_code(number: int) -> str:
    from yunong.core.validators import uscc_check_char

    first17 = f"91500101MA{number:07d}"
    return first17 + uscc_check_char(first17)


def start_server(db_url: str, var_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("YUNONG_")}
    env |= {"YUNONG_DB_URL": db_url, "YUNONG_VAR_DIR": str(var_dir)}
    log = (var_dir / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "yunong", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"yunong serve 未能启动，见 {var_dir / 'serve.log'}")


async def bidder(port: int, token: str, listing_id: int, tally: Tally, stop: float) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection = Connection(port)
    path = f"/api/exchange/listings/{listing_id}/bids"
    step = 1
    while time.monotonic() < stop:
        amount = tally.highest + INCREMENT * step
        started = time.perf_counter()
        try:
            status = await connection.request(
                "POST", path, headers, json.dumps({"amount_yuan": str(amount)}).encode()
            )
        except (OSError, asyncio.IncompleteReadError, ValueError):
            tally.other += 1
            connection.close()
            continue
        tally.latencies.append(time.perf_counter() - started)
        if status == 201:
            placed = json.loads(connection.body)
            sequence, stored = placed["sequence"], Decimal(placed["amount_yuan"])
            if sequence in tally.accepted:
                tally.duplicates += 1
            tally.accepted[sequence] = stored
            tally.highest = max(tally.highest, stored)
        elif status == 422:
            tally.refused += 1
        elif status == 503:
            tally.busy += 1
        elif status >= 500:
            tally.server_errors += 1
        else:
            tally.other += 1
        step = 2 if step == 1 else 1
    connection.close()


async def crowd(
    port: int, listing_id: int, tokens: list[str], seconds: float
) -> tuple[Tally, float]:
    tally = Tally()
    started = time.monotonic()
    stop = started + seconds
    await asyncio.gather(*(bidder(port, token, listing_id, tally, stop) for token in tokens))
    return tally, time.monotonic() - started


async def baseline(port: int, clients: int, seconds: float) -> float:
    """Health checks a second from the same number of clients, each on its own connection."""
    done = 0
    stop = time.monotonic() + seconds

    async def one() -> None:
        nonlocal done
        connection = Connection(port)
        while time.monotonic() < stop:
            try:
                if await connection.request("GET", "/api/health", {}) == 200:
                    done += 1
            except (OSError, asyncio.IncompleteReadError, ValueError):
                connection.close()
        connection.close()

    started = time.monotonic()
    await asyncio.gather(*(one() for _ in range(clients)))
    return done / (time.monotonic() - started)


def stored_bids(db_url: str, listing_id: int) -> list[tuple[int, Decimal, datetime]]:
    from sqlalchemy import select

    from yunong.exchange.models import Bid
    from yunong.store.db import make_engine, make_sessionmaker, transaction

    engine = make_engine(db_url)
    with transaction(make_sessionmaker(engine)) as session:
        rows = [
            (bid.sequence, bid.amount_yuan, bid.placed_at)
            for bid in session.scalars(
                select(Bid).where(Bid.listing_id == listing_id).order_by(Bid.sequence)
            )
        ]
    engine.dispose()
    return rows


def report(
    backend: str,
    tally: Tally,
    seconds: float,
    base_rate: float,
    stored: list[tuple[int, Decimal, datetime]],
) -> bool:
    sent = len(tally.latencies) + tally.other
    latencies = sorted(tally.latencies)

    def percentile(share: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000
            if latencies
            else 0.0
        )

    rate = len(tally.latencies) / seconds
    mean_ms = statistics.fmean(latencies) * 1000 if latencies else 0.0
    numbers = [sequence for sequence, _, _ in stored]
    amounts = [amount for _, amount, _ in stored]
    times = [moment for _, _, moment in stored]
    lost = sum(
        1
        for sequence, amount in tally.accepted.items()
        if dict((s, a) for s, a, _ in stored).get(sequence) != amount
    )
    checks = {
        "no bid lost": lost == 0 and len(stored) == len(tally.accepted),
        "no bid duplicated": tally.duplicates == 0 and len(set(numbers)) == len(numbers),
        "numbered 1…n without a gap": numbers == list(range(1, len(numbers) + 1)),
        "amounts rise with the number": all(
            b > a for a, b in zip(amounts, amounts[1:], strict=False)
        ),
        "times never go back": all(b >= a for a, b in zip(times, times[1:], strict=False)),
        "no 500 (busy answers are 503 with Retry-After)": tally.server_errors == 0,
    }
    print(
        f"[{backend}] {BIDDERS} bidders, {seconds:.0f} s: {sent} bids sent, "
        f"{len(tally.accepted)} accepted, "
        f"{tally.refused} refused (422), {tally.busy} busy (503), "
        f"{tally.server_errors} other 5xx, {tally.other} other"
    )
    print(
        f"[{backend}] bid latency p50 {percentile(0.5):.0f} ms, p95 {percentile(0.95):.0f} ms, "
        f"p99 {percentile(0.99):.0f} ms, mean {mean_ms:.0f} ms"
    )
    print(
        f"[{backend}] {rate:,.0f} bids/s against {base_rate:,.0f} health checks/s (baseline): "
        f"ratio {rate / base_rate if base_rate else 0:.2f}"
    )
    for name, held in checks.items():
        print(f"[{backend}]   {'ok ' if held else 'FAIL'} {name}")
    return all(checks.values())


def run() -> None:
    held = True
    for backend, db_url in backends():
        listing_id, tokens = prepare(db_url)
        port = free_port()
        server = start_server(db_url, scratch_dir(), port)
        try:
            base_rate = asyncio.run(baseline(port, len(tokens), BASELINE_SECONDS))
            tally, seconds = asyncio.run(crowd(port, listing_id, tokens, SECONDS))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        held = report(backend, tally, seconds, base_rate, stored_bids(db_url, listing_id)) and held
    print("all requirements held" if held else "some requirements did not hold")


if __name__ == "__main__":
    run()
