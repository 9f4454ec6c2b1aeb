"""Scans are counted; shared positions are evidence, one per client and batch; a batch scanned
far beyond its size or across distant places over time raises a flag that waits for an official
of the producer's district, and only a confirmed flag turns the public page red."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.trace.factories import SYSTEM, add_batch, make_trace_world, producer_scope
from yunong.core.audit.models import AuditRecord
from yunong.core.errors import Forbidden, InvalidValue
from yunong.core.scope import OutOfScope, Scope
from yunong.trace import flags, public, scans
from yunong.trace.models import ScanReport
from yunong.web.ratelimit import RateLimiter

DAY = date(2024, 12, 1)
NOON = datetime(2024, 12, 1, 4, 0, tzinfo=UTC)
CHONGQING, BEIJING, GUANGZHOU, SHANGHAI = (29.6, 106.5), (39.9, 116.4), (23.1, 113.3), (31.2, 121.5)
WANZHOU = Scope(actor="wanzhou", region_code="500101000000", role="district_officer")
FULING = Scope(actor="fuling", region_code="500102000000", role="district_officer")
LONGSHA = Scope(actor="longsha", region_code="500101108000", role="town_officer")


@pytest.fixture
def world(session):
    return make_trace_world(session)


def scanned(session, batch, times):
    scans.save(session, Counter({(batch.id, DAY, scans.UNLOCATED): times}))


def reported(session, batch, client, place, hours=0):
    lat, lon = place
    return scans.report_place(
        session,
        batch_id=batch.id,
        client=client,
        lat=lat,
        lon=lon,
        now=NOON + timedelta(hours=hours),
    )


def spread_over_a_day(session, batch):
    """Three clients in three cities, a day and more apart."""
    reported(session, batch, "client-a", CHONGQING)
    reported(session, batch, "client-b", BEIJING, hours=10)
    reported(session, batch, "client-c", GUANGZHOU, hours=30)


def states(session, scope=SYSTEM):
    return [(row.flag.reason, row.flag.state) for row in flags.get_flags(session, scope=scope)]


def test_scans_are_added_up_per_batch(session, world):
    batch = add_batch(session, world.product)
    scanned(session, batch, 3)
    scanned(session, batch, 4)
    assert scans.total_scans(session, batch.id) == 7


def test_scans_up_to_the_pack_factor_times_the_batch_size_raise_no_flag(session, world):
    batch = add_batch(session, world.product, packages=100)
    scanned(session, batch, 300)
    assert states(session) == []


def test_scans_beyond_the_factor_raise_a_flag_that_the_public_does_not_see(session, world):
    batch = add_batch(session, world.product, packages=100)
    scanned(session, batch, 301)
    [row] = flags.get_flags(session, scope=SYSTEM)
    assert (row.flag.reason, row.flag.state, row.batch.code) == ("overscan", "pending", batch.code)
    assert row.flag.detail == "扫码 301 次，超过批次 100 件的 3 倍"
    assert public.view(session, batch=batch).status is not public.Status.RED


def test_a_small_batch_is_not_flagged_below_the_scan_floor(session, world):
    batch = add_batch(session, world.product, packages=2)
    scanned(session, batch, 49)
    assert states(session) == []


def test_three_clients_far_apart_over_a_day_raise_a_pending_flag(session, world):
    batch = add_batch(session, world.product)
    spread_over_a_day(session, batch)
    [row] = flags.get_flags(session, scope=SYSTEM)
    assert (row.flag.reason, row.flag.state) == ("spread", "pending")
    assert "3 个来源" in row.flag.detail and "前后相隔 30 小时" in row.flag.detail
    assert public.view(session, batch=batch).status is not public.Status.RED


def test_reports_far_apart_within_a_few_hours_raise_no_flag(session, world):
    batch = add_batch(session, world.product)
    for hours, (client, place) in enumerate([("a", CHONGQING), ("b", BEIJING), ("c", SHANGHAI)]):
        reported(session, batch, client, place, hours=hours)
    assert states(session) == []


def test_one_client_counts_once_per_batch_wherever_it_says_it_is(session, world):
    batch = add_batch(session, world.product)
    assert reported(session, batch, "client-a", CHONGQING)
    assert not reported(session, batch, "client-a", BEIJING, hours=10)
    assert not reported(session, batch, "client-a", GUANGZHOU, hours=30)
    places = session.scalars(select(ScanReport.place).where(ScanReport.batch_id == batch.id))
    assert list(places) == ["29.6,106.5"]
    assert states(session) == []


def test_reports_from_nearby_places_are_not_flagged(session, world):
    batch = add_batch(session, world.product)
    for hours, (client, place) in enumerate(
        [("a", CHONGQING), ("b", (29.7, 106.6)), ("c", (30.0, 106.9)), ("d", BEIJING)]
    ):
        reported(session, batch, client, place, hours=hours * 20)
    assert states(session) == []


def test_reports_older_than_the_window_are_not_counted(session, world):
    batch = add_batch(session, world.product)
    reported(session, batch, "client-a", CHONGQING, hours=-24 * 40)
    reported(session, batch, "client-b", BEIJING)
    reported(session, batch, "client-c", GUANGZHOU, hours=30)
    assert states(session) == []


def test_a_flag_is_raised_once(session, world):
    batch = add_batch(session, world.product, packages=100)
    scanned(session, batch, 400)
    scanned(session, batch, 400)
    assert len(flags.get_flags(session, scope=SYSTEM)) == 1


def test_a_client_past_its_reports_for_the_day_is_refused(session, world):
    batches = [add_batch(session, world.product, lot=f"SP-{n}") for n in range(21)]
    for batch in batches[:20]:
        reported(session, batch, "busy-client", CHONGQING)
    with pytest.raises(scans.TooManyReports):
        reported(session, batches[20], "busy-client", CHONGQING)
    assert reported(session, batches[20], "busy-client", CHONGQING, hours=25)


def test_the_client_is_kept_as_a_keyed_hash_of_its_address():
    first = scans.client_digest("203.0.113.9", "secret-one")
    assert len(first) == 32 and "203.0.113" not in first
    assert first == scans.client_digest("203.0.113.9", "secret-one")
    assert first != scans.client_digest("203.0.113.10", "secret-one")
    assert first != scans.client_digest("203.0.113.9", "secret-two")


def test_a_pending_flag_reaches_the_producers_district_and_not_the_producer(session, world):
    batch = add_batch(session, world.product, packages=100)
    scanned(session, batch, 400)
    mine = producer_scope(world.producer_user, world.place.village)
    stranger = producer_scope(world.stranger_user, world.place.other_district_village)
    assert states(session, WANZHOU) == [("overscan", "pending")]
    assert states(session, FULING) == []
    assert states(session, mine) == [] and states(session, stranger) == []


def test_pending_flags_are_the_district_officers_work_and_nobody_elses(session, world):
    batch = add_batch(session, world.product, packages=100)
    scanned(session, batch, 400)
    [row] = flags.pending_counterfeit_flags(session, scope=WANZHOU)
    assert row.batch.code == batch.code and row.product == "石坪脐橙"
    assert flags.pending_counterfeit_flags(session, scope=FULING) == []
    assert flags.pending_counterfeit_flags(session, scope=LONGSHA) == []


def test_a_confirmed_flag_turns_the_public_page_red_and_is_audited(session, world):
    batch = add_batch(session, world.product, packages=100)
    scanned(session, batch, 400)
    [row] = flags.get_flags(session, scope=WANZHOU)

    flags.confirm(session, scope=WANZHOU, flag_id=row.flag.id, note="市场抽检发现仿冒包装")

    view = public.view(session, batch=batch)
    assert view.status is public.Status.RED
    assert view.reasons == ["疑似假冒：扫码 400 次，超过批次 100 件的 3 倍"]
    mine = producer_scope(world.producer_user, world.place.village)
    assert states(session, mine) == [("overscan", "confirmed")]
    audited = session.scalars(
        select(AuditRecord).where(AuditRecord.action == "trace.scan_flag_confirm")
    ).one()
    assert (audited.actor, audited.target_id) == ("wanzhou", batch.code)


def test_a_cleared_flag_is_not_shown_and_its_reason_is_audited(session, world):
    batch = add_batch(session, world.product)
    spread_over_a_day(session, batch)
    [row] = flags.get_flags(session, scope=WANZHOU)

    flags.clear(session, scope=WANZHOU, flag_id=row.flag.id, note="旅游团带走后在外地扫码")

    assert public.view(session, batch=batch).status is not public.Status.RED
    assert states(session, WANZHOU) == [("spread", "cleared")]
    audited = session.scalars(
        select(AuditRecord).where(AuditRecord.action == "trace.scan_flag_clear")
    ).one()
    assert "旅游团" in audited.detail


def test_clearing_a_flag_needs_a_reason(session, world):
    batch = add_batch(session, world.product, packages=100)
    scanned(session, batch, 400)
    [row] = flags.get_flags(session, scope=WANZHOU)
    with pytest.raises(InvalidValue, match="须写明理由"):
        flags.clear(session, scope=WANZHOU, flag_id=row.flag.id, note=" ")


def test_a_cleared_flag_is_raised_again_only_by_evidence_gathered_after(session, world):
    batch = add_batch(session, world.product)
    spread_over_a_day(session, batch)
    [row] = flags.get_flags(session, scope=WANZHOU)
    flags.decide(
        session,
        scope=WANZHOU,
        flag_id=row.flag.id,
        state=flags.CLEARED,
        note="已核实",
        now=NOON + timedelta(hours=31),
    )
    reported(session, batch, "client-d", SHANGHAI, hours=32)
    assert states(session, WANZHOU) == [("spread", "cleared")]

    reported(session, batch, "client-e", BEIJING, hours=40)
    reported(session, batch, "client-f", GUANGZHOU, hours=60)

    assert states(session, WANZHOU) == [("spread", "pending")]


def test_only_officials_of_the_district_or_the_city_decide(session, world):
    batch = add_batch(session, world.product, packages=100)
    scanned(session, batch, 400)
    [row] = flags.get_flags(session, scope=WANZHOU)
    grid_worker = Scope(actor="grid", region_code=world.place.village, role="grid_worker")
    mine = producer_scope(world.producer_user, world.place.village)
    for refused in (LONGSHA, grid_worker, mine):
        with pytest.raises(Forbidden):
            flags.confirm(session, scope=refused, flag_id=row.flag.id)
    with pytest.raises(OutOfScope):
        flags.confirm(session, scope=FULING, flag_id=row.flag.id)
    assert states(session, WANZHOU) == [("overscan", "pending")]


def test_the_counter_keeps_scans_in_memory_until_flushed():
    counter = scans.ScanCounter(flush_seconds=3600)
    counter.count(1, DAY)
    counter.count(1, DAY)
    assert not counter.due()
    assert counter.take() == Counter({(1, DAY, scans.UNLOCATED): 2})
    assert counter.take() == Counter()


def test_a_position_is_rounded_to_a_tenth_of_a_degree():
    assert scans.place_key(29.5631, 106.5516) == "29.6,106.6"


def test_the_rate_limiter_refuses_a_client_past_its_budget_and_refills_over_time():
    limiter = RateLimiter(per_minute=3)
    assert [limiter.allow("1.2.3.4", now=0.0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("5.6.7.8", now=0.0)
    assert limiter.allow("1.2.3.4", now=20.0)
    assert not limiter.allow("1.2.3.4", now=20.0)
