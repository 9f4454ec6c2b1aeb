"""The assessment report is made once per version of its data and handed back again until the
data sets, values or scores change what it shows; every download is still audited.

2024: 万州 approved and scored. 2025: 万州 approved and scored, then 涪陵 approved and the
period scored again (a new ranking). Each test reads its own period, or only compares files
made within itself."""

import io

import openpyxl
import pytest
from sqlalchemy import select

from tests.assess.factories import FULING, PACK, WANZHOU, approved
from tests.web.test_scope_matrix import client_for
from yunong.assess import scoring
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.core.file_cache import FileCache
from yunong.core.scope import Scope
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def sessions(module_db_url):
    engine = make_engine(module_db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def scored(sessions, world):
    with transaction(sessions) as session:
        for period in (2024, 2025):
            approved(session, WANZHOU, period, rural_income_growth=7.37)
            scoring.compute(session, scope=Scope.system("test"), pack=PACK, period=period)


@pytest.fixture
def city(app, world, scored):
    return client_for(app, world, Role.CITY_ADMIN)


def cache(app) -> FileCache:
    return FileCache(app.state.settings.var_dir / "cache" / "reports")


def made(app, period: int, region: str, suffix: str) -> list:
    return cache(app).files(f"assess-report-{period}-{region}-zh", suffix)


def download(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    return response.content


def test_a_second_download_hands_back_the_file_made_for_the_first(app, city, world):
    first = download(city, "/assess/2024/report.xlsx")
    [path] = made(app, 2024, "500000000000", ".xlsx")
    kept = path.stat()
    second = download(city, "/assess/2024/report.xlsx")
    assert made(app, 2024, "500000000000", ".xlsx") == [path]
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)
    assert second == first


def test_the_pdf_is_kept_the_same_way(app, city):
    first = download(city, "/assess/2024/report.pdf")
    [path] = made(app, 2024, "500000000000", ".pdf")
    kept = path.stat().st_mtime_ns
    assert first.startswith(b"%PDF") and download(city, "/assess/2024/report.pdf") == first
    assert path.stat().st_mtime_ns == kept


def test_a_change_of_the_scored_data_makes_a_new_report_and_deletes_the_old(app, city, sessions):
    download(city, "/assess/2025/report.xlsx")
    [old] = made(app, 2025, "500000000000", ".xlsx")
    with transaction(sessions) as session:
        approved(session, FULING, 2025, rural_income_growth=3.21)
        scoring.compute(session, scope=Scope.system("test"), pack=PACK, period=2025)
    workbook = openpyxl.load_workbook(io.BytesIO(download(city, "/assess/2025/report.xlsx")))
    [new] = made(app, 2025, "500000000000", ".xlsx")
    assert new != old and not old.exists()
    districts = [row[2] for row in workbook["赛马比拼"].iter_rows(min_row=2, values_only=True)]
    assert "涪陵区" in districts[:2]


def test_a_district_gets_its_own_report_not_the_citys(app, world, scored):
    district = client_for(app, world, Role.DISTRICT_OFFICER)
    workbook = openpyxl.load_workbook(io.BytesIO(download(district, "/assess/2024/report.xlsx")))
    assert workbook["全市指标"].max_row == 1  # the city's figures are outside its scope
    assert len(made(app, 2024, world.accounts[Role.DISTRICT_OFFICER].region, ".xlsx")) == 1


def test_every_download_is_audited_whether_made_or_kept(city, world, sessions):
    with transaction(sessions) as session:
        start = session.scalar(select(AuditRecord.seq).order_by(AuditRecord.seq.desc()))
    for _ in range(2):
        download(city, "/assess/2024/report.xlsx")
    with transaction(sessions) as session:
        actors = session.scalars(
            select(AuditRecord.actor).where(
                AuditRecord.seq > start, AuditRecord.action == "assess.report_export"
            )
        ).all()
    assert actors == [world.accounts[Role.CITY_ADMIN].name] * 2
