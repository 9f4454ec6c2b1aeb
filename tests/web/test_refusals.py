"""Refused requests, exports and views of personal data are audited; a client repeating the
same refused request is summarised in one more record a minute, not one record a request."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.assess.factories import WANZHOU, approved
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.refusals import RefusalTally

BOGUS = {"Authorization": "Bearer yn_not-a-token-anyone-was-given"}


@pytest.fixture(scope="module")
def sessions(module_db_url):
    engine = make_engine(module_db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def audited(sessions):
    """The records written since the test began, as (action, actor, target, detail)."""
    with transaction(sessions) as session:
        start = session.scalar(select(AuditRecord.seq).order_by(AuditRecord.seq.desc())) or 0

    def since(action: str) -> list[tuple[str, str, str, str]]:
        with transaction(sessions) as session:
            query = (
                select(AuditRecord)
                .where(AuditRecord.seq > start, AuditRecord.action == action)
                .order_by(AuditRecord.seq)
            )
            return [(r.action, r.actor, r.target_id, r.detail) for r in session.scalars(query)]

    return since


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app):
    ticking = Clock()
    app.state.refusal_tally = RefusalTally(clock=ticking)
    yield ticking
    app.state.refusal_tally = RefusalTally()


def client_at(app, address: str, world=None, role: Role | None = None) -> TestClient:
    client = TestClient(app, client=(address, 40000))
    if role is not None:
        client.headers["Authorization"] = f"Bearer {world.accounts[role].token}"
    return client


def test_the_same_refused_token_from_one_client_is_written_once_in_a_minute(app, clock, audited):
    with client_at(app, "198.51.100.7") as client:
        codes = {client.get("/api/me", headers=BOGUS).status_code for _ in range(30)}
    assert codes == {401}
    [(_, actor, path, detail)] = audited("token.refused")
    assert (actor, path) == ("anonymous", "/api/me")
    assert "198.51.100.7" in detail


def test_the_repeats_are_written_as_one_count_when_the_minute_is_over(app, clock, audited):
    with client_at(app, "198.51.100.8") as client:
        for _ in range(12):
            client.get("/api/me", headers=BOGUS)
        clock.now += 61
        assert client.get("/api/health").status_code == 200
    first, summary = audited("token.refused")
    assert "又被拒绝 11 次" in summary[3] and "198.51.100.8" in summary[3]


def test_refusals_from_different_clients_are_each_written(app, clock, audited):
    for address in ("198.51.100.9", "198.51.100.10"):
        with client_at(app, address) as client:
            client.get("/api/me", headers=BOGUS)
            client.get("/api/me", headers=BOGUS)
    assert len(audited("token.refused")) == 2


def test_a_client_varying_the_path_is_summarised_under_one_row(app, clock, audited):
    with client_at(app, "198.51.100.11") as client:
        for number in range(60):
            client.get(f"/api/regions/50010110820{number % 10}{number}", headers=BOGUS)
    assert len(audited("token.refused")) <= 21


def test_a_request_refused_for_the_callers_role_is_recorded(app, world, clock, audited):
    with client_at(app, "198.51.100.12", world, Role.GRID_WORKER) as client:
        assert client.get("/api/users").status_code == 403
    [(_, actor, path, detail)] = audited("access.refused")
    assert (actor, path) == (world.accounts[Role.GRID_WORKER].name, "/api/users")
    assert "不能管理用户" in detail


def test_a_monitoring_export_is_recorded_with_its_rows(app, world, audited):
    with client_at(app, "198.51.100.13", world, Role.TOWN_OFFICER) as client:
        assert client.get("/monitor/export/cases.xlsx").status_code == 200
    [(_, actor, what, detail)] = audited("monitor.export")
    assert (actor, what) == (world.accounts[Role.TOWN_OFFICER].name, "cases")
    assert "导出" in detail and "行" in detail


def test_an_assessment_report_download_is_recorded(app, world, sessions, audited):
    with transaction(sessions) as session:
        approved(session, WANZHOU, 2024)
    with client_at(app, "198.51.100.14", world, Role.CITY_ADMIN) as client:
        assert client.post("/assess/2024/score", follow_redirects=False).status_code == 303
        assert client.get("/assess/2024/report.xlsx").status_code == 200
    [(_, actor, what, _)] = audited("assess.report_export")
    assert (actor, what) == (world.accounts[Role.CITY_ADMIN].name, "2024-xlsx")


def test_listing_the_self_reports_is_recorded_as_a_view_of_personal_data(app, world, audited):
    with client_at(app, "198.51.100.15", world, Role.VILLAGE_CADRE) as client:
        assert client.get("/api/monitor/self-reports").status_code == 200
    [(_, actor, _, detail)] = audited("monitor.self_reports.view")
    assert actor == world.accounts[Role.VILLAGE_CADRE].name and "条" in detail
