"""Append to and verify the audit trail.

Each record stores digests of the row before and after the change (never
the personal data itself) and ``hash = SHA-256(prev_hash | fields)``. A
single head row, locked while a record is appended, keeps the chain in one
line across concurrent writers and remembers the newest hash.
"""

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit.models import AuditHead, AuditRecord
from yunong.core.scope import Scope
from yunong.store.base import utcnow

GENESIS = "0" * 64


def digest(values: Mapping[str, Any] | None) -> str:
    """SHA-256 of a row's values in canonical JSON; empty for no row."""
    if values is None:
        return ""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def canonical_time(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def chain_hash(prev_hash: str, record: AuditRecord) -> str:
    fields = [
        prev_hash,
        str(record.seq),
        canonical_time(record.at),
        record.actor,
        record.action,
        record.target_type,
        record.target_id,
        record.region_code or "",
        record.before_digest,
        record.after_digest,
        record.detail,
    ]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def record(
    session: Session,
    *,
    scope: Scope,
    action: str,
    target_type: str,
    target_id: str | int,
    region_code: str | None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    detail: str = "",
) -> AuditRecord:
    """Append one record to the chain, inside the caller's transaction."""
    head = session.scalars(
        select(AuditHead)
        .where(AuditHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    entry = AuditRecord(
        seq=head.last_seq + 1,
        at=utcnow(),
        actor=scope.actor,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        region_code=region_code,
        before_digest=digest(before),
        after_digest=digest(after),
        detail=detail[:400],
        prev_hash=head.last_hash,
    )
    entry.hash = chain_hash(head.last_hash, entry)
    session.add(entry)
    head.last_seq, head.last_hash = entry.seq, entry.hash
    session.flush()
    return entry


def record_file_import(
    session: Session, *, scope: Scope, action: str, path: Path, detail: str
) -> AuditRecord:
    """Record that the caller imported the file at ``path``, named as far as the record holds."""
    return record(
        session,
        scope=scope,
        action=action,
        target_type="file",
        target_id=path.name[:64],
        region_code=scope.region_code,
        detail=detail,
    )


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


def verify(session: Session) -> Verdict:
    """Walk the chain from the first record; name the first one changed or missing."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    for entry in stream(session):
        if entry.seq != expected_seq:
            return Verdict(checked, expected_seq, f"第 {expected_seq} 条审计记录已被删除")
        if entry.prev_hash != prev_hash or chain_hash(prev_hash, entry) != entry.hash:
            return Verdict(checked, entry.seq, f"第 {entry.seq} 条审计记录已被改动")
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_seq, head.last_hash) != (checked, prev_hash):
        return Verdict(
            checked,
            checked + 1,
            f"第 {checked + 1} 条至第 {head.last_seq} 条审计记录已被删除或改动",
        )
    return Verdict(checked)


def stream(session: Session) -> Iterator[AuditRecord]:
    query = select(AuditRecord).order_by(AuditRecord.seq).execution_options(yield_per=5000)
    yield from session.scalars(query)


def get_all(session: Session, *, scope: Scope, limit: int = 100) -> list[AuditRecord]:
    """The newest records about regions inside the scope."""
    query = scope.filter(select(AuditRecord), AuditRecord.region_code)
    return list(session.scalars(query.order_by(AuditRecord.seq.desc()).limit(limit)))
