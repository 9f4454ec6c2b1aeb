"""高标准农田: construction projects from plan to maintenance, mapped onto the parcels."""

from yunong.core.application import Application, DemoStep, NavEntry
from yunong.core.auth.roles import Role

application = Application(
    key="farmland",
    title="高标准农田",
    clause="（八）（九）（十）",
    routers=(
        "yunong.farmland.views:router",
        "yunong.farmland.entry_views:router",
        "yunong.farmland.api:router",
    ),
    commands=(("farmland", "yunong.farmland.cli:farmland_app"),),
    models="yunong.farmland.models",
    nav=(
        NavEntry(
            "高标准农田",
            "/farmland",
            roles=frozenset(
                {
                    Role.CITY_ADMIN,
                    Role.DISTRICT_OFFICER,
                    Role.TOWN_OFFICER,
                    Role.VILLAGE_CADRE,
                    Role.GRID_WORKER,
                }
            ),
        ),
        NavEntry(
            "录入农田项目",
            "/farmland/new",
            roles=frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER}),
        ),
        NavEntry(
            "农田巡查",
            "/farmland/reports/new",
            roles=frozenset({Role.GRID_WORKER, Role.VILLAGE_CADRE, Role.TOWN_OFFICER}),
        ),
    ),
    demo=(DemoStep("yunong.demo.farmland:step", stage=60),),
    indicators="yunong.farmland.indicators",
    todo="yunong.farmland.todo:todo",
    pack_section="farmland",
    lists=("/farmland",),
)
