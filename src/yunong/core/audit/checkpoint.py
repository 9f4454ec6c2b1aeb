"""Signed checkpoints of the audit chain, kept outside the database.

A checkpoint names the newest record (its number and hash) when it was taken
and is signed with a key derived from the audit key. Verifying the chain
against it finds what the chain alone cannot: records deleted from the end
together with the head, or a chain worked out again by someone who holds the
key. Keep checkpoints where the database's administrators cannot write, such
as the archive of another office, and take one as often as the trail matters
(daily, say, from cron).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from yunong.core.audit import keys, service
from yunong.core.audit.models import AuditHead, AuditRecord
from yunong.core.errors import InvalidValue
from yunong.store.base import utcnow

FORMAT = "yunong-audit-checkpoint/1"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    taken_at: str

    def signature(self) -> str:
        return keys.code(keys.checkpoint_key(), FORMAT, str(self.seq), self.hash, self.taken_at)


def take(session: Session) -> Checkpoint:
    """A checkpoint of the chain as it is now; a broken chain gets none."""
    verdict = service.verify(session)
    if not verdict.intact:
        raise InvalidValue(f"审计链已损坏，不能写检查点：{verdict.reason}")
    head = session.get(AuditHead, 1)
    assert head is not None
    return Checkpoint(head.last_seq, head.last_hash, service.canonical_time(utcnow()))


def write(checkpoint: Checkpoint, path: Path) -> None:
    document = {
        "format": FORMAT,
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "taken_at": checkpoint.taken_at,
        "signature": checkpoint.signature(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read(path: Path) -> Checkpoint:
    """The checkpoint in ``path``, refused unless its signature holds under this key."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        checkpoint = Checkpoint(
            int(document["seq"]), str(document["hash"]), str(document["taken_at"])
        )
        signature, kind = str(document["signature"]), document["format"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InvalidValue(f"无法读取检查点文件“{path.name}”：{error}") from None
    if kind != FORMAT or not keys.same(signature, checkpoint.signature()):
        raise InvalidValue(
            f"检查点文件“{path.name}”的签名不符：文件被改动过，或不是用本系统的审计密钥写的"
        )
    return checkpoint


def verify(session: Session, checkpoint: Checkpoint) -> service.Verdict:
    """The chain's verdict, then whether it still holds the checkpoint's record unchanged."""
    verdict = service.verify(session)
    if not verdict.intact:
        return verdict
    if checkpoint.seq > verdict.checked:
        return service.Verdict(
            verdict.checked,
            verdict.checked + 1,
            f"第 {verdict.checked + 1} 条至第 {checkpoint.seq} 条审计记录已被删除"
            f"（检查点 {checkpoint.taken_at} 记有 {checkpoint.seq} 条）",
        )
    marked = session.get(AuditRecord, checkpoint.seq)
    if marked is not None and not keys.same(marked.hash, checkpoint.hash):
        return service.Verdict(
            verdict.checked,
            checkpoint.seq,
            f"第 {checkpoint.seq} 条审计记录与检查点 {checkpoint.taken_at} 不符："
            "此前的审计链已被改写",
        )
    return verdict
