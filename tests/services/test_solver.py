"""The one-day dispatch model against an independent exact solve (SciPy's MILP, HiGHS) on
small random days: the same area served, total distance within 5 % of the optimum, and no
capacity, window or type broken."""

import random
from datetime import date, timedelta

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from yunong.services import solver
from yunong.services.solver import Job, Unit, great_circle_km, hundredths, solve

DAY = date(2026, 9, 15)
OPERATIONS = ("收获", "耕整地", "植保")


def random_day(seed: int, orders: int = 30, machines: int = 6) -> tuple[list[Job], list[Unit]]:
    rng = random.Random(seed)
    jobs = []
    for n in range(orders):
        start = DAY + timedelta(days=rng.choice((-3, -1, 0, 0, 0, 1)))
        jobs.append(
            Job(
                f"D{n:03d}",
                rng.choice(OPERATIONS),
                round(rng.uniform(0.5, 30), 2),
                start,
                start + timedelta(days=rng.choice((0, 2, 5))),
                rng.uniform(106.2, 106.5),
                rng.uniform(29.4, 29.7),
            )
        )
    units = [
        Unit(
            f"M{n:02d}",
            frozenset(rng.sample(OPERATIONS, rng.choice((1, 1, 2)))),
            round(rng.uniform(30, 100), 2),
            rng.uniform(106.2, 106.5),
            rng.uniform(29.4, 29.7),
        )
        for n in range(machines)
    ]
    return jobs, units


def optimum(jobs: list[Job], units: list[Unit]) -> tuple[int, float]:
    """The most area (hundredths of 亩) and then the least distance, by two MILPs over every
    pair the model allows."""
    pairs = [
        (i, j, great_circle_km(unit.lon, unit.lat, job.lon, job.lat))
        for i, job in enumerate(jobs)
        for j, unit in enumerate(units)
        if job.operation in unit.operations
        and job.earliest <= DAY <= job.latest
        and hundredths(job.area_mu) <= hundredths(unit.capacity_mu)
    ]
    if not pairs:
        return 0, 0.0
    area = np.array([hundredths(jobs[i].area_mu) for i, _, _ in pairs], dtype=float)
    km = np.array([d for _, _, d in pairs])
    one_each = np.zeros((len(jobs), len(pairs)))
    load = np.zeros((len(units), len(pairs)))
    for k, (i, j, _) in enumerate(pairs):
        one_each[i, k] = 1
        load[j, k] = area[k]
    rows = [
        LinearConstraint(one_each, 0, 1),
        LinearConstraint(load, 0, [hundredths(unit.capacity_mu) for unit in units]),
    ]
    whole = np.ones(len(pairs))
    most = milp(-area, constraints=rows, integrality=whole, bounds=Bounds(0, 1))
    served = round(-most.fun)
    rows.append(LinearConstraint(area, served - 0.5, np.inf))
    least = milp(km, constraints=rows, integrality=whole, bounds=Bounds(0, 1))
    return served, float(least.fun)


def check_feasible(plan: solver.Plan, jobs: list[Job], units: list[Unit]) -> None:
    job = {j.key: j for j in jobs}
    unit = {u.key: u for u in units}
    load: dict[str, int] = {}
    for a in plan.assignments:
        order, machine = job[a.order], unit[a.machine]
        assert order.operation in machine.operations
        assert order.earliest <= DAY <= order.latest
        load[a.machine] = load.get(a.machine, 0) + hundredths(order.area_mu)
        expected = great_circle_km(machine.lon, machine.lat, order.lon, order.lat)
        assert a.distance_km == pytest.approx(expected)
    for key, used in load.items():
        assert used <= hundredths(unit[key].capacity_mu)
    listed = [a.order for a in plan.assignments] + [key for key, _ in plan.unassigned]
    assert sorted(listed) == sorted(job)


@pytest.mark.parametrize("seed", range(4))
def test_dispatch_serves_the_most_area_and_travels_within_5_percent_of_the_optimum(
    seed: int,
) -> None:
    jobs, units = random_day(seed)
    plan = solve(jobs, units, DAY, time_limit=5)
    check_feasible(plan, jobs, units)
    served, least_km = optimum(jobs, units)
    area = {j.key: hundredths(j.area_mu) for j in jobs}
    assert sum(area[a.order] for a in plan.assignments) == served
    assert plan.distance_km <= least_km * 1.05 + 1e-6


def test_the_relaxation_rounds_of_a_large_day_break_no_constraint_and_serve_near_the_most(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    jobs, units = random_day(0, orders=40, machines=8)
    served, _ = optimum(jobs, units)
    monkeypatch.setattr(solver, "EXACT_UP_TO", 50)
    plan = solve(jobs, units, DAY, nearest=3, time_limit=2)
    check_feasible(plan, jobs, units)
    area = {j.key: hundredths(j.area_mu) for j in jobs}
    assert sum(area[a.order] for a in plan.assignments) >= 0.95 * served


def test_unserved_orders_are_listed_with_their_reason() -> None:
    near = (106.3, 29.5)
    jobs = [
        Job("D1", "插秧", 5, DAY, DAY, *near),
        Job("D2", "收获", 5, DAY + timedelta(days=1), DAY + timedelta(days=3), *near),
        Job("D3", "收获", 50, DAY, DAY, *near),
        Job("D4", "收获", 8, DAY, DAY, *near),
        Job("D5", "收获", 8, DAY, DAY, *near),
        Job("D6", "收获", 8, DAY, DAY, None, None),
    ]
    units = [Unit("M1", frozenset({"收获"}), 10, 106.31, 29.5)]
    plan = solve(jobs, units, DAY)
    assert [a.order for a in plan.assignments] in (["D4"], ["D5"])
    reasons = dict(plan.unassigned)
    assert reasons["D1"] == solver.NO_MACHINE
    assert reasons["D2"] == solver.OUTSIDE_WINDOW
    assert reasons["D3"] == solver.TOO_LARGE
    assert reasons["D4" if "D5" in [a.order for a in plan.assignments] else "D5"] == (
        solver.CAPACITY_EXHAUSTED
    )
    assert reasons["D6"] == solver.NO_POSITION


def test_a_machine_serves_the_order_nearest_to_it_when_it_has_room_for_one() -> None:
    jobs = [
        Job("D1", "收获", 6, DAY, DAY, 106.40, 29.5),
        Job("D2", "收获", 6, DAY, DAY, 106.31, 29.5),
    ]
    units = [Unit("M1", frozenset({"收获"}), 10, 106.30, 29.5)]
    plan = solve(jobs, units, DAY)
    assert plan.as_json() == {
        "assignments": [{"order": "D2", "machine": "M1", "distance_km": 0.968}],
        "unassigned": [{"order": "D1", "reason": solver.CAPACITY_EXHAUSTED}],
    }
