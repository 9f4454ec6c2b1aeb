"""数据字典: the code lists officials meet in forms and imports, read-only, as the policy pack
and the land survey standard define them. They change with a new pack, never on a page."""

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from yunong.land import codes as land_codes
from yunong.monitor.workflow import RISK_TYPES
from yunong.policy import loader as policy
from yunong.policy.schema import Pack
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class LandClass:
    code: str
    name: str
    kind: str
    """耕地, 宅基地 or 集体建设用地."""


def land_classes() -> list[LandClass]:
    """The land classes (三调 codes) of the one map's three kinds of land."""
    kinds = [
        (land_codes.UnitKind.CULTIVATED, land_codes.CULTIVATED_CLASSES),
        (land_codes.UnitKind.HOMESTEAD, land_codes.HOMESTEAD_CLASSES),
        (land_codes.UnitKind.CONSTRUCTION, land_codes.CONSTRUCTION_CLASSES),
    ]
    return [
        LandClass(code, name, kind.label)
        for kind, classes in kinds
        for code, name in classes.items()
    ]


def risk_rules(pack: Pack) -> dict[str, list[str]]:
    """Each risk type with the names of the pack's screening rules that flag it."""
    found: dict[str, list[str]] = {risk: [] for risk in RISK_TYPES}
    for rule in pack.monitoring.rules.values():
        found[rule.risk_type].append(rule.name + ("" if rule.enabled else "（未启用）"))
    return found


@router.get("/dictionaries", response_class=HTMLResponse)
def dictionary_page(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    pack = policy.get()
    return render(
        request,
        session,
        "admin/dictionaries.html",
        pack=pack,
        categories=pack.monitoring.workflow.categories,
        risks=risk_rules(pack),
        measure_kinds=pack.monitoring.workflow.measure_kinds,
        land_classes=land_classes(),
        second_survey=land_codes.SECOND_SURVEY_CLASSES,
        slope_grades=land_codes.SLOPE_GRADES,
        uses=[(use.value, use.label) for use in land_codes.Use],
        product_categories=pack.trace.categories,
    )
