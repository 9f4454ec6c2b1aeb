"""长江治渔: the fishing-ban waters on the one map, patrols and their tracks, public tips and
illegal-fishing cases, and the retired fishers with their follow-up."""

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
    key="fishery",
    title="长江治渔",
    clause="（三十一）（三十五）",
    routers=("yunong.fishery.views:router",),
    commands=(("fishery", "yunong.fishery.cli:fishery_app"),),
    models="yunong.fishery.models",
    nav=(
        NavEntry("长江治渔", "/fishery", roles=OFFICIALS),
        NavEntry(
            "记录巡护",
            "/fishery/patrols/new",
            roles=frozenset({Role.GRID_WORKER, Role.TOWN_OFFICER, Role.DISTRICT_OFFICER}),
        ),
    ),
    demo=(DemoStep("yunong.demo.fishery:step", stage=65),),
    indicators="yunong.fishery.indicators",
    todo="yunong.fishery.todo:todo",
    pack_section="fishery",
    lists=(
        "/fishery/zones",
        "/fishery/patrols",
        "/fishery/tips",
        "/fishery/cases",
        "/fishery/fishers",
    ),
)
