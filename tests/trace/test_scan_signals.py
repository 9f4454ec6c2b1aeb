"""Over HTTP, anonymous visitors cannot change what the public sees of a product: their
positions are evidence for an official, who confirms or clears the flag they raise."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.factories import add_user
from tests.trace.factories import add_batch, make_trace_world
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.trace import scans
from yunong.trace.models import Batch, ScanReport
from yunong.trace.web_state import public_state
from yunong.web.app import create_app

FAR_APART = [(29.6, 106.5), (39.9, 116.4), (23.1, 113.3)]
SYSTEM = Scope.system("test")


@pytest.fixture(scope="module")
def built(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_trace_world(session)
        codes = {
            name: add_batch(session, world.product, lot=f"SIG-{name}").code
            for name in ("scanned", "flagged")
        }
        many = [add_batch(session, world.product, lot=f"SIG-{n}").code for n in range(21)]
        officer = add_user(session, "wanzhou_officer", Role.DISTRICT_OFFICER, "500101000000")
        tokens = {
            "district": users.create_token(session, scope=SYSTEM, user_id=officer.id),
            "producer": world.producer_token,
        }
    engine.dispose()
    return world, codes | {"many": many}, tokens


@pytest.fixture(scope="module")
def app(module_db_url, built, tmp_path_factory):
    return create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))


def visitor(app, number: int) -> TestClient:
    return TestClient(app, client=(f"203.0.113.{number}", 50000))


def official(app, tokens, who: str) -> TestClient:
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {tokens[who]}"
    return client


def public_status(app, code: str) -> str:
    public_state(app).counter.flush(app.state.sessions)
    with visitor(app, 200) as client:
        return client.get(f"/api/trace/public/{code}").json()["status"]


def batch_id_of(session, code: str) -> int:
    return session.scalar(select(Batch.id).where(Batch.code == code))


def flag_spread(app, code: str) -> None:
    """Three clients in three cities over more than a day, as the database keeps them."""
    start = datetime.now(UTC) - timedelta(hours=30)
    with transaction(app.state.sessions) as session:
        for number, (lat, lon) in enumerate(FAR_APART):
            scans.report_place(
                session,
                batch_id=batch_id_of(session, code),
                client=f"seeded-{number}",
                lat=lat,
                lon=lon,
                now=start + timedelta(hours=15 * number),
            )


def secret(app) -> str:
    return app.state.settings.signing_key()


def test_anonymous_positions_far_apart_do_not_turn_the_public_page_red(app, built):
    _, codes, _ = built
    code = codes["scanned"]
    for number, (lat, lon) in enumerate(FAR_APART, start=1):
        with visitor(app, number) as client:
            answer = client.post(f"/api/trace/public/{code}/place", json={"lat": lat, "lon": lon})
            assert answer.status_code == 204
    assert public_status(app, code) != "red"


def test_one_client_posting_many_positions_leaves_one_report(app, built):
    _, codes, _ = built
    code = codes["scanned"]
    with visitor(app, 50) as client:
        for lat, lon in FAR_APART:
            client.post(f"/api/trace/public/{code}/place", json={"lat": lat, "lon": lon})
    with transaction(app.state.sessions) as session:
        kept = session.scalars(select(ScanReport.client)).all()
    assert len([c for c in kept if c == scans.client_digest("203.0.113.50", secret(app))]) == 1
    assert not any("203.0.113" in c for c in kept)


def test_the_district_finds_the_flag_in_its_todo_and_confirms_it_for_the_public(app, built):
    _, codes, tokens = built
    code = codes["flagged"]
    flag_spread(app, code)
    assert public_status(app, code) != "red"
    with official(app, tokens, "district") as client:
        todo = client.get("/api/me/todo").json()
        [checks] = [kind for kind in todo if kind["kind"] == "counterfeit"]
        [listed] = [f for f in client.get("/api/trace/flags").json() if f["batch_code"] == code]
        assert listed["state"] == "pending" and checks["total"] >= 1

        answer = client.post(
            f"/api/trace/flags/{listed['id']}/confirm", json={"note": "抽检发现仿冒包装"}
        )

    assert answer.status_code == 200 and answer.json()["state"] == "confirmed"
    assert public_status(app, code) == "red"


def test_a_producer_cannot_clear_a_flag_on_its_own_batch(app, built):
    _, codes, tokens = built
    code = codes["scanned"]
    flag_spread(app, code)
    with official(app, tokens, "district") as client:
        [flag] = [f for f in client.get("/api/trace/flags").json() if f["batch_code"] == code]
    with official(app, tokens, "producer") as client:
        refused = client.post(f"/api/trace/flags/{flag['id']}/clear", json={"note": "不是假冒"})
    with official(app, tokens, "district") as client:
        [after] = [f for f in client.get("/api/trace/flags").json() if f["batch_code"] == code]
    assert refused.status_code == 403
    assert after["state"] == "pending"


def test_a_client_past_its_reports_for_the_day_is_answered_429(app, built):
    _, codes, _ = built
    with visitor(app, 77) as client:
        statuses = [
            client.post(f"/api/trace/public/{code}/place", json={"lat": 29.6, "lon": 106.5})
            for code in codes["many"]
        ]
    assert [answer.status_code for answer in statuses] == [204] * 20 + [429]
