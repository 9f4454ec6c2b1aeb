"""Working days (工作日) in China, which the time limits of the case workflow count in.

The official calendar (weekends, public holidays and the weekend days worked in their
place, 调休) comes from the ``chinesecalendar`` package, which knows each year once the
State Council has published it. For a year it does not know yet, Monday to Friday count.
"""

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar

CHINA = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """Today in China, whatever the server's zone."""
    return datetime.now(CHINA).date()


@cache
def is_working_day(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted).

    >>> add_working_days(date(2024, 9, 27), 3)  # National Day week: 29 Sep is worked
    datetime.date(2024, 10, 8)
    """
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; negative if ``end`` is before."""
    if end < start:
        return -working_days_between(end, start)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(days=offset))
    )
