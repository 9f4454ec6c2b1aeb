"""Issuing 200,000 全农码 through the registry against inserting the same rows with no counter."""

from sqlalchemy import insert

from bench.timing import scratch_dir, seconds
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.identity.models import IdentityCode
from yunong.core.scope import Scope
from yunong.demo.build import build
from yunong.store.base import utcnow
from yunong.store.db import make_engine, make_sessionmaker, transaction

COUNT = 200_000
BATCH = 10_000


def run() -> None:
    engine = make_engine(f"sqlite:///{scratch_dir() / 'bench.db'}")
    build(engine, scale_name="chongqing")
    factory = make_sessionmaker(engine)
    villages = ["500101100201", "500243200201"]

    def plain_rows() -> None:
        with transaction(factory) as session:
            for start in range(0, COUNT, BATCH):
                session.execute(
                    insert(IdentityCode),
                    [
                        {
                            "code": f"X{start + i:019d}",
                            "kind": "T",
                            "entity_type": "bench",
                            "entity_id": str(start + i),
                            "region_code": villages[0],
                            "issued_at": utcnow(),
                        }
                        for i in range(BATCH)
                    ],
                )

    def issued_codes() -> None:
        with transaction(factory) as session:
            for start in range(0, COUNT, BATCH):
                identity.create_many(
                    session,
                    scope=Scope.system("bench"),
                    kind=Kind.THING,
                    region_code=villages[1],
                    entity_type="bench",
                    entity_ids=[str(start + i) for i in range(BATCH)],
                )

    baseline, measured = seconds(plain_rows), seconds(issued_codes)
    print(f"plain insert of {COUNT:,} rows (baseline): {baseline:.2f} s")
    print(
        f"issue {COUNT:,} codes in batches of {BATCH:,}: {measured:.2f} s"
        f"  ratio {measured / baseline:.2f}x  ({COUNT / measured:,.0f} codes/s)"
    )
