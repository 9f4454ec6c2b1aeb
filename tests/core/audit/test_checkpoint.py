"""`yunong audit verify --checkpoint` finds a deleted tail, a recomputed chain, an edited row and
a deleted middle row; a checkpoint file that was edited is refused."""

import json

import pytest
from sqlalchemy import delete, select, update
from typer.testing import CliRunner

from tests.factories import make_world
from yunong.cli import app
from yunong.core.audit import keys
from yunong.core.audit import service as audit
from yunong.core.audit.models import AuditHead, AuditRecord
from yunong.core.auth import service as users
from yunong.core.scope import Scope
from yunong.store.db import make_engine, make_sessionmaker, transaction

runner = CliRunner()
SYSTEM = Scope.system("test")


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def sessions(configured):
    factory = make_sessionmaker(make_engine(configured))
    with transaction(factory) as session:
        make_world(session)
    return factory


@pytest.fixture
def mark(sessions, tmp_path):
    path = tmp_path / "audit-checkpoint.json"
    result = run("audit", "checkpoint", str(path))
    assert result.exit_code == 0, result.output
    return path


def chain(session) -> list[AuditRecord]:
    return list(session.scalars(select(AuditRecord).order_by(AuditRecord.seq)))


def head_row(session) -> tuple[int, str, str | None]:
    head = session.get(AuditHead, 1)
    return head.last_seq, head.last_hash, head.code


def disable_someone(sessions) -> None:
    with transaction(sessions) as session:
        user = users.get_by_name(session, scope=SYSTEM, name="village_cadre_01")
        users.set_disabled(session, scope=SYSTEM, user_id=user.id, disabled=True)


def test_an_untouched_chain_verifies_against_its_checkpoint(sessions, mark):
    disable_someone(sessions)
    result = run("audit", "verify", "--checkpoint", str(mark))
    assert result.exit_code == 0, result.output
    assert "审计链完好" in result.output and "与检查点" in result.output


def test_the_checkpoint_names_the_newest_record_and_is_signed(sessions, mark):
    document = json.loads(mark.read_text(encoding="utf-8"))
    with transaction(sessions) as session:
        seq, last_hash, _ = head_row(session)
    assert (document["seq"], document["hash"]) == (seq, last_hash)
    assert len(document["signature"]) == 64


def test_a_deleted_tail_with_the_head_moved_back_is_found_through_the_checkpoint(
    sessions, tmp_path
):
    with transaction(sessions) as session:
        earlier_head = head_row(session)
    disable_someone(sessions)
    path = tmp_path / "checkpoint.json"
    assert run("audit", "checkpoint", str(path)).exit_code == 0
    with transaction(sessions) as session:
        # The intruder restores a head row copied before the newest records were written.
        session.execute(delete(AuditRecord).where(AuditRecord.seq > earlier_head[0]))
        session.execute(
            update(AuditHead)
            .where(AuditHead.id == 1)
            .values(last_seq=earlier_head[0], last_hash=earlier_head[1], code=earlier_head[2])
        )
    assert run("audit", "verify").exit_code == 0

    result = run("audit", "verify", "--checkpoint", str(path))

    assert result.exit_code == 1
    assert f"第 {earlier_head[0] + 1} 条至第" in result.output and "已被删除" in result.output


def test_a_chain_worked_out_again_with_the_key_is_found_through_the_checkpoint(sessions, mark):
    with transaction(sessions) as session:
        records = chain(session)
        records[2].actor = "someone-else"
        key, prev_hash = keys.chain_key(), records[1].hash
        for entry in records[2:]:
            entry.prev_hash, entry.hash = prev_hash, audit.chain_hash(prev_hash, entry, key)
            prev_hash = entry.hash
        head = session.get(AuditHead, 1)
        head.last_hash, head.code = prev_hash, audit.head_code(key, head.last_seq, prev_hash)
    assert run("audit", "verify").exit_code == 0

    result = run("audit", "verify", "--checkpoint", str(mark))

    assert result.exit_code == 1
    assert "与检查点" in result.output and "已被改写" in result.output


def test_an_edited_row_is_named_when_verifying_against_the_checkpoint(sessions, mark):
    with transaction(sessions) as session:
        session.execute(update(AuditRecord).where(AuditRecord.seq == 3).values(detail="改过"))

    result = run("audit", "verify", "--checkpoint", str(mark))

    assert result.exit_code == 1
    assert "第 3 条审计记录已被改动" in result.output


def test_a_deleted_middle_row_is_named_when_verifying_against_the_checkpoint(sessions, mark):
    with transaction(sessions) as session:
        session.execute(delete(AuditRecord).where(AuditRecord.seq == 4))

    result = run("audit", "verify", "--checkpoint", str(mark))

    assert result.exit_code == 1
    assert "第 4 条审计记录已被删除" in result.output


def test_a_checkpoint_file_that_was_edited_is_refused(sessions, mark):
    document = json.loads(mark.read_text(encoding="utf-8"))
    document["seq"] -= 1
    mark.write_text(json.dumps(document), encoding="utf-8")

    result = run("audit", "verify", "--checkpoint", str(mark))

    assert result.exit_code == 1
    assert "签名不符" in result.output


def test_no_checkpoint_is_written_of_a_broken_chain(sessions, tmp_path):
    with transaction(sessions) as session:
        session.execute(update(AuditRecord).where(AuditRecord.seq == 2).values(actor="x"))
    path = tmp_path / "checkpoint.json"

    result = run("audit", "checkpoint", str(path))

    assert result.exit_code == 1
    assert "不能写检查点" in result.output and not path.exists()
