"""Several processes issuing codes at once never receive the same code."""

import multiprocessing

from sqlalchemy import func, select

from tests.factories import make_place
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.identity.models import IdentityCode
from yunong.core.scope import Scope
from yunong.store.db import make_engine, make_sessionmaker, transaction

SYSTEM = Scope.system("test")

WRITERS = 4
ROUNDS = 25
PER_ROUND = 8


def issue_codes(db_url: str, region: str, writer: int) -> list[str]:
    engine = make_engine(db_url)
    issued: list[str] = []
    for round_number in range(ROUNDS):
        with transaction(make_sessionmaker(engine)) as session:
            issued += identity.create_many(
                session,
                scope=SYSTEM,
                kind=Kind.THING,
                region_code=region,
                entity_type="batch",
                entity_ids=[f"{writer}-{round_number}-{i}" for i in range(PER_ROUND)],
            )
    engine.dispose()
    return issued


def test_parallel_writers_never_receive_the_same_code(private_db_url):
    engine = make_engine(private_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        village = make_place(session).village
    with multiprocessing.get_context("spawn").Pool(WRITERS) as pool:
        results = pool.starmap(issue_codes, [(private_db_url, village, w) for w in range(WRITERS)])
    issued = [code for result in results for code in result]
    with transaction(make_sessionmaker(engine)) as session:
        stored = session.scalar(select(func.count()).select_from(IdentityCode))
    engine.dispose()
    assert len(issued) == WRITERS * ROUNDS * PER_ROUND
    assert len(set(issued)) == len(issued) == stored
