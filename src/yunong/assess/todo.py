"""The assessment work waiting on one user (待办): figures to fill in, figures to send up,
figures sent up for approval, and, for the city, the districts that have not reported yet.

The unit's own work is split by who can finish it: while required values are missing, or
figures sent back are not corrected yet, it waits on everybody who types figures in (the
officers and the collective accountant); once they are ready it waits on the officers, who
send them up (an accountant cannot).
"""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.assess import approvals, cockpit, datasets
from yunong.assess.models import DataSet
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.core.todo import ITEMS_SHOWN, Item, Todo
from yunong.policy import loader as policy
from yunong.policy.schema import Pack
from yunong.web.i18n import gettext as _

APPLICATION = "assess"
REPORTED = ("submitted", "approved")


def todo(session: Session, scope: Scope) -> list[Todo]:
    # Only the rows that can wait on the caller are read: every page's menu asks, and the
    # city's scope holds a data set for each of thousands of villages a period.
    in_scope = scope.filter(select(DataSet), DataSet.region_code)
    newest_first = (DataSet.period.desc(), DataSet.region_code)
    open_own = in_scope.where(
        DataSet.region_code == scope.region_code, DataSet.state.in_(datasets.EDITABLE)
    )
    own = own_work(session, scope, list(session.scalars(open_own.order_by(*newest_first))))
    submitted = in_scope.where(DataSet.state == "submitted").order_by(*newest_first)
    kinds = [
        to_fill(session, own),
        to_send(session, scope, own),
        to_approve(session, scope, list(session.scalars(submitted))),
    ]
    if scope.role is not None and codes.level_of(scope.region_code) is Level.CITY:
        kinds.append(not_reported(session, scope))
    return kinds


def own_work(
    session: Session, scope: Scope, data_sets: list[DataSet]
) -> list[tuple[DataSet, bool]]:
    """The caller's own unit's figures still in draft or sent back, each with whether they
    still need filling in (see :func:`needs_filling`)."""
    pack = policy.get()
    return [
        (data_set, needs_filling(session, pack, data_set))
        for data_set in data_sets
        if data_set.state in datasets.EDITABLE
        and datasets.allows(datasets.check_reporter, scope, data_set.region_code)
    ]


def needs_filling(session: Session, pack: Pack, data_set: DataSet) -> bool:
    """Required values are missing, or the figures were sent back and nobody has corrected
    them since: either way they cannot go up again as they are."""
    untouched_since_returned = (
        data_set.state == "returned"
        and data_set.decided_at is not None
        and data_set.updated_at <= data_set.decided_at
    )
    return untouched_since_returned or bool(datasets.missing_items(session, pack, data_set))


def to_fill(session: Session, own: list[tuple[DataSet, bool]]) -> Todo:
    """Figures to fill in or correct: whoever types the unit's figures in does it."""
    waiting = [data_set for data_set, unfinished in own if unfinished]
    return listed(session, waiting, kind="fill", action="填报考核数据")


def to_send(session: Session, scope: Scope, own: list[tuple[DataSet, bool]]) -> Todo:
    """Figures filled in and not sent up yet: only the unit's officers send them."""
    waiting = [
        data_set
        for data_set, unfinished in own
        if not unfinished and datasets.allows(datasets.check_submitter, scope, data_set.region_code)
    ]
    return listed(session, waiting, kind="send", action="报送考核数据")


def to_approve(session: Session, scope: Scope, data_sets: list[DataSet]) -> Todo:
    """Figures sent up by the units the caller approves."""
    waiting = [data_set for data_set in data_sets if approvals.awaits(scope, data_set)]
    return listed(session, waiting, kind="approve", action="审核报送的考核数据")


def listed(session: Session, waiting: list[DataSet], *, kind: str, action: str) -> Todo:
    shown = waiting[:ITEMS_SHOWN]
    names = cockpit.names(session, [data_set.region_code for data_set in shown])
    items = [
        Item(
            subject=_("{unit} {period} 年考核数据（{state}）").format(
                unit=names[data_set.region_code],
                period=data_set.period,
                state=_(datasets.state_label(data_set.state)),
            ),
            link=f"/assess/{data_set.period}/data/{data_set.region_code}",
            since=(data_set.submitted_at or data_set.updated_at).date(),
        )
        for data_set in shown
    ]
    return Todo(APPLICATION, kind, action, len(waiting), items)


def not_reported(session: Session, scope: Scope) -> Todo:
    """Districts without figures sent up for the latest period anybody reported."""
    period = session.scalar(scope.filter(select(func.max(DataSet.period)), DataSet.region_code))
    if period is None:
        return Todo(APPLICATION, "remind", "催报区县考核数据", 0)
    districts = scope.filter(
        select(Region.code, Region.name).where(Region.level == int(Level.DISTRICT)), Region.code
    )
    reported = set(
        session.scalars(
            scope.filter(select(DataSet.region_code), DataSet.region_code).where(
                DataSet.period == period,
                DataSet.state.in_(REPORTED),
                DataSet.region_code.in_(districts.with_only_columns(Region.code)),
            )
        )
    )
    late = [(code, name) for code, name in session.execute(districts) if code not in reported]
    items = [
        Item(
            subject=_("{unit} {period} 年考核数据（未报送）").format(unit=name, period=period),
            link=f"/assess/{period}/districts/{code}",
            level="red",
        )
        for code, name in late[:ITEMS_SHOWN]
    ]
    return Todo(APPLICATION, "remind", "催报区县考核数据", len(late), items)
