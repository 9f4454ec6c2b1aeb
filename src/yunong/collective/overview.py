"""One organisation as its page and API show it: where it is, its books' months (opened,
closed) and the trial balance of the month asked for."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.collective import books, orgs, reports
from yunong.collective.lists import check_reader
from yunong.collective.models import Organisation, VoucherLine
from yunong.collective.reports import TrialRow
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.policy.schema import Collective


@dataclass(frozen=True)
class OrgBooks:
    org: Organisation
    place: str
    period: str
    periods: list[str]
    """Every month from the opening balances to the latest voucher, newest first."""
    closed: set[str]
    trial: list[TrialRow]
    next_close: str | None
    """The month to close next (结账), None before the opening balances."""

    @property
    def totals(self) -> tuple[object, object]:
        return (sum(row.debit for row in self.trial), sum(row.credit for row in self.trial))


def months(first: str, last: str) -> list[str]:
    found = [first]
    while found[-1] < last:
        found.append(books.next_period(found[-1]))
    return found


def get_books(
    session: Session, *, scope: Scope, code: str, period: str | None, rules: Collective
) -> OrgBooks:
    """The organisation (by 全农码, credit code or village code) and its trial balance for
    ``period``, by default the latest month with vouchers."""
    check_reader(scope)
    org = orgs.get_by_code(session, scope=scope, code=code)
    latest = session.scalar(
        select(func.max(VoucherLine.period)).where(VoucherLine.org_id == org.id)
    )
    first = books.period_of(org.books_start) if org.books_start else None
    listed = months(first, latest) if first and latest else []
    chosen = books.parse_period(period) if period else (latest or books.period_of(date.today()))
    names = regions.get_place_names(session, village_codes=[org.region_code])
    return OrgBooks(
        org=org,
        place=names[org.region_code].label if org.region_code in names else org.region_code,
        period=chosen,
        periods=list(reversed(listed)),
        closed=books.closed_periods(session, org),
        trial=reports.trial_balance(session, scope=scope, org=org, period=chosen, rules=rules),
        next_close=books.next_to_close(session, org) if org.books_start else None,
    )
