"""高标准农田: construction projects from plan to maintenance, mapped onto the parcels."""

from yunong.core.application import Application, DemoStep

application = Application(
    key="farmland",
    title="高标准农田",
    clause="（八）（九）（十）",
    commands=(("farmland", "yunong.farmland.cli:farmland_app"),),
    models="yunong.farmland.models",
    demo=(DemoStep("yunong.demo.farmland:step", stage=60),),
    indicators="yunong.farmland.indicators",
    todo="yunong.farmland.todo:todo",
    pack_section="farmland",
)
