"""Demo data of 通知公告: the district office (万州区) publishes one notice to every role of
the district, with a 签收期限, so that every demo account there finds it in 待办."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.auth.models import User
from yunong.core.auth.service import scope_of
from yunong.notices import service

PUBLISHER = "demo_district"
TITLE = "关于开展2024年防止返贫集中排查的通知"
BODY = """各乡镇、村（社区），各有关单位：

为巩固拓展脱贫攻坚成果，守住不发生规模性返贫的底线，区里决定开展2024年防止返贫集中排查。现将有关事项通知如下：

一、排查对象。全区农村人口，重点是脱贫不稳定户、边缘易致贫户和突发严重困难户。
二、排查内容。“两不愁三保障”和饮水安全情况，收入支出变化，因病、因灾、因意外事故等风险。
三、工作要求。网格员逐户走访并如实填写走访记录；村级民主评议后报乡镇审核；区级审批后及时落实帮扶措施。集体会计核对村级台账，金融机构配合做好小额信贷风险排查。

请各单位在签收期限前签收本通知，并按要求组织实施。"""
DAYS_TO_SIGN = 10


def create_notices(session: Session, *, today: date) -> None:
    """Publish the district's notice, due in :data:`DAYS_TO_SIGN` days."""
    publisher = session.scalars(select(User).where(User.name == PUBLISHER)).one()
    notice_in = service.NoticeIn(
        TITLE, BODY, due_on=(today + timedelta(days=DAYS_TO_SIGN)).isoformat()
    )
    service.publish(session, scope=scope_of(publisher), notice_in=notice_in, today=today)
