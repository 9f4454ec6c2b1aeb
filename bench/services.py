"""One district-day of dispatch at scale: 20,000 orders and 2,000 machines
(``BENCH_SERVICES_ORDERS``, ``BENCH_SERVICES_MACHINES``), planned by
:func:`yunong.services.solver.solve` and, in the same run, by a greedy nearest-machine loop
(each order in turn, by order number, to the nearest capable machine with room left).

The day is a harvest day in one district about 50 km across: orders gather around villages,
machines stand at bases spread over the district, and the machines' capacity is about 1.1
times the orders' area, so the nearest machine is often full, as in the busy days of a season.
Printed: served area, total travel and time of both, and the ratios.
"""

import os
import time
from datetime import date

import numpy as np

from yunong.services.solver import Job, Plan, Unit, great_circle_km, hundredths, solve

DAY = date(2026, 9, 15)
OPERATIONS = ("收获", "耕整地")


def instance(orders: int, machines: int, seed: int = 24) -> tuple[list[Job], list[Unit]]:
    rng = np.random.default_rng(seed)
    villages = rng.uniform((106.0, 29.3), (106.5, 29.75), size=(max(orders // 80, 1), 2))
    centre = villages[rng.integers(len(villages), size=orders)]
    spots = centre + rng.normal(0, 0.01, size=(orders, 2))
    areas = rng.gamma(2.0, 2.0, size=orders).round(2) + 0.5
    operation = rng.choice(len(OPERATIONS), size=orders, p=(0.7, 0.3))
    jobs = [
        Job(f"D{n:06d}", OPERATIONS[operation[n]], float(areas[n]), DAY, DAY, *map(float, spots[n]))
        for n in range(orders)
    ]
    bases = rng.uniform((106.0, 29.3), (106.5, 29.75), size=(machines, 2))
    kinds = rng.choice(len(OPERATIONS), size=machines, p=(0.7, 0.3))
    total = float(areas.sum())
    capacity = rng.uniform(0.6, 1.4, size=machines)
    capacity *= float(os.environ.get("BENCH_SERVICES_SLACK", "1.1")) * total / capacity.sum()
    units = [
        Unit(
            f"M{n:05d}",
            frozenset({OPERATIONS[kinds[n]]}),
            float(round(capacity[n], 2)),
            *map(float, bases[n]),
        )  # fmt: skip
        for n in range(machines)
    ]
    return jobs, units


def greedy(jobs: list[Job], units: list[Unit]) -> Plan:
    """Each order in turn to its nearest capable machine with room left."""
    from scipy.spatial import cKDTree

    from yunong.services.solver import Assignment, unit_vectors

    plan = Plan()
    left = [hundredths(unit.capacity_mu) for unit in units]
    for operation in OPERATIONS:
        able = [j for j, unit in enumerate(units) if operation in unit.operations]
        tree = cKDTree(unit_vectors(np.array([units[j].lon for j in able]),
                                    np.array([units[j].lat for j in able])))  # fmt: skip
        for job in jobs:
            if job.operation != operation:
                continue
            assert job.lon is not None and job.lat is not None
            need = hundredths(job.area_mu)
            point = unit_vectors(np.array([job.lon]), np.array([job.lat]))[0]
            k = 16
            while True:
                _, near = tree.query(point, k=min(k, len(able)))
                pick = next((able[n] for n in np.atleast_1d(near) if left[able[n]] >= need), None)
                if pick is not None or k >= len(able):
                    break
                k *= 4
            if pick is None:
                plan.unassigned.append((job.key, "full"))
                continue
            left[pick] -= need
            unit = units[pick]
            km = great_circle_km(unit.lon, unit.lat, job.lon, job.lat)
            plan.assignments.append(Assignment(job.key, unit.key, km))
    return plan


def served(plan: Plan, jobs: list[Job]) -> float:
    area = {job.key: job.area_mu for job in jobs}
    return sum(area[a.order] for a in plan.assignments)


def run() -> None:
    orders = int(os.environ.get("BENCH_SERVICES_ORDERS", "20000"))
    machines = int(os.environ.get("BENCH_SERVICES_MACHINES", "2000"))
    jobs, units = instance(orders, machines)
    start = time.perf_counter()
    base = greedy(jobs, units)
    greedy_s = time.perf_counter() - start
    start = time.perf_counter()
    plan = solve(jobs, units, DAY)
    solver_s = time.perf_counter() - start
    print(f"{orders} orders, {machines} machines, one district-day")
    for name, result, took in (("greedy nearest", base, greedy_s), ("dispatch", plan, solver_s)):
        print(
            f"{name:>15}: served {served(result, jobs):,.1f} 亩 ({len(result.assignments)} orders),"
            f" travel {result.distance_km:,.1f} km, {took:.1f} s"
        )
    print(
        f"travel dispatch/greedy: {plan.distance_km / base.distance_km:.3f}"
        f" ({1 - plan.distance_km / base.distance_km:.1%} less);"
        f" served area dispatch/greedy: {served(plan, jobs) / served(base, jobs):.3f}"
    )


if __name__ == "__main__":
    run()
