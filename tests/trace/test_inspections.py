"""A batch's quality test (检测 合格 / 不合格), which the public page shows, is recorded only by
the producer itself or by an account registered as an inspection agency for the producer's
area; other officials who may write in the region record the other events as before."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from tests.factories import add_user
from tests.trace.factories import (
    SYSTEM,
    add_batch,
    make_trace_world,
    producer_scope,
    record,
)
from yunong.cli import app as cli
from yunong.core.audit.models import AuditRecord
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden, InvalidValue
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.trace import inspectors, public
from yunong.trace.models import Event, Inspector
from yunong.web.app import create_app

WANZHOU, FULING = "500101000000", "500102000000"
STATION = "万州区农产品质量安全检测站"


@pytest.fixture
def world(session):
    return make_trace_world(session)


@pytest.fixture
def batch(session, world):
    made = add_batch(session, world.product)
    record(session, made, "planting", "2024-03-05 08:00")
    record(session, made, "harvest", "2024-11-05 07:00")
    return made


def scope_of(session, name: str, role: Role, region: str):
    return users.scope_of(add_user(session, name, role, region))


def record_test(session, batch, scope, **extra):
    return record(
        session, batch, "inspection", "2024-11-06 10:00", scope=scope, result="合格", **extra
    )


@pytest.mark.parametrize(
    ("role", "region"),
    [
        (Role.GRID_WORKER, "village"),
        (Role.COLLECTIVE_ACCOUNTANT, "village"),
        (Role.VILLAGE_CADRE, "village"),
        (Role.TOWN_OFFICER, "town"),
        (Role.DISTRICT_OFFICER, "district"),
    ],
)
def test_an_official_who_may_write_in_the_region_cannot_record_a_test(
    session, world, batch, role, region
):
    official = scope_of(session, f"{role.value}_x", role, getattr(world.place, region))
    with pytest.raises(Forbidden, match="检测结果只能由生产经营主体本身或登记的检测机构账号记录"):
        record_test(session, batch, official)
    assert public.view(session, batch=batch).inspections == []


def test_an_official_of_the_village_still_records_the_other_events(session, world, batch):
    grid_worker = scope_of(session, "grid_x", Role.GRID_WORKER, world.place.village)
    record(session, batch, "packing", "2024-11-07 08:00", scope=grid_worker)
    steps = session.scalars(select(Event.step).where(Event.batch_id == batch.id))
    assert "packing" in list(steps)


def test_the_producer_records_its_own_test(session, world, batch):
    mine = producer_scope(world.producer_user, world.place.village)
    event = record_test(session, batch, mine, agency="自检")
    assert (event.result, event.agency) == ("pass", "自检")


def test_a_registered_agency_records_a_test_under_its_registered_name(session, world, batch):
    station = add_user(session, "wz_station", Role.DISTRICT_OFFICER, WANZHOU)
    inspectors.register(
        session, scope=SYSTEM, user_id=station.id, agency=STATION, region_code=WANZHOU
    )
    event = record_test(session, batch, users.scope_of(station), agency="国家级权威机构")
    assert event.agency == STATION
    [shown] = public.view(session, batch=batch).inspections
    assert shown.detail == f"合格（{STATION}）"


def test_an_agency_registered_for_another_district_cannot_record_here(session, world, batch):
    station = add_user(session, "fl_station", Role.DISTRICT_OFFICER, WANZHOU)
    inspectors.register(
        session, scope=SYSTEM, user_id=station.id, agency="涪陵区检测站", region_code=FULING
    )
    with pytest.raises(Forbidden):
        record_test(session, batch, users.scope_of(station))


def test_agencies_are_registered_by_district_or_city_officials_and_audited(session, world):
    station = add_user(session, "wz_station2", Role.TOWN_OFFICER, world.place.town)
    town = scope_of(session, "town_x", Role.TOWN_OFFICER, world.place.town)
    with pytest.raises(Forbidden):
        inspectors.register(
            session, scope=town, user_id=station.id, agency=STATION, region_code=world.place.town
        )
    district = scope_of(session, "district_x", Role.DISTRICT_OFFICER, WANZHOU)
    inspectors.register(
        session, scope=district, user_id=station.id, agency=STATION, region_code=WANZHOU
    )
    audited = session.scalars(
        select(AuditRecord).where(AuditRecord.action == "trace.inspector_register")
    ).one()
    assert (audited.actor, audited.target_id) == ("district_x", str(station.id))


def test_a_read_only_account_cannot_be_an_agency(session, world):
    bank = add_user(session, "bank_x", Role.BANK_VIEWER, WANZHOU)
    with pytest.raises(InvalidValue, match="不能登记为检测机构"):
        inspectors.register(
            session, scope=SYSTEM, user_id=bank.id, agency=STATION, region_code=WANZHOU
        )


def test_a_removed_agency_can_no_longer_record_a_test(session, world, batch):
    station = add_user(session, "wz_station3", Role.DISTRICT_OFFICER, WANZHOU)
    inspectors.register(
        session, scope=SYSTEM, user_id=station.id, agency=STATION, region_code=WANZHOU
    )
    inspectors.remove(session, scope=SYSTEM, user_id=station.id)
    with pytest.raises(Forbidden):
        record_test(session, batch, users.scope_of(station))


def test_a_grid_worker_posting_a_test_through_the_api_is_refused(module_db_url, tmp_path_factory):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_trace_world(session)
        made = add_batch(session, world.product, lot="API-INSPECT")
        record(session, made, "planting", "2024-03-05 08:00")
        record(session, made, "harvest", "2024-11-05 07:00")
        worker = add_user(session, "grid_api", Role.GRID_WORKER, world.place.village)
        token = users.create_token(session, scope=SYSTEM, user_id=worker.id)
        code = made.code
    engine.dispose()
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        answer = client.post(
            f"/api/trace/batches/{code}/events",
            json={
                "step": "inspection",
                "event_time": "2024-11-06T10:00:00+08:00",
                "result": "pass",
                "agency": "区农检站",
            },
            headers={"Authorization": f"Bearer {token}"},
        )
        shown = client.get(f"/api/trace/public/{code}").json()
    assert answer.status_code == 403
    assert shown["inspections"] == []


def test_the_command_line_registers_an_agency(configured):
    from tests.factories import make_place

    with transaction(make_sessionmaker(make_engine(configured))) as session:
        make_place(session)
        add_user(session, "wz_station_cli", Role.DISTRICT_OFFICER, WANZHOU)
    result = CliRunner().invoke(
        cli, ["trace", "inspector", "wz_station_cli", "--agency", STATION, "--region", WANZHOU]
    )
    assert result.exit_code == 0, result.output
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        [found] = session.scalars(select(Inspector)).all()
    assert (found.agency, found.region_code) == (STATION, WANZHOU)
