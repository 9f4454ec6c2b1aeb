"""Append to and verify the audit trail.

Each record stores digests of the row before and after the change (never
the personal data itself) and ``hash = HMAC(key, prev_hash | fields)``, keyed
with a key kept outside the database (see :mod:`yunong.core.audit.keys`), so
that whoever can only write to the database cannot work the chain out again.
A single head row, locked while a record is appended, keeps the chain in one
line across concurrent writers and remembers the newest hash, with a code of
its own, so that deleting the newest records and moving the head back is
noticed too. Records written before the chain was keyed (up to
``YUNONG_AUDIT_LEGACY_UNTIL``) are checked by their plain SHA-256.
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

from yunong.core.audit import keys
from yunong.core.audit.models import AuditHead, AuditRecord
from yunong.core.scope import Scope
from yunong.settings import get_settings
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


def chain_fields(prev_hash: str, record: AuditRecord) -> list[str]:
    return [
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


def chain_hash(prev_hash: str, record: AuditRecord, key: bytes) -> str:
    """The record's code: HMAC-SHA256 with the chain key over the previous hash and its fields."""
    return keys.code(key, *chain_fields(prev_hash, record))


def legacy_hash(prev_hash: str, record: AuditRecord) -> str:
    """The plain SHA-256 that records written before the chain was keyed carry."""
    return hashlib.sha256("\x1f".join(chain_fields(prev_hash, record)).encode()).hexdigest()


def head_code(key: bytes, last_seq: int, last_hash: str) -> str:
    return keys.code(key, "head", str(last_seq), last_hash)


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
    key = keys.chain_key()
    entry.hash = chain_hash(head.last_hash, entry, key)
    session.add(entry)
    head.last_seq, head.last_hash = entry.seq, entry.hash
    head.code = head_code(key, entry.seq, entry.hash)
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


def record_export(
    session: Session,
    *,
    scope: Scope,
    action: str,
    what: str,
    rows: int,
    region_code: str | None = None,
) -> AuditRecord:
    """Record that the caller exported ``rows`` rows of ``what`` (the file itself is not kept)."""
    return record(
        session,
        scope=scope,
        action=action,
        target_type="export",
        target_id=what[:64],
        region_code=region_code or scope.region_code,
        detail=f"导出 {rows} 行",
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
    key, legacy_until = keys.chain_key(), get_settings().audit_legacy_until
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    for entry in stream(session):
        if entry.seq != expected_seq:
            return Verdict(checked, expected_seq, f"第 {expected_seq} 条审计记录已被删除")
        if entry.seq <= legacy_until:
            expected = legacy_hash(prev_hash, entry)
        else:
            expected = chain_hash(prev_hash, entry, key)
        if entry.prev_hash != prev_hash or not keys.same(entry.hash, expected):
            return Verdict(checked, entry.seq, f"第 {entry.seq} 条审计记录已被改动")
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = session.get(AuditHead, 1)
    if head is None:
        return Verdict(checked, checked + 1, "审计链的链头已被删除")
    if (head.last_seq, head.last_hash) != (checked, prev_hash):
        return Verdict(
            checked,
            checked + 1,
            f"第 {checked + 1} 条至第 {head.last_seq} 条审计记录已被删除或改动",
        )
    if checked > legacy_until and not keys.same(head.code, head_code(key, checked, prev_hash)):
        return Verdict(
            checked,
            checked + 1,
            f"审计链的链头被改动：第 {checked} 条之后的审计记录可能已被删除",
        )
    return Verdict(checked)


def stream(session: Session) -> Iterator[AuditRecord]:
    query = select(AuditRecord).order_by(AuditRecord.seq).execution_options(yield_per=5000)
    yield from session.scalars(query)


def get_all(session: Session, *, scope: Scope, limit: int = 100) -> list[AuditRecord]:
    """The newest records about regions inside the scope."""
    query = scope.filter(select(AuditRecord), AuditRecord.region_code)
    return list(session.scalars(query.order_by(AuditRecord.seq.desc()).limit(limit)))
