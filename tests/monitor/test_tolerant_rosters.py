"""A roster's optional 受灾情况 column is read as villages write it: a description of the
disaster (洪涝受灾, 旱灾, 受灾) is taken as hit, type kept, grade left for the visit; text it
cannot read is kept as typed with a warning. Neither refuses the household: refusals stay for
what makes a household wrong (ID numbers, heads, regions, amounts)."""

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.factories import make_place
from tests.monitor.test_import import household, run, write_csv
from yunong.cli import app as cli
from yunong.core.scope import Scope
from yunong.monitor import jobs
from yunong.monitor.models import Alert, Household, HouseholdYear
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction


@pytest.fixture
def place(session):
    return make_place(session)


def stored(session) -> dict[str, tuple[str | None, str | None]]:
    """Each household's number → (受灾等级, the roster's own words)."""
    rows = session.execute(
        select(Household.number, HouseholdYear.disaster, HouseholdYear.disaster_note).join(
            HouseholdYear, HouseholdYear.household_id == Household.id
        )
    )
    return {number: (grade, note) for number, grade, note in rows}


def test_a_roster_that_says_flooded_imports_every_otherwise_valid_household(
    session, place, tmp_path
):
    rows = (
        household("0001", disaster="洪涝受灾")
        + household("0002", disaster="旱灾")
        + household("0003", disaster="受灾")
        + household("0004", disaster="一般")
        + household("0005")
    )

    result = run(session, write_csv(tmp_path, rows))

    assert (result.households.imported, result.households.rejected, result.errors) == (5, 0, [])
    assert stored(session) == {
        "0001": ("待定级", "洪涝受灾"),
        "0002": ("待定级", "旱灾"),
        "0003": ("待定级", "受灾"),
        "0004": ("一般", None),
        "0005": (None, None),
    }
    [flood, drought, hit] = result.warnings
    assert (flood.line, flood.column) == (2, "受灾情况")
    assert "灾种：洪涝" in flood.reason and "等级待入户核实" in flood.reason
    assert "灾种：干旱" in drought.reason and hit.line == 8


def test_a_description_that_names_a_grade_keeps_the_grade(session, place, tmp_path):
    result = run(session, write_csv(tmp_path, household("0001", disaster="严重洪涝")))
    assert (result.households.imported, result.warnings) == (1, [])
    assert stored(session) == {"0001": ("严重", "严重洪涝")}


def test_text_that_cannot_be_read_is_kept_with_a_warning(session, place, tmp_path):
    result = run(session, write_csv(tmp_path, household("0001", disaster="很大")))
    assert (result.households.imported, result.households.rejected) == (1, 0)
    assert stored(session) == {"0001": (None, "很大")}
    [warning] = result.warnings
    assert "“很大”" in warning.reason and "已按原文保存" in warning.reason


def test_the_words_for_no_disaster_are_no_disaster_without_a_note(session, place, tmp_path):
    rows = household("0001", disaster="无") + household("0002", disaster="未受灾")
    result = run(session, write_csv(tmp_path, rows))
    assert result.warnings == []
    assert stored(session) == {"0001": (None, None), "0002": (None, None)}


def test_a_refused_household_gets_no_warning(session, place, tmp_path):
    rows = household("0001", disaster="洪涝受灾", income="-500")
    result = run(session, write_csv(tmp_path, rows))
    assert result.households.rejected == 1 and result.warnings == []


def test_the_same_roster_twice_changes_nothing_and_a_new_description_updates(
    session, place, tmp_path
):
    rows = household("0001", disaster="洪涝受灾")
    path = write_csv(tmp_path, rows, name="a.csv")
    run(session, path)
    again = run(session, path)
    assert (again.households.unchanged, again.households.updated) == (1, 0)
    rows[0][-1] = "旱灾"
    changed = run(session, write_csv(tmp_path, rows, name="b.csv"))
    assert (changed.households.updated, changed.persons.imported) == (1, 0)
    assert stored(session) == {"0001": ("待定级", "旱灾")}


def test_an_affected_household_without_a_grade_is_screened_for_a_visit(private_db_url, tmp_path):
    engine = make_engine(private_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        make_place(session)
        run(session, write_csv(tmp_path, household("0001", disaster="洪涝受灾")), year=2024)
    jobs.screen(engine, scope=Scope.system("test"), pack=loader.get(), year=2024)
    with transaction(make_sessionmaker(engine)) as session:
        alerts = session.execute(select(Alert.risk_type, Alert.rules)).all()
    engine.dispose()
    assert [(risk, "disaster_loss" in rules) for risk, rules in alerts] == [("因自然灾害", True)]


def test_the_import_command_prints_the_warnings_and_exits_zero(configured, tmp_path):
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        make_place(session)
    path = write_csv(tmp_path, household("0001", disaster="洪涝受灾"))
    result = CliRunner().invoke(cli, ["import", "households", str(path), "--year", "2024"])
    assert result.exit_code == 0, result.output
    assert "第 2 行【受灾情况】" in result.output and "等级待入户核实" in result.output
