"""通知公告: notices from city, district and town offices to the roles of their region, with
read receipts (签收)."""

from yunong.core.application import Application

application = Application(
    key="notices",
    title="通知公告",
    clause="（三十一）",
    models="yunong.notices.models",
)
