"""Scans are counted; codes scanned far beyond their batch or across distant places are flagged."""

from collections import Counter
from datetime import date

import pytest

from tests.trace.factories import SYSTEM, add_batch, make_trace_world, producer_scope
from yunong.core.scope import Scope
from yunong.trace import public, scans
from yunong.web.ratelimit import RateLimiter

DAY = date(2024, 12, 1)
CHONGQING, BEIJING, GUANGZHOU, SHANGHAI = "29.6,106.5", "39.9,116.4", "23.1,113.3", "31.2,121.5"


@pytest.fixture
def world(session):
    return make_trace_world(session)


def scanned(session, batch, times, place=scans.UNLOCATED):
    scans.save(session, Counter({(batch.id, DAY, place): times}))


def test_scans_are_added_up_per_batch(session, world):
    batch = add_batch(session, world.product)
    scanned(session, batch, 3)
    scanned(session, batch, 4)
    assert scans.total_scans(session, batch.id) == 7


def test_scans_up_to_the_pack_factor_times_the_batch_size_raise_no_flag(session, world):
    batch = add_batch(session, world.product, packages=100)
    scanned(session, batch, 300)
    assert scans.get_flags(session, scope=SYSTEM) == []


def test_scans_beyond_the_factor_flag_a_possible_counterfeit_and_turn_the_batch_red(session, world):
    batch = add_batch(session, world.product, packages=100)
    scanned(session, batch, 301)
    [(flag, flagged)] = scans.get_flags(session, scope=SYSTEM)
    assert (flag.reason, flagged.code) == ("overscan", batch.code)
    view = public.view(session, batch=batch)
    assert view.status is public.Status.RED
    assert view.reasons == ["疑似假冒：扫码 301 次，超过批次 100 件的 3 倍"]


def test_a_small_batch_is_not_flagged_below_the_scan_floor(session, world):
    batch = add_batch(session, world.product, packages=2)
    scanned(session, batch, 49)
    assert scans.get_flags(session, scope=SYSTEM) == []


def test_scans_from_three_places_far_apart_flag_the_code(session, world):
    batch = add_batch(session, world.product)
    for place in (CHONGQING, BEIJING, GUANGZHOU):
        scanned(session, batch, 1, place)
    [(flag, _)] = scans.get_flags(session, scope=SYSTEM)
    assert flag.reason == "spread"


def test_scans_from_nearby_places_are_not_flagged(session, world):
    batch = add_batch(session, world.product)
    for place in (CHONGQING, "29.7,106.6", "30.0,106.9", BEIJING):
        scanned(session, batch, 1, place)
    assert scans.get_flags(session, scope=SYSTEM) == []


def test_a_flag_is_raised_once(session, world):
    batch = add_batch(session, world.product, packages=100)
    scanned(session, batch, 400)
    scanned(session, batch, 400)
    assert len(scans.get_flags(session, scope=SYSTEM)) == 1


def test_flags_reach_the_producer_and_its_district_but_not_others(session, world):
    batch = add_batch(session, world.product, packages=100)
    scanned(session, batch, 400)
    district = Scope(actor="wanzhou", region_code="500101000000", role="district_officer")
    fuling = Scope(actor="fuling", region_code="500102000000", role="district_officer")
    stranger = producer_scope(world.stranger_user, world.place.other_district_village)
    mine = producer_scope(world.producer_user, world.place.village)
    assert len(scans.get_flags(session, scope=mine)) == 1
    assert len(scans.get_flags(session, scope=district)) == 1
    assert scans.get_flags(session, scope=fuling) == []
    assert scans.get_flags(session, scope=stranger) == []


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
