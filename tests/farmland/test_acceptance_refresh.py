"""After an acceptance, taken on the command line, on the project page or through the API,
the village land summary that the one map reads (its village markers and the statistics
beside it) counts the newly flagged parcels at once."""

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from tests.factories import make_world
from tests.farmland.factories import (
    SYSTEM,
    boundary_frame,
    column_span,
    feature,
    parcel_layer,
    ready_project,
)
from tests.land.factories import write
from tests.monitor.factories import headers
from yunong.cli import app
from yunong.core.auth.roles import Role
from yunong.farmland import boundaries, steps
from yunong.land import summary
from yunong.land.models import VillageSummary
from yunong.policy import loader
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

runner = CliRunner()
BEFORE_ACCEPTANCE = ("规划编制", "前期准备", "申报审批", "计划管理", "组织实施")


def high_standard_mu(engine, village: str) -> float:
    with transaction(make_sessionmaker(engine)) as session:
        found = session.scalars(
            select(VillageSummary).where(VillageSummary.village_code == village)
        ).one()
        return round(found.high_standard * 15 / 10000, 2)


def test_an_acceptance_on_the_command_line_a_page_or_the_api_refreshes_the_maps_figures(
    configured, tmp_path
):
    engine = make_engine(configured)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as session:
        world = make_world(session)
        village = world.place.village
        parcel_layer(session, village, tmp_path)
        ready_project(session, "WZ-A")
        ready_project(session, "WZ-B")
        ready_project(session, "WZ-C")
        path = write(
            boundary_frame(
                [
                    feature("WZ-A", column_span(1, 2)),
                    feature("WZ-B", column_span(5, 5)),
                    feature("WZ-C", column_span(7, 7)),
                ]
            ),
            tmp_path / "boundaries.gpkg",
        )
        assert boundaries.import_file(session, scope=SYSTEM, path=path).errors == []
        for number in ("WZ-A", "WZ-B", "WZ-C"):
            for day, step in enumerate(BEFORE_ACCEPTANCE, start=1):
                step_in = steps.StepIn(step, date(2024, 1, day))
                steps.take(session, scope=SYSTEM, pack=loader.get(), number=number, step_in=step_in)
    summary.refresh(engine, pack=loader.get())
    assert high_standard_mu(engine, village) == 0

    # 竣工验收 of WZ-A (parcels 1 and 2, 18 亩) on the command line.
    taken = runner.invoke(app, ["farmland", "step", "WZ-A", "竣工验收", "--date", "2024-03-01"])
    assert taken.exit_code == 0, taken.stdout
    assert high_standard_mu(engine, village) == 18.0

    # 竣工验收 of WZ-B (parcel 5, 9 亩) on its page, by the district officer.
    web = create_app(Settings(db_url=configured, var_dir=tmp_path / "var"))
    with TestClient(web) as client:
        answer = client.post(
            "/farmland/projects/WZ-B/steps",
            data={"step": "竣工验收", "done_on": "2024-03-02"},
            headers=headers(world, Role.DISTRICT_OFFICER),
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        assert high_standard_mu(engine, village) == 27.0

        # 竣工验收 of WZ-C (parcel 7, 9 亩) through the JSON API.
        answer = client.post(
            "/api/farmland/projects/WZ-C/steps",
            json={"step": "竣工验收", "done_on": "2024-03-03"},
            headers=headers(world, Role.DISTRICT_OFFICER),
        )
        assert answer.status_code == 201, answer.text
        assert high_standard_mu(engine, village) == 36.0
    engine.dispose()
