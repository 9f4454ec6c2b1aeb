"""Today as Chongqing counts it: dates people write (deals, deadlines) are Beijing days."""

from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8))


def today() -> date:
    """Today in China, whatever the server's zone."""
    return datetime.now(CHINA).date()
