"""The audit trail is a keyed hash chain: a changed or deleted record is named by verify."""

import hashlib
from pathlib import Path

from sqlalchemy import delete, func, select, update

from tests.factories import make_world
from yunong.core.audit import keys
from yunong.core.audit import service as audit
from yunong.core.audit.models import AuditHead, AuditRecord
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope

SYSTEM = Scope.system("test")


def records(session, **where) -> list[AuditRecord]:
    query = select(AuditRecord).filter_by(**where).order_by(AuditRecord.seq)
    return list(session.scalars(query))


def test_every_write_appends_a_record_with_before_and_after_digests(session):
    world = make_world(session)
    users.set_disabled(session, scope=SYSTEM, user_id=world.user_in_village, disabled=True)
    entry = records(session, action="user.disable")[-1]
    assert (entry.actor, entry.target_id, entry.region_code) == (
        "test",
        str(world.user_in_village),
        world.place.village,
    )
    assert entry.before_digest and entry.after_digest
    assert entry.before_digest != entry.after_digest


def test_a_full_view_of_personal_data_is_recorded(session):
    world = make_world(session)
    admin = users.scope_of(
        users.get(session, scope=SYSTEM, user_id=world.accounts[Role.CITY_ADMIN].user_id)
    )
    users.view_personal(session, scope=admin, user_id=world.user_in_village)
    entry = records(session, action="user.view_personal")[-1]
    assert entry.actor == world.accounts[Role.CITY_ADMIN].name


def test_an_untouched_chain_verifies(session):
    make_world(session)
    verdict = audit.verify(session)
    assert verdict.intact and verdict.checked == session.scalar(
        select(func.count()).select_from(AuditRecord)
    )


def test_a_record_changed_directly_in_the_database_is_named(session):
    make_world(session)
    target = records(session)[3]
    session.execute(
        update(AuditRecord).where(AuditRecord.seq == target.seq).values(actor="someone-else")
    )
    verdict = audit.verify(session)
    assert verdict.broken_seq == target.seq
    assert verdict.reason == f"第 {target.seq} 条审计记录已被改动"


def test_a_record_deleted_from_the_middle_is_named(session):
    make_world(session)
    target = records(session)[2]
    session.execute(delete(AuditRecord).where(AuditRecord.seq == target.seq))
    verdict = audit.verify(session)
    assert verdict.broken_seq == target.seq
    assert "已被删除" in verdict.reason


def test_records_deleted_from_the_end_are_noticed_through_the_head(session):
    make_world(session)
    last = records(session)[-1]
    session.execute(delete(AuditRecord).where(AuditRecord.seq == last.seq))
    verdict = audit.verify(session)
    assert verdict.broken_seq == last.seq


def plain_sha256(prev_hash: str, entry: AuditRecord) -> str:
    """The chain as anyone who can write to the database can work it out: no key."""
    return hashlib.sha256("\x1f".join(audit.chain_fields(prev_hash, entry)).encode()).hexdigest()


def test_a_record_edited_and_the_chain_worked_out_again_without_the_key_is_named(session):
    make_world(session)
    chain = records(session)
    target = chain[3]
    target.actor = "someone-else"
    prev_hash = chain[2].hash
    for entry in chain[3:]:
        entry.prev_hash, entry.hash = prev_hash, plain_sha256(prev_hash, entry)
        prev_hash = entry.hash
    head = session.get(AuditHead, 1)
    head.last_hash = prev_hash
    session.flush()

    verdict = audit.verify(session)

    assert verdict.broken_seq == target.seq
    assert verdict.reason == f"第 {target.seq} 条审计记录已被改动"


def test_records_deleted_from_the_end_with_the_head_moved_back_are_noticed(session):
    make_world(session)
    *kept, _, _ = records(session)
    session.execute(delete(AuditRecord).where(AuditRecord.seq > kept[-1].seq))
    session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(last_seq=kept[-1].seq, last_hash=kept[-1].hash)
    )

    verdict = audit.verify(session)

    assert verdict.broken_seq == kept[-1].seq + 1
    assert "链头被改动" in verdict.reason


def test_the_chain_does_not_verify_under_another_key(session, monkeypatch):
    from yunong.settings import get_settings

    make_world(session)
    monkeypatch.setenv("YUNONG_AUDIT_KEY", "a key the records were not written with")
    get_settings.cache_clear()
    try:
        verdict = audit.verify(session)
    finally:
        get_settings.cache_clear()
    assert verdict.broken_seq == 1


def test_records_written_before_the_chain_was_keyed_verify_up_to_the_configured_number(
    session, monkeypatch
):
    from yunong.settings import get_settings

    make_world(session)
    chain = records(session)
    prev_hash = audit.GENESIS
    for entry in chain[:5]:
        entry.prev_hash, entry.hash = prev_hash, plain_sha256(prev_hash, entry)
        prev_hash = entry.hash
    key = keys.chain_key()
    for entry in chain[5:]:
        entry.prev_hash, entry.hash = prev_hash, audit.chain_hash(prev_hash, entry, key)
        prev_hash = entry.hash
    head = session.get(AuditHead, 1)
    head.last_hash, head.code = prev_hash, audit.head_code(key, head.last_seq, prev_hash)
    session.flush()
    assert audit.verify(session).broken_seq == 1

    monkeypatch.setenv("YUNONG_AUDIT_LEGACY_UNTIL", "5")
    get_settings.cache_clear()
    try:
        verdict = audit.verify(session)
    finally:
        get_settings.cache_clear()
    assert verdict.intact and verdict.checked == len(chain)


def test_a_file_import_is_recorded_by_its_name_in_the_callers_region(session):
    make_world(session)
    officer = Scope(actor="wanzhou", region_code="500101000000", role="district_officer")
    name = "万州区" + "农户台账" * 20 + ".xlsx"

    entry = audit.record_file_import(
        session,
        scope=officer,
        action="monitor.household_import",
        path=Path("/uploads") / name,
        detail="2024 年：新增 3",
    )

    assert (entry.actor, entry.target_type, entry.region_code) == (
        "wanzhou",
        "file",
        "500101000000",
    )
    assert entry.target_id == name[:64]
