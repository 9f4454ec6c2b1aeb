"""How often one client address may use the public routes of 防返贫监测 (no login), shared by
the self-report page and the JSON API so that both count against the same bucket."""

from fastapi import Request

from yunong.web.ratelimit import TooManyRequests, limiter

REPORTS_PER_MINUTE = 3
"""A household reports once; a few tries a minute per address leave room for typing mistakes."""
VILLAGE_LOOKUPS_PER_MINUTE = 60


def check_rate(request: Request, name: str, per_minute: int) -> None:
    """One budget per client address and route, shared by the server's processes."""
    key = request.client.host if request.client else "unknown"
    if not limiter(request.app, f"monitor.{name}", per_minute).allow(key):
        raise TooManyRequests("提交过于频繁，请一分钟后再试；也可拨打 12317 热线申报")
