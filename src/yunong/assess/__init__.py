"""考核驾驶舱: the seed's targets, reported and computed indicators, approval and 赛马比拼."""

from yunong.core.application import Application, DemoStep, NavEntry

application = Application(
    key="assess",
    title="考核驾驶舱",
    clause="一、（三十七）",
    routers=("yunong.assess.views:router",),
    commands=(("assess", "yunong.assess.cli:assess_app"),),
    models="yunong.assess.models",
    nav=(NavEntry("考核驾驶舱", "/apps/assess"),),
    demo=(DemoStep("yunong.demo.steps:assess", stage=90),),
    indicators="yunong.assess.indicators",
    todo="yunong.assess.todo:todo",
    pack_section="indicators",
)
