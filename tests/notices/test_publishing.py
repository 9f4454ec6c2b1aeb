"""Offices of a city, district or town publish notices to their own region; anybody else is
refused, and a notice with a field wrong is refused whole, naming each field."""

import pytest
from sqlalchemy import func, select

from tests.factories import make_place
from tests.notices.factories import BODY, TITLE, TODAY
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden
from yunong.core.scope import Scope
from yunong.notices import service
from yunong.notices.models import Notice

WANZHOU = "500101000000"
LONGSHA = "500101108000"
SHIPING = "500101108201"


def acting(role: Role, region: str) -> Scope:
    return Scope(
        actor=f"{role.value}_01", region_code=region, role=role.value, user_id=1,
        can_write=role.can_write,
    )  # fmt: skip


def publish(session, scope: Scope, **typed) -> Notice:
    fields = {"title": TITLE, "body": BODY, "due_on": "2024-11-30"} | typed
    return service.publish(session, scope=scope, notice_in=service.NoticeIn(**fields), today=TODAY)


def notices(session) -> int:
    return session.scalar(select(func.count()).select_from(Notice))


@pytest.mark.parametrize(
    ("role", "region"),
    [(Role.CITY_ADMIN, "500000000000"), (Role.DISTRICT_OFFICER, WANZHOU),
     (Role.TOWN_OFFICER, LONGSHA)],
)  # fmt: skip
def test_an_office_publishes_to_the_region_it_is_bound_to(session, role, region):
    make_place(session)
    notice = publish(session, acting(role, region))
    assert (notice.region_code, notice.title, notice.published_by) == (
        region, TITLE, f"{role.value}_01",
    )  # fmt: skip
    assert service.audience(session, notice) == [role.value for role in service.ADDRESSED]


def test_a_notice_to_every_role_is_not_sent_to_farmers(session):
    make_place(session)
    notice = publish(session, acting(Role.TOWN_OFFICER, "500101108000"))
    assert Role.FARMER.value not in service.audience(session, notice)


def test_publishing_is_recorded_in_the_audit_trail(session):
    make_place(session)
    notice = publish(session, acting(Role.DISTRICT_OFFICER, WANZHOU))
    record = session.scalars(
        select(AuditRecord).where(AuditRecord.action == "notice.published")
    ).one()
    assert (record.target_id, record.region_code, record.detail) == (str(notice.id), WANZHOU, TITLE)


@pytest.mark.parametrize(
    ("role", "region"),
    [(Role.VILLAGE_CADRE, SHIPING), (Role.GRID_WORKER, SHIPING),
     (Role.COLLECTIVE_ACCOUNTANT, SHIPING), (Role.BANK_VIEWER, WANZHOU),
     (Role.PRODUCER, SHIPING)],
)  # fmt: skip
def test_the_roles_that_receive_notices_cannot_publish_them(session, role, region):
    make_place(session)
    with pytest.raises(Forbidden, match=f"{role.label}不能发布"):
        publish(session, acting(role, region))
    assert notices(session) == 0


def test_only_the_chosen_roles_are_its_audience_in_the_platforms_order(session):
    make_place(session)
    notice = publish(
        session, acting(Role.TOWN_OFFICER, LONGSHA), roles=("grid_worker", "village_cadre")
    )
    assert service.audience(session, notice) == ["village_cadre", "grid_worker"]


@pytest.mark.parametrize(
    ("typed", "field", "reason"),
    [
        ({"title": "  "}, "标题", "请填写标题"),
        ({"title": "通" * 101}, "标题", "最多 100 个字，现有 101 个字"),
        ({"body": ""}, "正文", "请填写正文"),
        ({"body": "文" * 4001}, "正文", "最多 4000 个字，现有 4001 个字"),
        ({"roles": ("farmer",)}, "接收角色", "“farmer”不是平台的角色"),
        ({"due_on": "11月30日"}, "签收期限", "“11月30日”不是日期，应如 2024-12-31"),
        ({"due_on": "2024-11-17"}, "签收期限", "2024-11-17 已经过去，应不早于今天（2024-11-18）"),
    ],
)
def test_a_wrong_field_refuses_the_notice_naming_the_field(session, typed, field, reason):
    make_place(session)
    with pytest.raises(service.Refused) as refused:
        publish(session, acting(Role.DISTRICT_OFFICER, WANZHOU), **typed)
    assert refused.value.errors == {field: reason}
    assert notices(session) == 0


def test_every_wrong_field_is_named_at_once(session):
    make_place(session)
    with pytest.raises(service.Refused) as refused:
        publish(session, acting(Role.DISTRICT_OFFICER, WANZHOU), title="", body="", due_on="x")
    assert list(refused.value.errors) == ["标题", "正文", "签收期限"]


def test_the_body_is_kept_as_typed_with_its_line_breaks_and_any_markup_as_text(session):
    make_place(session)
    body = "第一条：<b>按时</b>排查\r\n第二条：如实填写"
    notice = publish(session, acting(Role.DISTRICT_OFFICER, WANZHOU), body=body)
    assert notice.body == "第一条：<b>按时</b>排查\n第二条：如实填写"
