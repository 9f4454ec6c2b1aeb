"""The public scan page under load, against a constant-JSON endpoint on the same app
(:mod:`bench.http`). Both endpoints are measured in the same run; the ratio of their
throughputs is printed.
"""

import os

from bench.http import BASELINE_PATH, measure, server
from bench.timing import scratch_dir

CONNECTION_COUNTS = (8, 32)
DURATION = 10.0


def prepare() -> tuple[str, str]:
    """A tiny demo database (with the trace demo) and the code of a batch with a full chain."""
    from sqlalchemy import select

    from yunong.demo.build import build
    from yunong.store.db import make_engine, make_sessionmaker, transaction
    from yunong.trace.models import Batch, Event

    db_url = f"sqlite:///{scratch_dir() / 'bench.db'}"
    engine = make_engine(db_url)
    build(engine, scale_name="tiny")
    with transaction(make_sessionmaker(engine)) as session:
        code = session.scalars(
            select(Batch.code)
            .join(Event, Event.batch_id == Batch.id)
            .where(Event.step == "sale")
            .order_by(Batch.id.desc())
        ).first()
    engine.dispose()
    assert code is not None
    return db_url, code


def run() -> None:
    db_url, code = prepare()
    with server(db_url) as port:
        results = [
            (
                connections,
                measure(port, [BASELINE_PATH], connections, DURATION),
                measure(port, [f"/c/{code}"], connections, DURATION),
            )
            for connections in CONNECTION_COUNTS
        ]
    print(f"{DURATION:g} s per run, one server process, load average {os.getloadavg()[0]:.1f}")
    for connections, baseline, scan in results:
        for name, result in (
            ("constant JSON (baseline)", baseline),
            (f"scan page /c/{code}", scan),
        ):
            print(f"{connections:>3} connections, {name}: {result.line()}")
        print(
            f"{connections:>3} connections, scan / baseline throughput: "
            f"{scan.per_second / baseline.per_second:.2f}"
        )


if __name__ == "__main__":
    run()
