"""基层治理: village affairs routed by 三事分流 with deadlines and each town's monthly summary,
and the cadres stationed in villages with their coverage per district."""

from yunong.core.application import Application, DemoStep

application = Application(
    key="governance",
    title="基层治理",
    clause="（二十二）（三十四）",
    commands=(("governance", "yunong.governance.cli:governance_app"),),
    models="yunong.governance.models",
    demo=(DemoStep("yunong.demo.governance:step", stage=66),),
    indicators="yunong.governance.indicators",
    pack_section="governance",
)
