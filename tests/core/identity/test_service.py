"""Issuing, resolving and linking 全农码 in the registry."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from tests.factories import make_place
from yunong.core.audit.models import AuditRecord
from yunong.core.errors import InvalidValue, NotFound
from yunong.core.identity import codes
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.identity.models import IdentityCode, IdentitySerial
from yunong.core.scope import Scope

SYSTEM = Scope.system("test")


def test_issued_code_is_valid_and_registered_with_its_element(session):
    place = make_place(session)
    code = identity.create(
        session,
        scope=SYSTEM,
        kind=Kind.SUBJECT,
        region_code=place.village,
        entity_type="household",
        entity_id="17",
    )
    entry = identity.get(session, scope=SYSTEM, code=code)
    assert codes.is_valid(code)
    assert (entry.kind, entry.region_code, entry.entity_type, entry.entity_id) == (
        "P",
        place.village,
        "household",
        "17",
    )


def test_serials_continue_and_never_repeat_within_a_region(session):
    place = make_place(session)
    first = identity.create_many(
        session,
        scope=SYSTEM,
        kind=Kind.LAND,
        region_code=place.village,
        entity_type="parcel",
        entity_ids=["a", "b", "c"],
    )
    second = identity.create_many(
        session,
        scope=SYSTEM,
        kind=Kind.LAND,
        region_code=place.village,
        entity_type="parcel",
        entity_ids=["d", "e"],
    )
    assert [codes.parse(code).serial for code in first + second] == [1, 2, 3, 4, 5]


def test_each_kind_and_region_counts_on_its_own(session):
    place = make_place(session)
    land = identity.create(
        session,
        scope=SYSTEM,
        kind=Kind.LAND,
        region_code=place.village,
        entity_type="parcel",
        entity_id="1",
    )
    fund = identity.create(
        session,
        scope=SYSTEM,
        kind=Kind.FUND,
        region_code=place.village,
        entity_type="subsidy",
        entity_id="1",
    )
    other = identity.create(
        session,
        scope=SYSTEM,
        kind=Kind.LAND,
        region_code=place.neighbour_village,
        entity_type="parcel",
        entity_id="2",
    )
    assert len({land, fund, other}) == 3


def test_one_reservation_gives_each_region_its_own_consecutive_serials(session):
    place = make_place(session)
    wanted = {place.village: 3, place.neighbour_village: 2}
    first = identity.reserve_serials(session, kind=Kind.SUBJECT, counts=wanted)
    second = identity.reserve_serials(session, kind=Kind.SUBJECT, counts=wanted)
    assert first == {place.village: range(1, 4), place.neighbour_village: range(1, 3)}
    assert second == {place.village: range(4, 7), place.neighbour_village: range(3, 5)}


def test_a_region_whose_serials_are_used_up_is_refused(session):
    place = make_place(session)
    identity.reserve_serials(session, kind=Kind.SUBJECT, counts={place.village: 1})
    session.execute(
        update(IdentitySerial)
        .where(IdentitySerial.region_code == place.village)
        .values(last_serial=codes.MAX_SERIAL - 1)
    )
    with pytest.raises(InvalidValue, match=f"区划 {place.village} 的.*序号已用尽"):
        identity.reserve_serials(
            session, kind=Kind.SUBJECT, counts={place.village: 2, place.neighbour_village: 1}
        )


def test_codes_a_query_selects_are_registered_with_one_audit_record(session):
    place = make_place(session)
    serials = identity.reserve_serials(session, kind=Kind.SUBJECT, counts={place.village: 2})
    issued = [
        codes.compose(Kind.SUBJECT, place.village, serial) for serial in serials[place.village]
    ]
    rows = " UNION ALL ".join(
        f"SELECT '{code}' AS code, {entity_id} AS entity_id"
        for entity_id, code in enumerate(issued, start=41)
    )
    audited = session.scalar(select(func.count()).select_from(AuditRecord))
    identity.register_selected(
        session, scope=SYSTEM, kind=Kind.SUBJECT, entity_type="person", rows=rows
    )
    entries = [identity.get(session, scope=SYSTEM, code=code) for code in issued]
    assert [(e.entity_type, e.entity_id, e.region_code) for e in entries] == [
        ("person", "41", place.village),
        ("person", "42", place.village),
    ]
    record = session.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
    assert session.scalar(select(func.count()).select_from(AuditRecord)) == audited + 1
    assert (record.action, record.target_id, record.region_code) == (
        "code.issue",
        f"{issued[0]}..{issued[1]}",
        place.village,
    )
    assert record.detail.startswith("2 个")


def test_unknown_region_is_refused_and_nothing_is_written(session):
    make_place(session)
    before = session.scalar(select(func.count()).select_from(IdentityCode))
    with pytest.raises(NotFound, match="未知的区划代码"):
        identity.create(
            session,
            scope=SYSTEM,
            kind=Kind.SUBJECT,
            region_code="500101999999",
            entity_type="household",
            entity_id="1",
        )
    assert session.scalar(select(func.count()).select_from(IdentityCode)) == before


def test_a_national_code_stored_beside_resolves_to_the_same_entry(session):
    place = make_place(session)
    plot = "5001011082010100001"  # 承包地块编码 (DKBM, 19 digits)
    code = identity.create(
        session,
        scope=SYSTEM,
        kind=Kind.LAND,
        region_code=place.village,
        entity_type="parcel",
        entity_id="9",
        national_code=plot,
    )
    assert identity.get(session, scope=SYSTEM, code=plot).code == code


def test_a_well_formed_code_that_was_never_issued_is_not_found(session):
    make_place(session)
    with pytest.raises(NotFound, match="尚未登记"):
        identity.get(session, scope=SYSTEM, code=codes.compose(Kind.EVENT, "500101108201", 999))


def test_a_mistyped_code_is_refused_with_its_reason(session):
    place = make_place(session)
    code = identity.create(
        session,
        scope=SYSTEM,
        kind=Kind.SUBJECT,
        region_code=place.village,
        entity_type="household",
        entity_id="1",
    )
    typo = code[:-2] + code[-1] + code[-2]
    if typo == code:
        typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(InvalidValue, match="校验位不符"):
        identity.get(session, scope=SYSTEM, code=typo)


def test_links_form_the_graph_and_recording_one_twice_changes_nothing(session):
    place = make_place(session)
    household = identity.create(
        session,
        scope=SYSTEM,
        kind=Kind.SUBJECT,
        region_code=place.village,
        entity_type="household",
        entity_id="1",
    )
    parcel = identity.create(
        session,
        scope=SYSTEM,
        kind=Kind.LAND,
        region_code=place.village,
        entity_type="parcel",
        entity_id="1",
    )
    identity.link(session, scope=SYSTEM, from_code=household, relation="holds", to_code=parcel)
    identity.link(session, scope=SYSTEM, from_code=household, relation="holds", to_code=parcel)
    links = identity.get_links(session, scope=SYSTEM, code=parcel)
    assert [(link.from_code, link.relation, link.to_code) for link in links] == [
        (household, "holds", parcel)
    ]


def test_a_code_cannot_link_to_itself(session):
    place = make_place(session)
    code = identity.create(
        session,
        scope=SYSTEM,
        kind=Kind.SUBJECT,
        region_code=place.village,
        entity_type="household",
        entity_id="1",
    )
    with pytest.raises(InvalidValue, match="不能与自身关联"):
        identity.link(session, scope=SYSTEM, from_code=code, relation="same", to_code=code)


def test_codes_a_query_selects_keep_their_national_codes_and_a_given_issue_time(session):
    place = make_place(session)
    [serial] = identity.reserve_serials(session, kind=Kind.LAND, counts={place.village: 1})[
        place.village
    ]
    code = codes.compose(Kind.LAND, place.village, serial)
    plot = "5001011082010100001"
    issued = datetime(2023, 1, 1, tzinfo=UTC)
    identity.register_selected(
        session,
        scope=SYSTEM,
        kind=Kind.LAND,
        entity_type="land_parcel",
        rows=f"SELECT '{code}' AS code, 7 AS entity_id, '{plot}' AS national_code",
        with_national_code=True,
        issued_at=issued,
    )
    entry = identity.get(session, scope=SYSTEM, code=plot)
    assert (entry.code, entry.entity_id) == (code, "7")
    assert entry.issued_at == issued


def two_codes(session, place) -> tuple[str, str, str]:
    made = [
        identity.create(
            session,
            scope=SYSTEM,
            kind=kind,
            region_code=place.village,
            entity_type=entity_type,
            entity_id="1",
        )
        for kind, entity_type in (
            (Kind.SUBJECT, "household"),
            (Kind.EVENT, "monitor_case"),
            (Kind.EVENT, "monitor_case"),
        )
    ]
    return made[0], made[1], made[2]


def test_many_links_are_recorded_at_once_and_recording_them_again_changes_nothing(session):
    place = make_place(session)
    household, first, second = two_codes(session, place)
    pairs = [(household, first), (household, second)]
    identity.link_many(session, scope=SYSTEM, relation="case", pairs=pairs)
    audited = session.scalar(select(func.count()).select_from(AuditRecord))
    identity.link_many(session, scope=SYSTEM, relation="case", pairs=pairs)
    links = identity.get_links(session, scope=SYSTEM, code=household)
    assert [(link.from_code, link.relation, link.to_code) for link in links] == [
        (household, "case", first),
        (household, "case", second),
    ]
    assert session.scalar(select(func.count()).select_from(AuditRecord)) == audited


def test_links_to_an_unregistered_code_are_refused_and_none_is_written(session):
    place = make_place(session)
    household, first, _ = two_codes(session, place)
    never = codes.compose(Kind.EVENT, place.village, 999)
    with pytest.raises(NotFound, match="尚未登记"):
        identity.link_many(
            session, scope=SYSTEM, relation="case", pairs=[(household, first), (household, never)]
        )
    assert identity.get_links(session, scope=SYSTEM, code=household) == []


def test_links_from_a_code_outside_the_scope_are_refused(session):
    place = make_place(session)
    household, first, _ = two_codes(session, place)
    elsewhere = Scope(actor="other", region_code=place.other_town, role="town_officer")
    with pytest.raises(NotFound, match="不在您的管辖范围内"):
        identity.link_many(session, scope=elsewhere, relation="case", pairs=[(household, first)])
