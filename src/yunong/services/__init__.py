"""农事服务“一张网”: service providers and their machines, orders from farmers and operators,
the day's dispatch by a solver, work done as dated events on parcels, drying centres and
production trusteeship; for the grain grower, 种粮宝."""

from yunong.core.application import Application, DemoStep

application = Application(
    key="services",
    title="农事服务",
    clause="（二十三）（二十四）（三十一）",
    routers=("yunong.services.api:router",),
    commands=(("services", "yunong.services.cli:services_app"),),
    models="yunong.services.models",
    demo=(DemoStep("yunong.demo.services:step", stage=64),),
    indicators="yunong.services.indicators",
    pack_section="services",
)
