"""Rate limits counted by every server process together, in the database or in Redis."""

import uuid

import pytest
import redis
from sqlalchemy import func, select

from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.store.models import RateCount
from yunong.web.ratelimit import DatabaseCounts, RedisCounts, SharedCounts

pytestmark = pytest.mark.db
MINUTE = 29_000_000 * 60.0
"""A moment at the start of a minute (in 2025)."""


@pytest.fixture
def sessions(private_db_url):
    engine = make_engine(private_db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def two_processes(store_of) -> tuple[SharedCounts, SharedCounts]:
    """Two processes' views of the same shared counts, at a fixed time."""
    return (
        SharedCounts(store_of(), clock=lambda: MINUTE + 10),
        SharedCounts(store_of(), clock=lambda: MINUTE + 10),
    )


def spend_and_cross(first: SharedCounts, second: SharedCounts, bucket: str) -> list[bool]:
    """A client spends its budget of 3 on the first process, then asks the second three
    times; the second syncs after its first answer."""
    for _ in range(3):
        assert first.take(bucket, 3, now=MINUTE + 10)
    first.sync()
    answers = [second.take(bucket, 3, now=MINUTE + 10)]
    second.sync()
    answers += [second.take(bucket, 3, now=MINUTE + 11) for _ in range(2)]
    return answers


def test_a_budget_spent_through_one_process_is_refused_by_another_once_it_has_synced(sessions):
    first, second = two_processes(lambda: DatabaseCounts(sessions))
    # The second process has not met this client: it lets one through on its own count,
    # and from its first sync on it judges on the shared total.
    assert spend_and_cross(first, second, "public|203.0.113.9") == [True, False, False]


def test_the_counts_are_shared_through_redis_when_it_is_configured():
    prefix = uuid.uuid4().hex
    first, second = two_processes(lambda: RedisCounts("redis://127.0.0.1:6379/0"))
    assert spend_and_cross(first, second, f"{prefix}|203.0.113.9") == [True, False, False]
    keys = redis.Redis().keys(f"yunong:rate:{prefix}*")
    assert len(keys) == 1 and redis.Redis().ttl(keys[0]) > 0


def test_last_minutes_requests_count_for_the_part_of_it_still_within_sixty_seconds(sessions):
    counts = SharedCounts(DatabaseCounts(sessions))
    assert all(counts.take("public|198.51.100.7", 4, now=MINUTE + 50) for _ in range(4))
    assert not counts.take("public|198.51.100.7", 4, now=MINUTE + 59)
    # Halfway through the next minute, half of the four still count: two more may come.
    halfway = MINUTE + 90
    assert [counts.take("public|198.51.100.7", 4, now=halfway) for _ in range(3)] == [
        True,
        True,
        False,
    ]


def test_a_process_that_could_not_write_its_counts_sends_them_with_the_next_sync(sessions):
    class Unreachable:
        def add(self, counts, now_minute):
            raise ConnectionError("database away")

    counts = SharedCounts(Unreachable(), clock=lambda: MINUTE + 5)
    assert counts.take("public|192.0.2.1", 10, now=MINUTE + 5)
    with pytest.raises(ConnectionError):
        counts.sync()
    counts.store = DatabaseCounts(sessions)
    counts.sync()
    with transaction(sessions) as session:
        assert session.scalar(select(func.sum(RateCount.count))) == 1


def test_minutes_long_past_are_deleted_as_counts_are_written(sessions):
    old = SharedCounts(DatabaseCounts(sessions), clock=lambda: MINUTE)
    old.take("public|192.0.2.2", 10, now=MINUTE)
    old.sync()
    later = SharedCounts(DatabaseCounts(sessions), clock=lambda: MINUTE + 600)
    later.take("public|192.0.2.3", 10, now=MINUTE + 600)
    later.sync()
    with transaction(sessions) as session:
        assert list(session.scalars(select(RateCount.bucket))) == ["public|192.0.2.3"]
