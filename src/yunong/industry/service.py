"""Warnings as callers read and handle them, each inside the caller's region scope."""

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import Forbidden, InvalidValue
from yunong.core.scope import Scope
from yunong.industry.catalogue import BASKET, Catalogue
from yunong.industry.models import Warning
from yunong.store.base import utcnow

NOTE_LENGTH = 500


def level_value(level: str) -> int | str:
    """1, 2 or 3 as a number; the sow zones (绿, 黄, 红) as they are."""
    return int(level) if level.isdigit() else level


def as_json(warning: Warning) -> dict[str, Any]:
    return {
        "date": warning.period.isoformat(),
        "indicator": warning.indicator,
        "region": warning.region_code,
        "level": level_value(warning.level),
        "rule": warning.rule,
    }


def warnings_query(
    scope: Scope, *, known: Catalogue, chain: str | None = None, since: date | None = None
) -> Select[tuple[Warning]]:
    """The caller's warnings, of one chain (or 菜篮子: the floors and the series outside the
    chains) and from one day on."""
    query = scope.filter(select(Warning), Warning.region_code)
    if chain:
        key = known.chain_of(chain)
        if key == BASKET:
            query = query.where((Warning.rule == "floors") | Warning.chain.is_(None))
        else:
            query = query.where(Warning.chain == key)
    if since is not None:
        query = query.where(Warning.period >= since)
    return query


def get_all(
    session: Session,
    *,
    scope: Scope,
    known: Catalogue,
    chain: str | None = None,
    since: date | None = None,
) -> list[Warning]:
    """In date order, then rule, indicator and region."""
    query = warnings_query(scope, known=known, chain=chain, since=since).order_by(
        Warning.period, Warning.rule, Warning.indicator, Warning.region_code
    )
    return list(session.scalars(query))


def get(session: Session, *, scope: Scope, warning_id: int) -> Warning:
    warning = session.get(Warning, warning_id)
    scope.check_read(warning.region_code if warning else None, f"预警 {warning_id}")
    assert warning is not None
    return warning


def may_handle(scope: Scope) -> bool:
    """The chain's officers: city and district officers who may write."""
    return scope.can_write and scope.role in (None, "city_admin", "district_officer")


def handle(session: Session, *, scope: Scope, warning_id: int, note: str) -> Warning:
    """Record that the warning was looked into and what was done (处置); it leaves 待办."""
    warning = get(session, scope=scope, warning_id=warning_id)
    scope.check_write(warning.region_code, f"预警 {warning_id}")
    if not may_handle(scope):
        raise Forbidden("只有市级和区县的产业链干部可以处置预警")
    text = note.strip()
    if not text:
        raise InvalidValue("请填写处置情况")
    if len(text) > NOTE_LENGTH:
        raise InvalidValue("处置情况不能超过 {limit} 字", limit=NOTE_LENGTH)
    warning.handled_at = utcnow()
    warning.handled_by = scope.actor
    warning.note = text
    audit.record(
        session,
        scope=scope,
        action="industry.warning_handled",
        target_type="industry_warning",
        target_id=str(warning.id),
        region_code=warning.region_code,
        detail=text[:200],
    )
    session.flush()
    return warning


@dataclass(frozen=True)
class EvidencePoint:
    day: str
    value: float


def evidence_of(warning: Warning) -> list[EvidencePoint]:
    return [EvidencePoint(day, value) for day, value in json.loads(warning.evidence or "[]")]
