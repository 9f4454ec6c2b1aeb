"""农地“一张图”: land units, protection zones, survey imports, statistics, 以补定占 ledger."""

from yunong.core.application import Application, DemoStep, NavEntry

application = Application(
    key="land",
    title="农地一张图",
    clause="（三）（八）—（十）（三十一）",
    routers=("yunong.land.api:router", "yunong.land.ogc:router", "yunong.land.views:router"),
    commands=(("land", "yunong.land.cli:land_app"),),
    models="yunong.land.models",
    nav=(NavEntry("农地一张图", "/apps/land"),),
    demo=(
        DemoStep("yunong.demo.steps:start_land", stage=0),
        DemoStep("yunong.demo.steps:load_land", stage=40),
        DemoStep("yunong.demo.steps:farmer", stage=41),
    ),
    indicators="yunong.land.indicators",
    pack_section="land",
)
