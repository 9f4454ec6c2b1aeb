"""Resolving a 全农码 for a viewer: only what their role may see, and personal lookups audited."""

import pytest
from sqlalchemy import select

from tests.factories import make_place
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import PERSONAL_DATA_ROLES, Role
from yunong.core.errors import NotFound
from yunong.core.identity import lookup
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.scope import Scope
from yunong.monitor import access

pytestmark = pytest.mark.db
SYSTEM = Scope.system("test")


def viewer(role: Role, region: str) -> Scope:
    return Scope(
        actor=f"{role.value}_01",
        region_code=region,
        role=role.value,
        can_write=role.can_write,
        can_view_personal_data=role.can_view_personal_data,
    )


def household_with_a_case(session, village: str) -> tuple[str, str]:
    household = identity.create(
        session, scope=SYSTEM, kind=Kind.SUBJECT, region_code=village,
        entity_type="household", entity_id="1",
    )  # fmt: skip
    case = identity.create(
        session, scope=SYSTEM, kind=Kind.EVENT, region_code=village,
        entity_type="monitor_case", entity_id="1",
    )  # fmt: skip
    identity.link(session, scope=SYSTEM, from_code=household, relation="case", to_code=case)
    return household, case


@pytest.mark.parametrize("role", [Role.BANK_VIEWER, Role.PRODUCER, Role.COLLECTIVE_ACCOUNTANT])
def test_a_role_without_monitoring_sees_no_case_linked_to_a_household(session, role):
    place = make_place(session)
    household, _ = household_with_a_case(session, place.village)
    region = place.district if role is Role.BANK_VIEWER else place.village
    resolved = lookup.resolve(session, scope=viewer(role, region), code=household)
    assert resolved.links == []


@pytest.mark.parametrize("role", [Role.BANK_VIEWER, Role.PRODUCER, Role.COLLECTIVE_ACCOUNTANT])
def test_a_role_without_monitoring_cannot_resolve_a_case_code(session, role):
    place = make_place(session)
    _, case = household_with_a_case(session, place.village)
    region = place.district if role is Role.BANK_VIEWER else place.village
    with pytest.raises(NotFound, match="不存在或不在您的管辖范围内"):
        lookup.resolve(session, scope=viewer(role, region), code=case)


def test_a_grid_worker_sees_the_case_linked_to_a_household_of_the_village(session):
    place = make_place(session)
    household, case = household_with_a_case(session, place.village)
    grid = viewer(Role.GRID_WORKER, place.village)
    resolved = lookup.resolve(session, scope=grid, code=household)
    assert [(link.relation, link.to_code) for link in resolved.links] == [("case", case)]


def test_looking_up_a_household_code_is_audited_as_a_personal_data_view(session):
    place = make_place(session)
    household, _ = household_with_a_case(session, place.village)
    lookup.resolve(session, scope=viewer(Role.VILLAGE_CADRE, place.village), code=household)
    found = session.scalars(
        select(AuditRecord).where(AuditRecord.action == "code.view_personal")
    ).all()
    assert [(record.actor, record.target_id) for record in found] == [
        ("village_cadre_01", household)
    ]


def test_looking_up_a_product_batch_code_is_not_a_personal_data_view(session):
    place = make_place(session)
    batch = identity.create(
        session, scope=SYSTEM, kind=Kind.THING, region_code=place.village,
        entity_type="trace_batch", entity_id="1",
    )  # fmt: skip
    lookup.resolve(session, scope=viewer(Role.BANK_VIEWER, place.district), code=batch)
    assert (
        session.scalars(
            select(AuditRecord).where(AuditRecord.action == "code.view_personal")
        ).first()
        is None
    )


def test_the_roles_that_may_see_monitoring_are_those_that_may_see_personal_data():
    assert set(access.READERS) == set(PERSONAL_DATA_ROLES)
