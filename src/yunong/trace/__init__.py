"""农品“一码通”: product batches on 全农码, traceability events, certificates, brands, scanning."""

from yunong.core.application import Application, DemoStep, NavEntry

application = Application(
    key="trace",
    title="农品一码通",
    clause="（十四）（三十一）",
    routers=("yunong.trace.api:router", "yunong.trace.views:router"),
    commands=(("trace", "yunong.trace.cli:trace_app"),),
    models="yunong.trace.models",
    nav=(NavEntry("农品一码通", "/apps/trace"),),
    demo=(DemoStep("yunong.demo.steps:trace", stage=20),),
    todo="yunong.trace.todo:todo",
    lists=("/apps/trace",),
    pack_section="trace",
)
