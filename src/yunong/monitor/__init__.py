"""防返贫监测: households and persons, department signals, screening rules, alerts, the ledger."""

from yunong.core.application import Application, DemoStep, NavEntry
from yunong.monitor.access import READERS, VISITORS

application = Application(
    key="monitor",
    title="防返贫监测",
    clause="（五）（二十六）",
    routers=("yunong.monitor.api:router", "yunong.monitor.views:router"),
    commands=(
        ("import", "yunong.monitor.cli:import_app"),
        ("monitor", "yunong.monitor.cli:monitor_app"),
    ),
    models="yunong.monitor.models",
    nav=(
        NavEntry("防返贫监测", "/apps/monitor", roles=READERS),
        NavEntry("登记走访", "/monitor/visit", roles=VISITORS, shortcut=True),
    ),
    demo=(
        DemoStep("yunong.demo.steps:households", stage=10),
        DemoStep("yunong.demo.steps:cases", stage=30),
    ),
    indicators="yunong.monitor.indicators",
    todo="yunong.monitor.todo:todo",
    lists=(
        "/apps/monitor",
        "/monitor/alerts",
        "/monitor/households",
        "/monitor/self-reports",
        "/monitor/zeroing",
    ),
    pack_section="monitoring",
)
