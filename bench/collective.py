"""Trial balances (科目余额表) of many collective economic organisations at once: 8,000
organisations (``BENCH_COLLECTIVE_ORGS``) with 1,000,000 voucher lines in all
(``BENCH_COLLECTIVE_LINES``), posted in bulk, then every organisation's trial balance for
December by :func:`yunong.collective.reports.trial_balances` and, in the same run, by a plain
SQL aggregate over the lines (the same sums, no chart, no yuan).

The database is a fresh SQLite file, or the PostgreSQL at ``BENCH_DB_URL``. Printed: the
posting rate, both times and their ratio.
"""

import os
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert, text

from yunong.collective import reports
from yunong.collective.models import Organisation, Voucher, VoucherLine
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.store.migrate import upgrade

PAIRS = [
    ("102", "501"),
    ("513", "102"),
    ("102", "503"),
    ("514", "101"),
    ("112", "501"),
    ("511", "211"),
    ("102", "502"),
    ("513", "152"),
]
BASELINE = (
    "select org_id, substr(account, 1, 3),"
    " sum(case when period < :period then debit_fen - credit_fen else 0 end),"
    " sum(case when period = :period then debit_fen else 0 end),"
    " sum(case when period = :period then credit_fen else 0 end)"
    " from collective_voucher_line where period <= :period group by org_id, substr(account, 1, 3)"
)


def villages(count: int) -> list[str]:
    """Village codes of Wanzhou's towns, 900 to a town."""
    return [f"500101{101 + n // 900:03d}{100 + n % 900:03d}" for n in range(count)]


def fill(url: str, orgs: int, lines: int) -> float:
    """Regions, organisations and the vouchers; returns the seconds the posting took."""
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(21)
    codes = villages(orgs)
    with transaction(make_sessionmaker(engine)) as session:
        towns = sorted({code[:9] + "000" for code in codes})
        session.execute(
            insert(Region),
            [{"code": "500101000000", "name": "万州区", "level": 2, "parent_code": None}]
            + [
                {"code": t, "name": f"镇{t[6:9]}", "level": 3, "parent_code": "500101000000"}
                for t in towns
            ]
            + [
                {"code": c, "name": f"村{c[6:]}", "level": 4, "parent_code": c[:9] + "000"}
                for c in codes
            ],
        )
        session.execute(
            insert(Organisation),
            [
                {
                    "code": f"P{c}BENCH1",
                    "uscc": None,
                    "name": f"村{c[6:]}经济合作社",
                    "region_code": c,
                    "level": "village",
                    "group_name": "",
                    "legal_representative": "",
                    "books_start": date(2024, 1, 1),
                }
                for c in codes
            ],
        )
    per_org = max(2, lines // orgs // 2)
    started = time.perf_counter()
    with transaction(make_sessionmaker(engine)) as session:
        org_ids = dict(
            session.execute(text("select region_code, id from collective_org")).tuples().all()
        )
        for code in codes:
            org_id = org_ids[code]
            months = [1 + n * 12 // per_org for n in range(per_org)]
            vouchers = [
                {
                    "org_id": org_id,
                    "region_code": code,
                    "period": f"2024-{m:02d}",
                    "number": f"记-{n:03d}",
                    "voucher_date": date(2024, m, 15),
                    "summary": "业务",
                    "kind": "entry",
                    "digest": f"b{org_id}-{n}",
                    "posted_by": "bench",
                }
                for n, m in enumerate(months)
            ]
            ids = session.scalars(
                insert(Voucher).returning(Voucher.id, sort_by_parameter_order=True), vouchers
            ).all()
            rows = []
            for voucher_id, voucher in zip(ids, vouchers, strict=True):
                debit, credit = rng.choice(PAIRS)
                amount = rng.randint(100, 5_000_000)
                for account, side in ((debit, "debit_fen"), (credit, "credit_fen")):
                    rows.append(
                        {
                            "voucher_id": voucher_id,
                            "org_id": org_id,
                            "period": voucher["period"],
                            "account": account,
                            "summary": "业务",
                            "counterparty": "",
                            "debit_fen": amount if side == "debit_fen" else 0,
                            "credit_fen": amount if side == "credit_fen" else 0,
                        }
                    )
            session.execute(insert(VoucherLine), rows)
    posted = time.perf_counter() - started
    engine.dispose()
    return posted


def run() -> None:
    orgs = int(os.environ.get("BENCH_COLLECTIVE_ORGS", "8000"))
    lines = int(os.environ.get("BENCH_COLLECTIVE_LINES", "1000000"))
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("BENCH_DB_URL") or f"sqlite:///{Path(folder) / 'bench.db'}"
        posted = fill(url, orgs, lines)
        print(
            f"posted {lines:,} lines for {orgs:,} organisations in {posted:.1f} s "
            f"({lines / posted:,.0f} lines/s)"
        )
        engine = make_engine(url)
        rules = loader.get().collective
        assert rules is not None
        with transaction(make_sessionmaker(engine)) as session:
            started = time.perf_counter()
            plain = session.execute(text(BASELINE), {"period": "2024-12"}).all()
            baseline = time.perf_counter() - started
            started = time.perf_counter()
            found = reports.trial_balances(
                session, scope=Scope.system("bench"), period="2024-12", rules=rules
            )
            ours = time.perf_counter() - started
        engine.dispose()
        rows = sum(len(item) for item in found.values())
        assert rows == len(plain), (rows, len(plain))
        print(
            f"trial balance of {len(found):,} organisations ({rows:,} account rows): "
            f"{ours:.2f} s; plain SQL aggregate {baseline:.2f} s; ratio {ours / baseline:.2f}×"
        )


if __name__ == "__main__":
    run()
