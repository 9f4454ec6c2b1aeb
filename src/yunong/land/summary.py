"""The village land summary: each village's figures and centre, behind the zoomed-out map.

The analysis job computes it from the parcels (:func:`yunong.land.jobs.village_summary_sql`);
it is refreshed for the villages an import touched, by ``yunong land summarise`` and by the
demo build, and read by the map for its village markers and the statistics beside it.
"""

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.orm import Session

from yunong.land import jobs
from yunong.land.models import Parcel, VillageSummary
from yunong.policy.schema import Pack
from yunong.store.base import utcnow
from yunong.store.bulk import chunks
from yunong.store.db import make_sessionmaker, transaction

COLUMNS = [name.strip() for name in jobs.SUMMARY_COLUMNS.split(",")]


def refresh(engine: Engine, *, pack: Pack, villages: list[str] | None = None) -> int:
    """Recompute the summary of ``villages`` (every village with parcels when None);
    the number of villages written. Villages left without parcels lose their row."""
    sessions = make_sessionmaker(engine)
    if villages is None:
        with transaction(sessions) as session:
            villages = stored_villages(session)
    rows = jobs.village_summaries(engine, pack=pack, villages=villages) if villages else []
    now = utcnow()
    with transaction(sessions) as session:
        for chunk in chunks(villages):
            session.execute(delete(VillageSummary).where(VillageSummary.village_code.in_(chunk)))
        if rows:
            session.execute(
                insert(VillageSummary),
                [dict(zip(COLUMNS, row, strict=True)) | {"computed_at": now} for row in rows],
            )
    return len(rows)


def stored_villages(session: Session) -> list[str]:
    found = set(session.scalars(select(Parcel.village_code).distinct()))
    found |= set(session.scalars(select(VillageSummary.village_code)))
    return sorted(found)
