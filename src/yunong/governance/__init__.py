"""基层治理: village affairs routed by 三事分流 with deadlines and each town's monthly summary
(reported by residents on a public page or by grid workers), the cadres stationed in villages
with their coverage per district, the grids with their households and their grid workers'
tasks, and the points for good conduct (积分制) with the village points shop."""

from yunong.core.application import Application, DemoStep, NavEntry
from yunong.core.auth.roles import Role

STAFF = frozenset(
    {
        Role.CITY_ADMIN,
        Role.DISTRICT_OFFICER,
        Role.TOWN_OFFICER,
        Role.VILLAGE_CADRE,
        Role.GRID_WORKER,
    }
)

application = Application(
    key="governance",
    title="基层治理",
    clause="（二十二）（三十四）",
    routers=(
        "yunong.governance.views:router",
        "yunong.governance.grid_views:router",
        "yunong.governance.points_views:router",
        "yunong.governance.public_views:router",
    ),
    commands=(("governance", "yunong.governance.cli:governance_app"),),
    models="yunong.governance.models",
    demo=(DemoStep("yunong.demo.governance:step", stage=66),),
    nav=(
        NavEntry("基层治理", "/governance", roles=STAFF),
        NavEntry("我的网格", "/governance/grids/mine", roles=frozenset({Role.GRID_WORKER})),
    ),
    indicators="yunong.governance.indicators",
    todo="yunong.governance.todo:todo",
    lists=("/governance", "/governance/grids"),
    pack_section="governance",
)
