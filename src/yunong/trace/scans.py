"""Counting scans, keeping the positions scanners share, and raising counterfeit flags.

Scans are counted in memory and written in one statement per flush (every few seconds),
so a busy public page costs one dictionary update per scan rather than a database write.
A process that stops loses at most the scans of its last few seconds.

A scanner may share a rough position (rounded to 0.1°). It is kept as a report: one per
client and batch (a client is a keyed hash of its address, never the address), and at
most the pack's ``reports_per_client_day`` a day per client.

Anonymous scans are evidence, not a verdict. A flag is raised, pending an official's
decision (see :mod:`yunong.trace.flags`), when a batch was scanned more than the pack's
``scan_factor`` times its labelled units (and at least ``scan_floor`` times), or when
clients reported it from ``distant_places`` places more than ``distant_km`` apart, each
place from another client, the reports spanning at least ``distant_hours`` within the
last ``report_days`` days. A cleared flag is raised again only by evidence gathered after
it was cleared.
"""

import hashlib
import hmac
import math
import threading
import time
from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue, YunongError
from yunong.core.scope import Scope
from yunong.policy import loader as policy
from yunong.policy.schema import Trace
from yunong.store.base import utcnow
from yunong.store.bulk import upsert_for
from yunong.store.db import transaction
from yunong.trace import flags
from yunong.trace.events import CHINA, from_db
from yunong.trace.models import Batch, Producer, Product, Scan, ScanFlag, ScanReport

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


class TooManyReports(YunongError):
    status_code = 429


def client_digest(address: str, secret: str) -> str:
    """What is kept of a scanner's address: a keyed hash, enough to tell one client's reports
    from another's without storing where they came from."""
    keyed = hmac.new(secret.encode(), f"scan-client\x1f{address}".encode(), hashlib.sha256)
    return keyed.hexdigest()[:32]


def report_place(
    session: Session,
    *,
    batch_id: int,
    client: str,
    lat: float,
    lon: float,
    now: datetime | None = None,
) -> bool:
    """Keep a scanner's rough position as evidence; whether it was new (a client's second
    position for the same batch is not)."""
    place = place_key(lat, lon)
    rules = policy.get().trace
    moment = now or utcnow()
    today = session.scalar(
        select(func.count())
        .select_from(ScanReport)
        .where(ScanReport.client == client, ScanReport.reported_at > moment - timedelta(days=1))
    )
    if (today or 0) >= rules.reports_per_client_day:
        raise TooManyReports("今天上报的位置已经够多了，谢谢")
    statement = (
        upsert_for(session)(ScanReport)
        .values(batch_id=batch_id, client=client, place=place, reported_at=moment)
        .on_conflict_do_nothing(index_elements=["batch_id", "client"])
        .returning(ScanReport.id)
    )
    if session.execute(statement).first() is None:
        return False
    check(session, batch_id, now=moment)
    return True


def check(session: Session, batch_id: int, now: datetime | None = None) -> list[ScanFlag]:
    """Raise the flags a batch's scans call for: a flag pending or confirmed stays as it is,
    a cleared one is raised again only by what was scanned after it was cleared."""
    rules = policy.get().trace
    batch = session.get(Batch, batch_id)
    assert batch is not None
    moment = now or utcnow()
    raised = []
    for reason, evidence in (("overscan", overscanned), ("spread", spread)):
        existing = session.scalars(
            select(ScanFlag).where(ScanFlag.batch_id == batch.id, ScanFlag.reason == reason)
        ).first()
        if existing is not None and existing.state != flags.CLEARED:
            continue
        since = from_db(existing.decided_at) if existing and existing.decided_at else None
        detail = evidence(session, batch, rules, since, moment)
        if detail:
            raised.append(flag(session, batch, reason, detail, existing, moment))
    return raised


def overscanned(
    session: Session, batch: Batch, rules: Trace, since: datetime | None, moment: datetime
) -> str:
    after = since.astimezone(CHINA).date() if since else None
    total = total_scans(session, batch.id, after=after)
    size = batch.packages or int(batch.quantity)
    if total >= rules.scan_floor and total > rules.scan_factor * size:
        again = "排除后又" if since else ""
        return f"{again}扫码 {total} 次，超过批次 {size} 件的 {rules.scan_factor:g} 倍"
    return ""


def spread(
    session: Session, batch: Batch, rules: Trace, since: datetime | None, moment: datetime
) -> str:
    """Far-apart places: the newest report's, then the oldest others' first, so that the
    places picked span as long a time as they can. Each report is another client's, so each
    place comes from a different client."""
    start = moment - timedelta(days=rules.report_days)
    if since is not None and since > start:
        start = since
    reports = session.execute(
        select(ScanReport.place, ScanReport.reported_at)
        .where(ScanReport.batch_id == batch.id, ScanReport.reported_at >= start)
        .order_by(ScanReport.reported_at, ScanReport.id)
    ).all()
    if not reports:
        return ""
    newest = reports[-1]
    picked = [(newest.place, from_db(newest.reported_at))]
    for place, at in reports[:-1]:
        if all(distance_km(place, other) > rules.distant_km for other, _ in picked):
            picked.append((place, from_db(at)))
    hours = (picked[0][1] - min(at for _, at in picked)).total_seconds() / 3600
    if len(picked) < rules.distant_places or hours < rules.distant_hours:
        return ""
    return (
        f"{len(picked)} 个来源在相距 {rules.distant_km:g} 公里以上的 {len(picked)} 个地点扫码，"
        f"前后相隔 {hours:.0f} 小时"
    )


def flag(
    session: Session,
    batch: Batch,
    reason: str,
    detail: str,
    cleared: ScanFlag | None,
    moment: datetime,
) -> ScanFlag:
    """A new flag, or the cleared one raised again; pending either way."""
    product = session.get(Product, batch.product_id)
    assert product is not None
    producer = session.get(Producer, product.producer_id)
    assert producer is not None
    raised = cleared or ScanFlag(batch_id=batch.id, region_code=producer.region_code, reason=reason)
    raised.detail, raised.raised_at, raised.state = detail[:200], moment, flags.PENDING
    if cleared is None:
        session.add(raised)
    session.flush()
    audit.record(
        session,
        scope=SYSTEM,
        action="trace.scan_flag",
        target_type="trace_batch",
        target_id=batch.code,
        region_code=producer.region_code,
        detail=f"待核实：{detail}",
    )
    return raised


def total_scans(session: Session, batch_id: int, after: date | None = None) -> int:
    """Scans of a batch, all of them or those of the days after ``after``."""
    query = select(func.coalesce(func.sum(Scan.count), 0)).where(
        Scan.batch_id == batch_id, Scan.place == UNLOCATED
    )
    if after is not None:
        query = query.where(Scan.day > after)
    return int(session.scalar(query) or 0)
