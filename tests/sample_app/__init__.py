"""A tiny application that exists only to show what registering one brings: one table, one
route, one command, one menu entry, one indicator and one demo step."""

from yunong.core.application import Application, DemoStep, NavEntry

application = Application(
    key="sample",
    title="样例应用",
    clause="（三十一）",
    routers=("tests.sample_app.api:router",),
    commands=(("sample", "tests.sample_app.cli:sample_app"),),
    models="tests.sample_app.models",
    nav=(NavEntry("样例应用", "/api/sample/notes"),),
    demo=(DemoStep("tests.sample_app.demo:add_notes", stage=50),),
    indicators="tests.sample_app.indicators",
    pack_section="sample",
)
