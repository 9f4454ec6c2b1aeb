"""Counting scans and flagging codes that look counterfeit.

Scans are counted in memory and written in one statement per flush (every few seconds),
so a busy public page costs one dictionary update per scan rather than a database write.
A process that stops loses at most the scans of its last few seconds.

A code is flagged to its producer and district when it was scanned more than the pack's
``scan_factor`` times its batch's labelled units (and at least ``scan_floor`` times), or
from ``distant_places`` places that lie more than ``distant_km`` apart. Places are only
known when the scanner chose to share a rough position (rounded to 0.1°).
"""

import math
import threading
import time
from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope
from yunong.policy import loader as policy
from yunong.store.bulk import upsert_for
from yunong.store.db import transaction
from yunong.trace import access
from yunong.trace.models import Batch, Producer, Product, Scan, ScanFlag

UNLOCATED = "-"
EARTH_KM = 6371.0
SYSTEM = Scope.system("trace.scans")


def place_key(lat: float, lon: float) -> str:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidValue("位置无效：纬度应在 -90 到 90 之间，经度在 -180 到 180 之间")
    return f"{lat:.1f},{lon:.1f}"


def distance_km(first: str, second: str) -> float:
    """Great-circle distance between two ``lat,lon`` places."""
    lat1, lon1 = (math.radians(float(part)) for part in first.split(","))
    lat2, lon2 = (math.radians(float(part)) for part in second.split(","))
    term = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(term)))


def far_apart(places: list[str], km: float) -> int:
    """How many of the places can be picked so that every two are more than ``km`` apart."""
    picked: list[str] = []
    for place in sorted(places):
        if all(distance_km(place, other) > km for other in picked):
            picked.append(place)
    return len(picked)


class ScanCounter:
    """Scans waiting to be written: ``(batch id, day, place) → count``."""

    def __init__(self, flush_seconds: float = 5.0) -> None:
        self.flush_seconds = flush_seconds
        self.pending: Counter[tuple[int, date, str]] = Counter()
        self.lock = threading.Lock()
        self.last_flush = time.monotonic()

    def count(self, batch_id: int, day: date, place: str = UNLOCATED) -> None:
        with self.lock:
            self.pending[(batch_id, day, place)] += 1

    def due(self) -> bool:
        return bool(self.pending) and time.monotonic() - self.last_flush >= self.flush_seconds

    def take(self) -> Counter[tuple[int, date, str]]:
        with self.lock:
            taken, self.pending = self.pending, Counter()
            self.last_flush = time.monotonic()
        return taken

    def flush(self, sessions: sessionmaker[Session]) -> int:
        """Write the pending counts and check the batches they touched; returns scans written."""
        taken = self.take()
        if not taken:
            return 0
        with transaction(sessions) as session:
            save(session, taken)
        return sum(taken.values())


def save(session: Session, counts: Counter[tuple[int, date, str]]) -> None:
    upsert = upsert_for(session)
    for (batch_id, day, place), number in sorted(counts.items()):
        statement = upsert(Scan).values(batch_id=batch_id, day=day, place=place, count=number)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["batch_id", "day", "place"],
                set_={"count": Scan.count + number},
            )
        )
    for batch_id in sorted({key[0] for key in counts}):
        check(session, batch_id)


def check(session: Session, batch_id: int) -> list[ScanFlag]:
    """Raise the flags a batch's scans call for; a flag already raised stays as it is."""
    rules = policy.get().trace
    batch = session.get(Batch, batch_id)
    assert batch is not None
    total = total_scans(session, batch_id)
    places = list(
        session.scalars(
            select(Scan.place).where(Scan.batch_id == batch_id, Scan.place != UNLOCATED).distinct()
        )
    )
    size = batch.packages or int(batch.quantity)
    raised = []
    if total >= rules.scan_floor and total > rules.scan_factor * size:
        raised.append(
            ("overscan", f"扫码 {total} 次，超过批次 {size} 件的 {rules.scan_factor:g} 倍")
        )
    spread = far_apart(places, rules.distant_km)
    if spread >= rules.distant_places:
        raised.append(("spread", f"在 {spread} 个相距 {rules.distant_km:g} 公里以上的地点被扫码"))
    return [flag(session, batch, reason, detail) for reason, detail in raised]


def flag(session: Session, batch: Batch, reason: str, detail: str) -> ScanFlag:
    existing = session.scalars(
        select(ScanFlag).where(ScanFlag.batch_id == batch.id, ScanFlag.reason == reason)
    ).first()
    if existing is not None:
        return existing
    product = session.get(Product, batch.product_id)
    assert product is not None
    producer = session.get(Producer, product.producer_id)
    assert producer is not None
    raised = ScanFlag(
        batch_id=batch.id, region_code=producer.region_code, reason=reason, detail=detail
    )
    session.add(raised)
    session.flush()
    audit.record(
        session,
        scope=SYSTEM,
        action="trace.scan_flag",
        target_type="trace_batch",
        target_id=batch.code,
        region_code=producer.region_code,
        detail=detail,
    )
    return raised


def get_flags(session: Session, *, scope: Scope) -> list[tuple[ScanFlag, Batch]]:
    """Flags on the batches the caller may see: a producer its own, a district its area's."""
    query = (
        select(ScanFlag, Batch)
        .join(Batch, Batch.id == ScanFlag.batch_id)
        .join(Product, Product.id == Batch.product_id)
        .join(Producer, Producer.id == Product.producer_id)
    )
    query = access.filter_producers(session, scope, query).order_by(ScanFlag.id.desc())
    return [(found, batch) for found, batch in session.execute(query).tuples()]


def total_scans(session: Session, batch_id: int) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Scan.count), 0)).where(
                Scan.batch_id == batch_id, Scan.place == UNLOCATED
            )
        )
        or 0
    )
