"""A 全农码 resolved for a viewer: the entry and its links, as far as the viewer's role may see.

Codes are not personal data, but what they link to can be: a household's link to a
防返贫 case tells that the household is monitored. Only roles that may see personal data
(the monitoring roles) resolve case and self-report codes or see links to them; every
lookup of a code naming people, a household or a case is audited as a personal-data view.
"""

from dataclasses import dataclass

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session, aliased

from yunong.core.audit import service as audit
from yunong.core.errors import NotFound
from yunong.core.identity import service as identity
from yunong.core.identity.models import IdentityCode, IdentityLink
from yunong.core.scope import Scope

MONITORING_ENTITY_TYPES = frozenset({"monitor_case", "monitor_self_report"})
"""Codes whose existence says that a household is under 防返贫 monitoring."""
PERSONAL_ENTITY_TYPES = frozenset({"household", "person"}) | MONITORING_ENTITY_TYPES
"""Codes that name people, their households or their cases."""


@dataclass(frozen=True)
class Resolved:
    entry: IdentityCode
    links: list[IdentityLink]


def may_see(scope: Scope, entity_type: str, region_code: str) -> bool:
    """Whether the viewer may learn that a code of this type exists here."""
    if entity_type in MONITORING_ENTITY_TYPES and not scope.can_view_personal_data:
        return False
    return entity_type not in PERSONAL_ENTITY_TYPES or scope.covers(region_code)


def resolve(session: Session, *, scope: Scope, code: str) -> Resolved:
    """The registry entry of ``code`` and the links the viewer may see; a code the viewer's
    role may not see is reported as not found, like one outside the scope."""
    entry = identity.get(session, scope=scope, code=code)
    if not may_see(scope, entry.entity_type, entry.region_code):
        raise NotFound(f"全农码“{code.strip()}”不存在或不在您的管辖范围内")
    if entry.entity_type in PERSONAL_ENTITY_TYPES:
        audit.record(
            session,
            scope=scope,
            action="code.view_personal",
            target_type=entry.entity_type,
            target_id=entry.code,
            region_code=entry.region_code,
        )
    return Resolved(entry, visible_links(session, scope, entry.code))


def visible_links(session: Session, scope: Scope, code: str) -> list[IdentityLink]:
    """The links at ``code`` whose other end the viewer may see."""
    other = aliased(IdentityCode)
    other_end = case(
        (IdentityLink.from_code == code, IdentityLink.to_code), else_=IdentityLink.from_code
    )
    rows = session.execute(
        select(IdentityLink, other.entity_type, other.region_code)
        .join(other, other.code == other_end)
        .where(or_(IdentityLink.from_code == code, IdentityLink.to_code == code))
        .order_by(IdentityLink.relation, IdentityLink.from_code, IdentityLink.to_code)
    )
    return [link for link, entity_type, region in rows if may_see(scope, entity_type, region)]
