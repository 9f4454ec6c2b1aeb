"""The approval cycle as users meet it: the approval list (DHIS2's data approval screen) of
figures that units below the caller sent up, and what each action did and who acts next.

A data set waits on the caller when it is sent up (``submitted``) and the caller may approve
it (:func:`yunong.assess.datasets.check_approver`: an officer of a level above the unit).
The same rule feeds the caller's 待办.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.assess import cockpit, datasets
from yunong.assess.datasets import SaveReport
from yunong.assess.models import DataSet, Value
from yunong.core.errors import Forbidden
from yunong.core.regions import codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope


@dataclass(frozen=True)
class Waiting:
    """A unit's figures sent up and waiting on the caller."""

    period: int
    region_code: str
    name: str
    level: Level
    submitted_by: str
    submitted_at: datetime | None
    values: int
    """How many values the unit filled in."""


def awaits(scope: Scope, data_set: DataSet) -> bool:
    """Whether the data set waits on the caller: sent up by a unit the caller approves."""
    return data_set.state == "submitted" and datasets.allows(
        datasets.check_approver, scope, data_set.region_code
    )


def may_approve(scope: Scope) -> bool:
    """Whether the caller's role approves anybody's figures (which buttons and links show)."""
    try:
        check_role(scope)
    except Forbidden:
        return False
    return True


def check_role(scope: Scope) -> None:
    """Refuse the approval list to roles that approve nothing (read-only roles included)."""
    if not scope.can_write:
        raise Forbidden("您的角色只能查看，不能审核考核数据")
    datasets.check_role(scope, datasets.APPROVERS, "审核或退回")


def waiting(session: Session, *, scope: Scope, period: int) -> list[Waiting]:
    """The period's data sets waiting on the caller, the longest waiting first."""
    check_role(scope)
    query = scope.filter(
        select(DataSet).where(DataSet.period == period, DataSet.state == "submitted"),
        DataSet.region_code,
    ).order_by(DataSet.submitted_at, DataSet.region_code)
    found = [data_set for data_set in session.scalars(query) if awaits(scope, data_set)]
    names = cockpit.names(session, [data_set.region_code for data_set in found])
    counts = value_counts(session, found)
    return [
        Waiting(
            period=data_set.period,
            region_code=data_set.region_code,
            name=names.get(data_set.region_code, ""),
            level=codes.level_of(data_set.region_code),
            submitted_by=data_set.submitted_by or "",
            submitted_at=data_set.submitted_at,
            values=counts.get(data_set.id, 0),
        )
        for data_set in found
    ]


def value_counts(session: Session, found: list[DataSet]) -> dict[int, int]:
    """How many values each of the data sets holds, by data set id."""
    if not found:
        return {}
    query = (
        select(Value.data_set_id, func.count())
        .where(Value.data_set_id.in_([data_set.id for data_set in found]))
        .group_by(Value.data_set_id)
    )
    return {data_set_id: count for data_set_id, count in session.execute(query).tuples()}


def approving_unit(session: Session, *, region_code: str) -> Region:
    """The unit that approves the figures of ``region_code``: the level above it (the city
    approves its own)."""
    above = regions.get_ancestors(session, code=region_code)
    return above[-1] if above else regions.get(session, code=region_code)


LEADS_TO = {"submit": "submitted", "approve": "approved", "return": "returned"}
"""The state each action leaves a data set in."""


@dataclass(frozen=True)
class Feedback:
    """What an action on a data set did and who acts next, as the page says it."""

    action: str
    """save, upload, submit, approve or return."""
    unit: str
    approver: str
    """The unit that approves the figures, which acts next once they are sent up."""
    period: int
    reason: str = ""
    report: SaveReport | None = None


def feedback(
    session: Session,
    action: str | None,
    region: Region,
    data_set: DataSet | None,
    report: SaveReport | None = None,
) -> Feedback | None:
    """The feedback of ``action``; none for a state change the data set is no longer in."""
    if action is None or data_set is None:
        return None
    if action in LEADS_TO and data_set.state != LEADS_TO[action]:
        return None
    if action not in LEADS_TO and report is None:
        return None
    approver = approving_unit(session, region_code=region.code)
    return Feedback(action, region.name, approver.name, data_set.period, data_set.comment, report)
