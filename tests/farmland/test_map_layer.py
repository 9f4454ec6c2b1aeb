"""What the pages serve from the projects: the one map's projects layer (``/api/land/map``,
each project with its kind, step and cultivated 亩 for the card, inside the caller's scope)
the progress page's chart per year against the target and grain-and-oil share per
district, and the land module's non-grain list naming the project."""

import json
import re
from datetime import date

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from tests.factories import make_world
from tests.farmland.factories import (
    SYSTEM,
    boundary_frame,
    box,
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
from yunong.farmland.models import Project
from yunong.land import jobs
from yunong.land.models import Parcel
from yunong.policy import loader
from yunong.settings import Settings, get_settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

OTHER_DISTRICT = "500102000000"  # 涪陵区
runner = CliRunner()


@pytest.fixture(scope="module")
def world(module_db_url, tmp_path_factory):
    """WZ-A (新建) accepted over parcels 1–2; WZ-B (改造提升) approved only, over parcel 4;
    FL-C in 涪陵区, drawn (by hand here) on WZ-A's land so every view holds it."""
    folder = tmp_path_factory.mktemp("files")
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        parcel_layer(session, built.place.village, folder)
        ready_project(session, "WZ-A")
        ready_project(session, "WZ-B", kind="改造提升")
        path = write(
            boundary_frame(
                [
                    feature("WZ-A", column_span(1, 2)),
                    feature("WZ-B", box(4 * 150.0, 4 * 150.0 + 40), kind="改造提升"),
                ]
            ),
            folder / "boundaries.gpkg",
        )
        assert boundaries.import_file(session, scope=SYSTEM, path=path).errors == []
        for number, last in (("WZ-A", "竣工验收"), ("WZ-B", "申报审批")):
            for day, step in enumerate(
                ("规划编制", "前期准备", "申报审批", "计划管理", "组织实施", "竣工验收"), start=1
            ):
                steps.take(
                    session,
                    scope=SYSTEM,
                    pack=loader.get(),
                    number=number,
                    step_in=steps.StepIn(step, date(2024, 1, day)),
                    today=date(2024, 12, 1),
                )
                if step == last:
                    break
        # Parcel 1 (inside WZ-A) grows grain, parcel 2 (inside WZ-A) vegetables.
        for key, use in (("0001", "grain"), ("0002", "cash_crop")):
            parcel = session.scalars(select(Parcel).where(Parcel.source_key.endswith(key))).one()
            parcel.current_use = use
        ready_project(session, "FL-C", district=OTHER_DISTRICT)
        source = session.scalars(select(Project).where(Project.number == "WZ-A")).one()
        other = session.scalars(select(Project).where(Project.number == "FL-C")).one()
        other.geom = source.geom
        other.min_x, other.min_y = source.min_x, source.min_y
        other.max_x, other.max_y = source.max_x, source.max_y
        bbox = ",".join(f"{v:.6f}" for v in (source.min_x - 0.01, source.min_y - 0.01,
                                             source.max_x + 0.01, source.max_y + 0.01))  # fmt: skip
    engine.dispose()
    return built, bbox


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


def projects(client, world, role, zoom=14, region=None):
    built, bbox = world
    query = {"bbox": bbox, "zoom": zoom, **({"region": region} if region else {})}
    answer = client.get("/api/land/map", params=query, headers=headers(built, role))
    assert answer.status_code == 200
    return {f["properties"]["number"]: f for f in answer.json()["projects"]["features"]}


def test_the_map_serves_the_projects_with_what_their_card_shows(client, world):
    found = projects(client, world, Role.CITY_ADMIN)
    assert set(found) == {"WZ-A", "WZ-B", "FL-C"}
    a, b = found["WZ-A"]["properties"], found["WZ-B"]["properties"]
    assert a == {
        "number": "WZ-A",
        "name": "WZ-A项目",
        "kind": "new",
        "year": 2024,
        "step": "accept",
        "accepted": True,
        "cultivated_mu": 18.0,
    }
    assert (b["kind"], b["step"], b["accepted"], b["cultivated_mu"]) == (
        "upgrade",
        "approve",
        False,
        3.6,
    )
    assert found["WZ-A"]["geometry"]["type"] == "Polygon"
    # Zoomed out to Chongqing's whole, parcels give way to villages but projects stay…
    assert set(projects(client, world, Role.CITY_ADMIN, zoom=9)) == {"WZ-A", "WZ-B", "FL-C"}
    # …until the whole country is in view.
    assert projects(client, world, Role.CITY_ADMIN, zoom=5) == {}


def test_the_layer_keeps_to_the_callers_district_and_the_region_filter(client, world):
    built, _ = world
    assert set(projects(client, world, Role.DISTRICT_OFFICER)) == {"WZ-A", "WZ-B"}
    assert set(projects(client, world, Role.CITY_ADMIN, region=OTHER_DISTRICT)) == {"FL-C"}
    # A project belongs to its district: a town sees none, as on the project pages.
    assert projects(client, world, Role.TOWN_OFFICER) == {}


def test_the_map_page_has_the_layers_checkbox_and_card_in_both_languages(client, world):
    built, _ = world
    page = client.get("/apps/land", headers=headers(built, Role.DISTRICT_OFFICER))
    assert 'id="show-projects"' in page.text and "高标准农田项目" in page.text
    assert 'id="overlay-card-link"' in page.text and "/farmland/projects/{}" in page.text
    client.get("/lang/en")
    try:
        english = client.get("/apps/land", headers=headers(built, Role.DISTRICT_OFFICER))
    finally:
        client.get("/lang/zh")
    assert "Current step" in english.text and "Open the project" in english.text
    assert "High-standard farmland project" in english.text


def chart_data(page_text: str) -> dict:
    found = re.search(r'<script type="application/json" id="built-data">(.*?)</script>', page_text)
    assert found is not None
    return json.loads(found.group(1))


def test_the_progress_chart_sets_each_years_new_and_upgraded_mu_against_the_target(client, world):
    built, _ = world
    city = client.get("/farmland/progress", headers=headers(built, Role.CITY_ADMIN))
    assert 'id="built-chart"' in city.text and "/static/farmland-progress.js" in city.text
    years = {y["year"]: y for y in chart_data(city.text)["years"]}
    # Only WZ-A (新建, 18 亩) is accepted; WZ-B (改造提升) is not yet.
    assert years[2024] == {
        "year": 2024,
        "new_mu": 18.0,
        "upgrade_mu": 0.0,
        "target_mu": 2_000_000.0,
    }
    assert years[2027]["target_mu"] == 2_000_000.0 and years[2027]["new_mu"] == 0.0
    # A district officer sees the district's own years, with no share of the city's target.
    district = client.get("/farmland/progress", headers=headers(built, Role.DISTRICT_OFFICER))
    assert chart_data(district.text)["years"] == [
        {"year": 2024, "new_mu": 18.0, "upgrade_mu": 0.0, "target_mu": None}
    ]


def test_the_progress_page_shows_the_grain_and_oil_share_per_district(client, world):
    built, _ = world
    page = client.get("/farmland/progress", headers=headers(built, Role.DISTRICT_OFFICER))
    table = page.text.split('id="grain-share"')[1].split("</table>")[0]
    # 万州区: parcels 1 and 2 (18 亩) are high-standard, 9 亩 of them in grain.
    assert "万州区" in table and "18.00" in table and "9.00" in table and "50.0%" in table
    client.get("/lang/en")
    try:
        english = client.get("/farmland/progress", headers=headers(built, Role.CITY_ADMIN))
    finally:
        client.get("/lang/zh")
    assert "Grain and oil share" in english.text
    assert chart_data(english.text)["text"]["target"] == "Yearly target"


def test_the_non_grain_list_names_the_project_of_high_standard_parcels(
    world, module_db_url, monkeypatch, tmp_path
):
    engine = make_engine(module_db_url)
    try:
        found = {
            item.code[-4:]: item
            for item in jobs.non_grain_list(engine, scope=SYSTEM, pack=loader.get())
        }
    finally:
        engine.dispose()
    # Parcel 2 grows vegetables inside WZ-A; parcel 1 grows grain there and is not listed.
    listed = [item for item in found.values() if item.high_standard]
    assert [(i.project_number, i.project_name, i.area_mu) for i in listed] == [
        ("WZ-A", "WZ-A项目", 9.0)
    ]
    monkeypatch.setenv("YUNONG_DB_URL", module_db_url)
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["land", "non-grain", str(tmp_path / "n.xlsx")])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.stdout
    sheet = openpyxl.load_workbook(tmp_path / "n.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    number, name = header.index("高标准农田项目编号"), header.index("高标准农田项目名称")
    assert [(row[number], row[name]) for row in rows[1:]] == [("WZ-A", "WZ-A项目")]
