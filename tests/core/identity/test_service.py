"""Issuing, resolving and linking 全农码 in the registry."""

import pytest
from sqlalchemy import func, select

from tests.factories import make_place
from yunong.core.errors import InvalidValue, NotFound
from yunong.core.identity import codes
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.identity.models import IdentityCode
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
