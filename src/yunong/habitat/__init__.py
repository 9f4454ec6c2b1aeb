"""人居环境: black and odorous water bodies and their remediation, settlements and their sewage
facilities, household toilets and the 先改后补 subsidy; the 达标村 checklist items these
registries answer, and the cockpit's figures of them."""

from yunong.core.application import Application, DemoStep, NavEntry
from yunong.core.auth.roles import Role

OFFICIALS = frozenset(
    {
        Role.CITY_ADMIN,
        Role.DISTRICT_OFFICER,
        Role.TOWN_OFFICER,
        Role.VILLAGE_CADRE,
        Role.GRID_WORKER,
    }
)

application = Application(
    key="habitat",
    title="人居环境",
    clause="（十八）（十九）",
    routers=("yunong.habitat.views:router",),
    commands=(("habitat", "yunong.habitat.cli:habitat_app"),),
    models="yunong.habitat.models",
    nav=(
        NavEntry("人居环境", "/habitat", roles=OFFICIALS),
        NavEntry(
            "改厕走访", "/habitat/toilets/visit", roles=frozenset({Role.GRID_WORKER}), shortcut=True
        ),  # fmt: skip
    ),
    demo=(DemoStep("yunong.demo.habitat:step", stage=60),),
    indicators="yunong.habitat.indicators",
    todo="yunong.habitat.todo:todo",
    pack_section="habitat",
    lists=("/habitat/water", "/habitat/settlements", "/habitat/toilets"),
)
