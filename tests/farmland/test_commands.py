"""`yunong farmland …` from the command line: the import's JSON in the issue's shape, steps
and the ledger."""

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.factories import make_place
from tests.farmland.factories import boundary_frame, column_span, feature, parcel_layer
from tests.land.factories import write
from yunong.cli import app
from yunong.store.db import make_engine, make_sessionmaker, transaction

runner = CliRunner()


@pytest.fixture
def ready(configured, tmp_path):
    engine = make_engine(configured)
    with transaction(make_sessionmaker(engine)) as session:
        place = make_place(session)
        parcel_layer(session, place.village, tmp_path)
    yield engine, place
    engine.dispose()


def test_import_prints_the_issues_json_and_exits_3_when_a_feature_is_refused(ready, tmp_path):
    path = write(
        boundary_frame(
            [feature("WZ-A", column_span(1, 2)), feature("WZ-B", column_span(4, 4), kind="旧建")]
        ),
        tmp_path / "b.geojson",
    )
    result = runner.invoke(app, ["farmland", "import", str(path), "--json"])
    assert result.exit_code == 3, result.output
    assert json.loads(result.stdout) == {
        "projects": {"imported": 1, "unchanged": 0, "rejected": 1},
        "errors": [{"feature": 2, "reason": "建设类型：建设类型“旧建”应为 新建 或 改造提升"}],
        "areas": [{"project": "WZ-A", "cultivated_mu": 18.0}],
    }
    again = runner.invoke(app, ["farmland", "import", str(path), "--json"])
    assert json.loads(again.stdout)["projects"] == {"imported": 0, "unchanged": 1, "rejected": 1}


def test_a_step_out_of_order_is_refused_and_the_ledger_lists_the_project(ready, tmp_path):
    path = write(boundary_frame([feature("WZ-A", column_span(1, 2))]), tmp_path / "a.geojson")
    assert runner.invoke(app, ["farmland", "import", str(path)]).exit_code == 0
    refused = runner.invoke(app, ["farmland", "step", "WZ-A", "申报审批"])
    assert refused.exit_code != 0 and "下一环节是“规划编制”" in refused.output
    taken = runner.invoke(app, ["farmland", "step", "WZ-A", "规划编制", "--date", "2024年3月4日"])
    assert taken.exit_code == 0, taken.output
    out = tmp_path / "ledger.xlsx"
    assert runner.invoke(app, ["farmland", "ledger", str(out)]).exit_code == 0
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("区县代码", "项目编号", "全农码")
    assert (rows[1][1], rows[1][8]) == ("WZ-A", "规划编制")
