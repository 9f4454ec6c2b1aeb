"""农事服务“一张网”: service providers and their machines, orders from farmers and operators,
the day's dispatch by a solver, work done as dated events on parcels, drying centres and
production trusteeship; for the grain grower, 种粮宝."""

from yunong.core.application import Application, DemoStep, NavEntry
from yunong.core.auth.roles import Role

OFFICERS = frozenset(
    {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE}
)

application = Application(
    key="services",
    title="农事服务",
    clause="（二十三）（二十四）（三十一）",
    routers=("yunong.services.api:router", "yunong.services.views:router"),
    commands=(("services", "yunong.services.cli:services_app"),),
    models="yunong.services.models",
    nav=(
        NavEntry("农事服务", "/apps/services", roles=OFFICERS),
        NavEntry("种粮宝", "/services/grower", roles=frozenset({Role.FARMER}), shortcut=True),
    ),
    demo=(DemoStep("yunong.demo.services:step", stage=64),),
    indicators="yunong.services.indicators",
    todo="yunong.services.todo:todo",
    pack_section="services",
    lists=(
        "/services/machines",
        "/services/orders",
        "/services/trusteeships",
        "/services/drying",
    ),
)
