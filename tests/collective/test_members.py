"""Members from the organisation's roll: linked to persons of the registry by 全农码, their
人口股 and 劳龄股 recorded as share events, bad rows refused, the same roll twice unchanged."""

import pytest
from sqlalchemy import select

from tests.collective.factories import SYSTEM, make_org, resident_id
from tests.factories import make_place
from tests.habitat.factories import write_xlsx
from yunong.collective import members
from yunong.collective.models import Member
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind

pytestmark = pytest.mark.db
HEADER = ["全农码", "姓名", "证件号码", "电话", "确认日期", "确认依据", "状态", "人口股", "劳龄股"]


def test_the_roll_links_members_by_code_and_records_their_shares(session, tmp_path):
    place = make_place(session)
    org = make_org(session, place.village)
    people = identity.create_many(
        session,
        scope=SYSTEM,
        kind=Kind.SUBJECT,
        region_code=place.village,
        entity_type="person",
        entity_ids=["p1", "p2", "p3"],
    )
    roll = write_xlsx(
        tmp_path / "成员名册.xlsx",
        HEADER,
        [
            [
                people[0],
                "王德才",
                resident_id(1),
                "13800000001",
                "2019年6月30日",
                "户籍在本村",
                "已确认",
                1,
                3,
            ],
            [people[1], "李秀英", resident_id(2), "", "2019/6/30", "婚入", "", 1, ""],
            [
                people[2],
                "张国华",
                resident_id(3),
                "",
                "2019-06-30",
                "户籍在本村",
                "已确认",
                1,
                "1.5",
            ],
            ["P500101108201ZZZZZZ1", "无码", resident_id(4), "", "2019-06-30", "户籍", "", 1, ""],
        ],
    )
    tally = members.import_members(session, scope=SYSTEM, org=org, path=roll)
    shown = tally.as_json()
    assert shown["members"] == {"imported": 2, "unchanged": 0, "rejected": 2}
    assert [error["row"] for error in shown["errors"]] == [4, 5]
    assert "劳龄股“1.5”应为非负整数" in shown["errors"][0]["reason"]
    again = members.import_members(session, scope=SYSTEM, org=org, path=roll)
    assert again.as_json()["members"] == {"imported": 0, "unchanged": 2, "rejected": 2}
    found = session.scalars(select(Member).where(Member.org_id == org.id)).all()
    listed = {row.name: row for row in members.rows_of(session, list(found))}
    assert listed["王德才"].shares == {"人口股": 1, "劳龄股": 3}
    assert listed["王德才"].id_number == resident_id(1)[:3] + "*" * 11 + resident_id(1)[-4:]
