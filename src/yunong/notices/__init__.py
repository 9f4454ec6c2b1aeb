"""通知公告: notices from city, district and town offices to the roles of their region, with
read receipts (签收)."""

from yunong.core.application import Application, DemoStep, NavEntry

application = Application(
    key="notices",
    title="通知公告",
    clause="（三十一）",
    routers=("yunong.notices.views:router",),
    models="yunong.notices.models",
    nav=(NavEntry("通知公告", "/notices"),),
    demo=(DemoStep("yunong.demo.steps:notices", stage=95),),
    todo="yunong.notices.todo:todo",
    lists=("/notices",),
)
