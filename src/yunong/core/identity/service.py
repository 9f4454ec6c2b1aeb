"""Issue, resolve and link 全农码."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import CursorResult, or_, select, text
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue, NotFound
from yunong.core.identity import codes
from yunong.core.identity.codes import Kind
from yunong.core.identity.models import IdentityCode, IdentityLink, IdentitySerial
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.store.bulk import (
    MAX_PARAMETERS,
    chunks,
    driver_now,
    driver_sql,
    driver_time,
    insert_tuples,
    rows_of_listed,
)


def reserve_serials(session: Session, *, kind: Kind, counts: dict[str, int]) -> dict[str, range]:
    """Reserve fresh serials for ``kind`` in each region: ``{region: count}``.

    The counter rows are bumped a few hundred at a time with one UPDATE … RETURNING,
    which PostgreSQL serialises with row locks, so concurrent writers never receive the
    same serial; serials are never handed back, so a code is never reused. The statements
    are written for the driver: for thousands of regions, composing them through the
    expression language would cost more than running them.
    """
    wanted = {region: count for region, count in counts.items() if count > 0}
    if not wanted:
        return {}
    regions = sorted(wanted)
    connection = session.connection()
    for batch in chunks(regions, MAX_PARAMETERS // 2):
        listed = ", ".join(["(?, ?, 0)"] * len(batch))
        connection.exec_driver_sql(
            driver_sql(session, NEW_COUNTERS.format(listed=listed)),
            tuple(value for region in batch for value in (kind.value, region)),
        )
    reserved = {}
    for batch in chunks(regions, MAX_PARAMETERS // 2 - 1):
        if session.get_bind().dialect.name == "postgresql":
            # Lock the counters in region order, as every writer does: no two deadlock.
            session.execute(
                select(IdentitySerial.region_code)
                .where(IdentitySerial.kind == kind.value, IdentitySerial.region_code.in_(batch))
                .order_by(IdentitySerial.region_code)
                .with_for_update()
            )
        listed = ", ".join(["(?, ?)"] * len(batch))
        bumped = connection.exec_driver_sql(
            driver_sql(session, BUMP_COUNTERS.format(listed=listed)),
            (*(value for region in batch for value in (region, wanted[region])), kind.value),
        ).all()
        for region, last in bumped:
            if last > codes.MAX_SERIAL:
                raise InvalidValue(f"区划 {region} 的{kind.label}类全农码序号已用尽")
            reserved[region] = range(last - wanted[region] + 1, last + 1)
    return reserved


NEW_COUNTERS = (
    "INSERT INTO identity_serial (kind, region_code, last_serial) VALUES {listed}"
    " ON CONFLICT DO NOTHING"
)
BUMP_COUNTERS = (
    "UPDATE identity_serial SET last_serial = identity_serial.last_serial + wanted.count"
    " FROM (SELECT column1 AS region, column2 AS count FROM (VALUES {listed}) AS listed)"
    " AS wanted"
    " WHERE identity_serial.kind = ? AND identity_serial.region_code = wanted.region"
    " RETURNING identity_serial.region_code, identity_serial.last_serial"
)


def create(
    session: Session,
    *,
    scope: Scope,
    kind: Kind,
    region_code: str,
    entity_type: str,
    entity_id: str,
    national_code: str | None = None,
) -> str:
    """Issue one new code for an element and register it; returns the code."""
    return create_many(
        session,
        scope=scope,
        kind=kind,
        region_code=region_code,
        entity_type=entity_type,
        entity_ids=[entity_id],
        national_codes=[national_code],
    )[0]


def create_many(
    session: Session,
    *,
    scope: Scope,
    kind: Kind,
    region_code: str,
    entity_type: str,
    entity_ids: list[str],
    national_codes: list[str | None] | None = None,
) -> list[str]:
    """Issue codes for many elements of one kind and region in one round trip."""
    if not entity_ids:
        return []
    regions.get(session, code=region_code)
    issued = reserve(session, scope=scope, kind=kind, counts={region_code: len(entity_ids)})
    codes_and_ids = list(zip(issued[region_code], entity_ids, strict=True))
    register(
        session,
        scope=scope,
        kind=kind,
        entity_type=entity_type,
        codes_and_ids=codes_and_ids,
        national_codes=national_codes,
    )
    return issued[region_code]


def reserve(
    session: Session, *, scope: Scope, kind: Kind, counts: dict[str, int]
) -> dict[str, list[str]]:
    """Fresh codes per region, ``{region: count}``, for rows written before they are registered.

    The caller has checked that the regions exist; each must lie inside the scope.
    """
    for region in counts:
        scope.check_write(region, "区划")
    serials = reserve_serials(session, kind=kind, counts=counts)
    return {
        region: codes.compose_many(kind, region, numbers) for region, numbers in serials.items()
    }


def register(
    session: Session,
    *,
    scope: Scope,
    kind: Kind,
    entity_type: str,
    codes_and_ids: list[tuple[str, str]],
    national_codes: list[str | None] | None = None,
    issued_at: datetime | None = None,
) -> None:
    """Enter reserved codes in the registry; the batch is one write with one audit record.

    Each code's region is the one written inside it. ``issued_at`` is now unless given
    (a register carried over from elsewhere keeps its own dates).
    """
    if not codes_and_ids:
        return
    nationals = national_codes or [None] * len(codes_and_ids)
    now = driver_time(session, issued_at) if issued_at else driver_now(session)
    insert_tuples(
        session,
        "identity_code",
        ["code", "kind", "entity_type", "entity_id", "region_code", "national_code", "issued_at"],
        (
            (code, kind.value, entity_type, entity_id, code[1:13], national, now)
            for (code, entity_id), national in zip(codes_and_ids, nationals, strict=True)
        ),
    )
    regions_touched = {code[1:13] for code, _ in codes_and_ids}
    first, last = codes_and_ids[0][0], codes_and_ids[-1][0]
    audit.record(
        session,
        scope=scope,
        action="code.issue",
        target_type=entity_type,
        target_id=f"{first}..{last}",
        region_code=regions_touched.pop() if len(regions_touched) == 1 else scope.region_code,
        after={"codes": codes_and_ids},
        detail=f"{len(codes_and_ids)} 个{kind.label}类全农码",
    )


def register_selected(
    session: Session,
    *,
    scope: Scope,
    kind: Kind,
    entity_type: str,
    rows: str,
    with_national_code: bool = False,
    issued_at: datetime | None = None,
) -> None:
    """Enter in the registry the reserved codes that the query ``rows`` selects, as columns
    ``code`` and ``entity_id`` (and ``national_code`` when ``with_national_code``).

    The database copies them itself, so a million codes never pass through Python; nor
    does the audit record read them again. It names the first and the last code (which an
    index on the codes finds at once) and their number (which the insert reports): the
    serials of one reservation are consecutive, and codes between two of one region lie
    in that region too. ``issued_at`` is now unless given.
    """
    issued = f"({rows}) AS issued"
    national = "national_code" if with_national_code else "NULL"
    copied = session.execute(
        text(
            "INSERT INTO identity_code"
            " (code, kind, entity_type, entity_id, region_code, national_code, issued_at)"
            f" SELECT code, :kind, :entity_type, CAST(entity_id AS VARCHAR), substr(code, 2, 12),"
            f" {national}, :now FROM {issued}"
        ),
        {
            "kind": kind.value,
            "entity_type": entity_type,
            "now": driver_time(session, issued_at) if issued_at else driver_now(session),
        },
    )
    inserted = copied.rowcount if isinstance(copied, CursorResult) else 0
    if not inserted:
        return
    # One aggregate a query: SQLite reads a min() or a max() alone off an index.
    first = str(session.scalar(text(f"SELECT min(code) FROM {issued}")))
    last = str(session.scalar(text(f"SELECT max(code) FROM {issued}")))
    region = first[1:13] if first[1:13] == last[1:13] else scope.region_code
    audit.record(
        session,
        scope=scope,
        action="code.issue",
        target_type=entity_type,
        target_id=f"{first}..{last}",
        region_code=region,
        after={"first": first, "last": last, "count": inserted},
        detail=f"{inserted} 个{kind.label}类全农码",
    )


def get(session: Session, *, scope: Scope, code: str) -> IdentityCode:
    """The registry entry of a 全农码 or of a national code stored beside it, inside the scope."""
    text = code.strip()
    if codes.is_valid(text):
        found = session.get(IdentityCode, codes.normalise(text))
    else:
        found = session.scalars(
            select(IdentityCode).where(IdentityCode.national_code == text.upper())
        ).first()
        if found is None:
            codes.parse(text)  # raises with the reason the text is not a 全农码
    if found is None:
        raise NotFound(f"全农码“{text}”格式正确，但尚未登记")
    scope.check_read(found.region_code, f"全农码“{text}”")
    return found


def link(session: Session, *, scope: Scope, from_code: str, relation: str, to_code: str) -> None:
    """Record that ``from_code`` relates to ``to_code``; recording it twice changes nothing."""
    source = get(session, scope=scope, code=from_code)
    target = get(session, scope=scope, code=to_code)
    scope.check_write(source.region_code, f"全农码“{source.code}”")
    if source.code == target.code:
        raise InvalidValue(f"全农码“{source.code}”不能与自身关联")
    key = (source.code, relation, target.code)
    if session.get(IdentityLink, key) is None:
        session.add(IdentityLink(from_code=source.code, relation=relation, to_code=target.code))
        session.flush()
        audit.record(
            session,
            scope=scope,
            action="code.link",
            target_type="identity_link",
            target_id=source.code,
            region_code=source.region_code,
            after={"relation": relation, "to": target.code},
        )


# Thousands of codes are linked at once: they are looked up as one JSON list.
COUNT_LISTED_CODES = """
SELECT count(*) FROM identity_code AS i JOIN {listed} ON i.code = listed.value"""
LISTED_CODES = """
SELECT i.code FROM identity_code AS i JOIN {listed} ON i.code = listed.value"""


def normal(code: str) -> str:
    """``code`` as :func:`codes.normalise` gives it, at once when it already is so."""
    return code if code.isalnum() and code.isupper() else codes.normalise(code)


LISTED_LINKS = """
SELECT l.from_code, l.to_code FROM identity_link AS l JOIN {listed} ON l.from_code = listed.value
WHERE l.relation = :relation"""


def link_many(
    session: Session, *, scope: Scope, relation: str, pairs: Sequence[tuple[str, str]]
) -> None:
    """Record that each ``(from_code, to_code)`` of ``pairs`` relates under ``relation``, as
    :func:`link` does one at a time, in a few statements with one audit record.

    Every code must be registered and its source inside the scope; a pair already recorded
    is left as it is.
    """
    wanted = list(dict.fromkeys((normal(a), normal(b)) for a, b in pairs))
    if not wanted:
        return
    named = sorted({code for pair in wanted for code in pair})
    if rows_of_listed(session, COUNT_LISTED_CODES, named).scalar_one() < len(named):
        registered = set(rows_of_listed(session, LISTED_CODES, named).scalars())
        missing = next(code for pair in wanted for code in pair if code not in registered)
        raise NotFound(f"全农码“{missing}”格式正确，但尚未登记")
    # A registered code's region is the one written inside it; the scope is checked once a
    # region, on the first code named in it.
    read: dict[str, str] = {}
    written: dict[str, str] = {}
    for source, target in wanted:
        read.setdefault(source[1:13], source)
        read.setdefault(target[1:13], target)
        written.setdefault(source[1:13], source)
        if source == target:
            raise InvalidValue(f"全农码“{source}”不能与自身关联")
    for region, code in read.items():
        scope.check_read(region, f"全农码“{code}”")
    for region, code in written.items():
        scope.check_write(region, f"全农码“{code}”")
    sources = sorted({source for source, _ in wanted})
    stored = set(
        rows_of_listed(session, LISTED_LINKS, sources, {"relation": relation}).tuples().all()
    )
    new = [pair for pair in wanted if pair not in stored]
    if not new:
        return
    now = driver_now(session)
    insert_tuples(
        session,
        "identity_link",
        ["from_code", "relation", "to_code", "created_at"],
        ((source, relation, target, now) for source, target in new),
    )
    regions_touched = {source[1:13] for source, _ in new}
    audit.record(
        session,
        scope=scope,
        action="code.link",
        target_type="identity_link",
        target_id=new[0][0] if len(new) == 1 else f"{new[0][0]}..{new[-1][0]}",
        region_code=regions_touched.pop() if len(regions_touched) == 1 else scope.region_code,
        after={"relation": relation, "to": [target for _, target in new]},
        detail=f"{len(new)} 条“{relation}”关联",
    )


def get_links(session: Session, *, scope: Scope, code: str) -> list[IdentityLink]:
    """Every link that starts or ends at ``code``."""
    code = get(session, scope=scope, code=code).code
    return list(
        session.scalars(
            select(IdentityLink)
            .where(or_(IdentityLink.from_code == code, IdentityLink.to_code == code))
            .order_by(IdentityLink.relation, IdentityLink.from_code, IdentityLink.to_code)
        )
    )
