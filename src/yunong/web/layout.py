"""What every page shows around its content: navigation, region breadcrumb and switcher."""

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.regions import service as regions
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.web import i18n
from yunong.web.auth import read_session


@dataclass(frozen=True)
class Application:
    key: str
    name: str
    clause: str
    built: bool = False

    @property
    def path(self) -> str:
        return f"/apps/{self.key}"


# The applications of the seed's section (三十一) and the modules that carry its other rules.
APPLICATIONS = (
    Application("land", "农地一张图", "（三）（八）—（十）（三十一）", built=True),
    Application("monitor", "防返贫监测", "（五）（二十六）", built=True),
    Application("assess", "考核驾驶舱", "一、（三十七）", built=True),
    Application("trace", "农品一码通", "（十四）（三十一）", built=True),
    Application("collective", "渝农经管", "（二十五）（二十八）"),
    Application("exchange", "产权交易", "（三十）"),
    Application("service", "农事服务", "（二十四）（三十一）"),
    Application("credit", "农信档案", "（三十一）（三十五）"),
    Application("habitat", "人居环境", "（十八）—（二十）"),
    Application("industry", "产业大脑", "（十一）（三十一）"),
)


def viewed_region(request: Request, session: Session, scope: Scope) -> Region:
    """The region the user is looking at: the one chosen in the switcher, else their own."""
    chosen = read_session(request).region
    if chosen and scope.covers(chosen):
        return regions.get(session, code=chosen)
    return regions.get(session, code=scope.region_code)


def breadcrumb(session: Session, scope: Scope, region: Region) -> list[Region]:
    """From the top of the user's scope down to the viewed region."""
    path = regions.get_ancestors(session, code=region.code) + [region]
    return [item for item in path if scope.covers(item.code)]


def switcher_options(session: Session, scope: Scope, region: Region) -> list[Region]:
    """The regions the switcher offers: the path within scope and the next level down."""
    return breadcrumb(session, scope, region) + regions.get_children(
        session, scope=scope, code=region.code
    )


def render(
    request: Request, session: Session, template: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    scope: Scope | None = getattr(request.state, "scope", None)
    region = viewed_region(request, session, scope) if scope else None
    base = {
        "scope": scope,
        "display_name": getattr(request.state, "display_name", ""),
        "role_label": Role(scope.role).label if scope and scope.role else "",
        "applications": APPLICATIONS,
        "language": i18n.current_language.get(),
        "languages": i18n.LANGUAGES,
        "csrf_token": read_session(request).csrf,
        "region": region,
        "breadcrumb": breadcrumb(session, scope, region) if scope and region else [],
        "switcher": switcher_options(session, scope, region) if scope and region else [],
        "path": request.url.path,
    }
    return request.app.state.templates.TemplateResponse(
        request, template, base | context, status_code=status_code
    )
