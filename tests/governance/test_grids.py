"""Grids (网格): a household is in at most one grid and assigning it elsewhere moves it,
recording who moved it; a grid's worker must be a grid worker of its village; the import
refuses rows by line and changes nothing the second time."""

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from tests.factories import add_user, make_place
from tests.monitor.factories import Member, add_household
from yunong.cli import app
from yunong.core.auth.roles import Role
from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope
from yunong.governance import grids
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db
SYSTEM = Scope.system("test")
runner = CliRunner()


def households(session, village: str, count: int) -> list[str]:
    """``count`` households of ``village`` numbered 001…, their 全农码."""
    return [
        add_household(
            session,
            village=village,
            number=f"{n:03d}",
            members=[Member(f"张{'建国华明德'[n % 5]}{n}", date(1960, 1, n))],
        ).household.code
        for n in range(1, count + 1)
    ]


def test_assigning_a_household_to_another_grid_moves_it(session):
    place = make_place(session)
    add_user(session, "grid_a", Role.GRID_WORKER, place.village)
    add_user(session, "grid_b", Role.GRID_WORKER, place.village)
    first, second = households(session, place.village, 2)
    cadre = Scope(actor="cadre_shiping", region_code=place.village, role=Role.VILLAGE_CADRE.value)
    one = grids.create(session, scope=cadre, grid_in=grids.GridIn(place.village, "一组", "grid_a"))
    two = grids.create(session, scope=cadre, grid_in=grids.GridIn(place.village, "二组", "grid_b"))
    assert grids.assign(session, scope=cadre, grid=one, keys=[first, "002"]) == grids.Assigned(2)
    moved = grids.assign(session, scope=SYSTEM, grid=two, keys=[first])
    assert moved == grids.Assigned(moved=1)
    in_one = grids.households_of(session, scope=SYSTEM, grid=one)
    in_two = grids.households_of(session, scope=SYSTEM, grid=two)
    assert [row.code for row in in_one] == [second]
    assert [(row.code, row.assigned_by) for row in in_two] == [(first, "test")]
    assert grids.assign(session, scope=SYSTEM, grid=two, keys=[first]) == grids.Assigned(
        unchanged=1
    )


def test_a_grid_worker_must_be_a_grid_worker_of_the_village(session):
    place = make_place(session)
    add_user(session, "grid_elsewhere", Role.GRID_WORKER, place.neighbour_village)
    add_user(session, "cadre_here", Role.VILLAGE_CADRE, place.village)
    for worker in ("grid_elsewhere", "cadre_here", "nobody"):
        with pytest.raises(InvalidValue, match="不是本村在用的网格员账号"):
            grids.create(session, scope=SYSTEM, grid_in=grids.GridIn(place.village, "一组", worker))


def test_a_household_of_another_village_is_refused_and_nothing_is_assigned(session):
    place = make_place(session)
    add_user(session, "grid_a", Role.GRID_WORKER, place.village)
    here = households(session, place.village, 1)
    there = add_household(
        session, village=place.neighbour_village, number="009",
        members=[Member("冉光荣", date(1966, 6, 6))],
    ).household.code  # fmt: skip
    grid = grids.create(
        session, scope=SYSTEM, grid_in=grids.GridIn(place.village, "一组", "grid_a")
    )
    with pytest.raises(InvalidValue, match="不在网格“一组”所在的村"):
        grids.assign(session, scope=SYSTEM, grid=grid, keys=[*here, there])
    assert grids.households_of(session, scope=SYSTEM, grid=grid) == []


@pytest.fixture
def ready(configured):
    engine = make_engine(configured)
    with transaction(make_sessionmaker(engine)) as session:
        place = make_place(session)
        add_user(session, "grid_a", Role.GRID_WORKER, place.village)
        households(session, place.village, 3)
    yield place
    engine.dispose()


def test_the_grid_import_refuses_rows_by_line_and_a_second_import_changes_nothing(ready, tmp_path):
    sheet = tmp_path / "grids.csv"
    sheet.write_text(
        "村代码,网格名称,网格员(账号),户编号\n"
        f"{ready.village},一组,grid_a,001\n"
        f"{ready.village},一组,grid_a,002\n"
        f"{ready.village},二组,nobody,003\n"
        f"{ready.village},一组,grid_a,999\n"
        f"{ready.other_town_village},三组,grid_a,001\n",
        encoding="utf-8",
    )
    command = ["governance", "grids", "import", str(sheet), "--json"]
    first = runner.invoke(app, command)
    assert first.exit_code == 3, first.output
    data = json.loads(first.stdout)
    assert data["grids"] == {"created": 1}
    assert data["households"] == {"assigned": 2, "moved": 0, "unchanged": 0, "rejected": 3}
    assert [(e["line"], e["column"]) for e in data["errors"]] == [
        (4, "网格员(账号)"),
        (5, "户编号"),
        (6, "网格员(账号)"),
    ]
    assert "“nobody”不是本村在用的网格员账号" in data["errors"][0]["reason"]
    second = json.loads(runner.invoke(app, command).stdout)
    assert second["grids"] == {"created": 0}
    assert second["households"] == {"assigned": 0, "moved": 0, "unchanged": 2, "rejected": 3}
