"""The one-day dispatch model (issue 24) and its solution with OR-Tools CP-SAT.

The model: an order goes to at most one machine that can do its operation, on a day inside
the order's work window; a machine's daily capacity in 亩 bounds the sum of its orders' areas;
the distance of an assignment is the great-circle distance from the machine's position to the
order's position. Among the plans that serve the most area, the one with the least total
distance is wanted.

How it is solved, with OR-Tools:

* a day of at most :data:`EXACT_UP_TO` (order, machine) pairs is solved exactly by CP-SAT in
  two stages on one model: the most area, then, with that area held, the least distance;
  its first plan comes from the relaxation below;
* a larger day (a district's harvest day: 20,000 orders, 2,000 machines) keeps each order's
  :data:`NEAREST` capable machines and solves the relaxation in which an order may split
  between machines, a min-cost max-flow (the most area, then the least distance per 亩) that
  OR-Tools solves in about a second; orders it gives whole to one machine keep it, the rest
  are planned again in the room left, among more machines each round, and the last few
  exactly by CP-SAT. ``bench/services.py`` measures it against a greedy nearest-machine loop.

Richer routing (a machine's tour through several fields) must keep this model as its first
stage.

Areas are counted in hundredths of 亩 and distances in metres, as integers, which CP-SAT needs.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model
from scipy.spatial import cKDTree

EARTH_RADIUS_KM = 6371.0088
"""The mean Earth radius (IUGG), for great-circle distances."""
ALL_PAIRS_UP_TO = 200_000
"""Days with at most this many (order, machine) pairs keep all of them as candidates."""
NEAREST = 8
"""Candidate machines per order on larger days."""
EXACT_UP_TO = 20_000
"""Days with at most this many candidate pairs are solved exactly by CP-SAT."""
ROUNDS = 6
"""Rounds of the relaxation on a large day, each among eight times as many machines."""

NO_POSITION = "订单没有位置（经纬度或地块）"
OUTSIDE_WINDOW = "调度日期不在订单的作业时段内"
NO_MACHINE = "没有能做此项作业的机具"
TOO_LARGE = "订单面积超过任何能做此项作业的机具的日作业能力"
CAPACITY_EXHAUSTED = "能做此项作业的机具当天作业能力已排满"


@dataclass(frozen=True)
class Job:
    """An order as the dispatch sees it."""

    key: str
    operation: str
    area_mu: float
    earliest: date
    latest: date
    lon: float | None
    lat: float | None


@dataclass(frozen=True)
class Unit:
    """A machine as the dispatch sees it: the operations its type does and its day's capacity."""

    key: str
    operations: frozenset[str]
    capacity_mu: float
    lon: float
    lat: float


@dataclass(frozen=True)
class Assignment:
    order: str
    machine: str
    distance_km: float


@dataclass
class Plan:
    assignments: list[Assignment] = field(default_factory=list)
    unassigned: list[tuple[str, str]] = field(default_factory=list)
    optimal: bool = False
    """Whether the solver proved both stages optimal over the candidate pairs."""

    @property
    def distance_km(self) -> float:
        return sum(assignment.distance_km for assignment in self.assignments)

    def as_json(self) -> dict[str, list[dict[str, object]]]:
        return {
            "assignments": [
                {"order": a.order, "machine": a.machine, "distance_km": round(a.distance_km, 3)}
                for a in self.assignments
            ],
            "unassigned": [{"order": key, "reason": reason} for key, reason in self.unassigned],
        }


def hundredths(area_mu: float) -> int:
    return int(round(area_mu * 100))


def unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lon_r, lat_r = np.radians(lon), np.radians(lat)
    return np.column_stack(
        (np.cos(lat_r) * np.cos(lon_r), np.cos(lat_r) * np.sin(lon_r), np.sin(lat_r))
    )


def great_circle_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Haversine distance in km.

    >>> round(great_circle_km(106.55, 29.56, 106.55, 29.57), 3)
    1.112
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class Candidates:
    """The (order, machine) pairs the solver may choose, with their distances in km."""

    pairs: list[tuple[int, int, float]]
    reasons: dict[int, str]
    """Orders with no pair at all, by index, and why."""


def candidates(
    jobs: Sequence[Job], units: Sequence[Unit], day: date, nearest: int | None
) -> Candidates:
    """Every order's capable machines (type does the operation, capacity ≥ area), all of them
    or the ``nearest`` few."""
    reasons: dict[int, str] = {}
    by_operation: dict[str, list[int]] = {}
    for index, job in enumerate(jobs):
        if job.lon is None or job.lat is None:
            reasons[index] = NO_POSITION
        elif not job.earliest <= day <= job.latest:
            reasons[index] = OUTSIDE_WINDOW
        else:
            by_operation.setdefault(job.operation, []).append(index)
    pairs: list[tuple[int, int, float]] = []
    for operation, job_indices in by_operation.items():
        able = [j for j, unit in enumerate(units) if operation in unit.operations]
        if not able:
            reasons.update(dict.fromkeys(job_indices, NO_MACHINE))
            continue
        largest = max(units[j].capacity_mu for j in able)
        fitting = []
        for i in job_indices:
            if hundredths(jobs[i].area_mu) > hundredths(largest):
                reasons[i] = TOO_LARGE
            else:
                fitting.append(i)
        pairs += operation_pairs(jobs, units, fitting, able, nearest)
    return Candidates(pairs, reasons)


def operation_pairs(
    jobs: Sequence[Job], units: Sequence[Unit], job_indices: list[int], able: list[int],
    nearest: int | None,
) -> list[tuple[int, int, float]]:  # fmt: skip
    if not job_indices:
        return []
    job_lon = np.array([jobs[i].lon for i in job_indices], dtype=float)
    job_lat = np.array([jobs[i].lat for i in job_indices], dtype=float)
    unit_lon = np.array([units[j].lon for j in able], dtype=float)
    unit_lat = np.array([units[j].lat for j in able], dtype=float)
    if nearest is None or nearest >= len(able):
        near = np.tile(np.arange(len(able)), (len(job_indices), 1))
    else:
        # Chord distance on the unit sphere orders pairs exactly as the great circle does.
        tree = cKDTree(unit_vectors(unit_lon, unit_lat))
        _, near = tree.query(unit_vectors(job_lon, job_lat), k=nearest)
        near = np.asarray(near).reshape(len(job_indices), -1)
    lat1, lat2 = np.radians(job_lat)[:, None], np.radians(unit_lat[near])
    dlat = lat2 - lat1
    dlon = np.radians(unit_lon[near]) - np.radians(job_lon)[:, None]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    pairs = []
    for row, i in enumerate(job_indices):
        area = hundredths(jobs[i].area_mu)
        for column, local in enumerate(near[row]):
            j = able[int(local)]
            if area <= hundredths(units[j].capacity_mu):
                pairs.append((i, j, float(km[row, column])))
    return pairs


def solve(
    jobs: Sequence[Job], units: Sequence[Unit], day: date, *, nearest: int | None = None,
    time_limit: float = 10.0,
) -> Plan:  # fmt: skip
    """The day's plan: the most area served, then the least total distance.

    ``nearest`` keeps each order's nearest capable machines only; by default every pair is
    kept when there are at most :data:`ALL_PAIRS_UP_TO` of them, else the nearest
    :data:`NEAREST`. ``time_limit`` (seconds) bounds each CP-SAT search.
    """
    if nearest is None:
        nearest = None if len(jobs) * len(units) <= ALL_PAIRS_UP_TO else NEAREST
    found = candidates(jobs, units, day, nearest)
    if len(found.pairs) <= EXACT_UP_TO:
        placed, optimal = place(found.pairs, jobs, units, time_limit)
    else:
        placed, optimal = rounds(found.pairs, jobs, units, day, nearest or NEAREST, time_limit)
    plan = Plan(optimal=optimal)
    taken = set()
    for i, j, km in sorted(placed, key=lambda pair: jobs[pair[0]].key):
        taken.add(i)
        plan.assignments.append(Assignment(jobs[i].key, units[j].key, km))
    for i, job in enumerate(jobs):
        if i not in taken:
            plan.unassigned.append((job.key, found.reasons.get(i, CAPACITY_EXHAUSTED)))
    return plan


Pair = tuple[int, int, float]


def place(
    pairs: list[Pair], jobs: Sequence[Job], units: Sequence[Unit], time_limit: float
) -> tuple[list[Pair], bool]:
    """The chosen pairs by CP-SAT from the relaxation's, and whether they are proved optimal."""
    area = [hundredths(jobs[i].area_mu) for i, _, _ in pairs]
    capacity = [hundredths(unit.capacity_mu) for unit in units]
    whole = relaxation(pairs, area, capacity, len(jobs))
    chosen, optimal = exact(pairs, area, capacity, whole, time_limit)
    return [pairs[k] for k in sorted(chosen)], optimal


def rounds(
    pairs: list[Pair], jobs: Sequence[Job], units: Sequence[Unit], day: date, nearest: int,
    time_limit: float,
) -> tuple[list[Pair], bool]:  # fmt: skip
    """A large day: the relaxation gives most orders whole to one machine, and they are kept;
    the orders it splits or leaves out are planned again in the room the others leave, each
    round among eight times as many of the machines that still have room (the room left is in
    pieces, often far away), until few enough remain to place exactly."""
    placed: list[Pair] = []
    left = [hundredths(unit.capacity_mu) for unit in units]
    pending = sorted({i for i, _, _ in pairs})
    for round_ in range(ROUNDS):
        roomy = [j for j, room in enumerate(left) if room > 0]
        some_jobs = [jobs[i] for i in pending]
        some_units = [replace(units[j], capacity_mu=left[j] / 100) for j in roomy]
        pairs = candidates(some_jobs, some_units, day, nearest).pairs
        if len(pairs) <= EXACT_UP_TO:
            chosen, _ = place(pairs, some_jobs, some_units, time_limit)
        else:
            area = [hundredths(some_jobs[i].area_mu) for i, _, _ in pairs]
            whole = relaxation(pairs, area, [left[j] for j in roomy], len(some_jobs))
            chosen = [pairs[k] for k in sorted(whole)]
        for i, j, km in chosen:
            placed.append((pending[i], roomy[j], km))
            left[roomy[j]] -= hundredths(some_jobs[i].area_mu)
        done = {i for i, _, _ in chosen}
        pending = [order for i, order in enumerate(pending) if i not in done]
        if not pending or (round_ and not chosen) or len(pairs) <= EXACT_UP_TO:
            break
        nearest *= 8
    return placed, False


def relaxation(pairs: list[Pair], area: list[int], capacity: list[int], jobs: int) -> set[int]:
    """The model with orders allowed to split between machines, as a min-cost max-flow
    (source → order → machine → sink, in hundredths of 亩): the pairs that carry a whole
    order.

    The most area flows first, then at the least cost per 亩, which is the pair's distance
    over the order's area; so it is the linear relaxation of the model, which OR-Tools
    solves in about a second at a district's scale.
    """
    if not pairs:
        return set()
    units = len(capacity)
    source, sink = jobs + units, jobs + units + 1
    order_area = [0] * jobs
    for (i, _, _), a in zip(pairs, area, strict=True):
        order_area[i] = a
    involved = sorted({i for i, _, _ in pairs})
    tails = [source] * len(involved) + [i for i, _, _ in pairs] + [jobs + j for j in range(units)]
    heads = involved + [jobs + j for _, j, _ in pairs] + [sink] * units
    capacities = [order_area[i] for i in involved] + area + capacity
    costs = [0] * len(involved)
    costs += [int(round(km * 1_000_000 / a)) for (_, _, km), a in zip(pairs, area, strict=True)]
    costs += [0] * units
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails), np.array(heads), np.array(capacities), np.array(costs)
    )
    total = sum(order_area[i] for i in involved)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        return set()
    carried = flow.flows(arcs[len(involved) : len(involved) + len(pairs)])
    return {k for k, f in enumerate(carried) if f and f == area[k]}


def exact(
    pairs: list[Pair], area: list[int], capacity: list[int], hint: set[int], time_limit: float
) -> tuple[set[int], bool]:
    """The pairs that serve the most area within ``capacity``, then travel least, by CP-SAT in
    two stages from the ``hint``; and whether both stages were proved optimal."""
    if not pairs:
        return set(), True
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"x{k}") for k in range(len(pairs))]
    by_job: dict[int, list[int]] = {}
    by_unit: dict[int, list[int]] = {}
    for k, (i, j, _) in enumerate(pairs):
        by_job.setdefault(i, []).append(k)
        by_unit.setdefault(j, []).append(k)
    for indices in by_job.values():
        model.add_at_most_one(chosen[k] for k in indices)
    for j, indices in by_unit.items():
        if sum(area[k] for k in indices) > capacity[j]:
            model.add(sum(area[k] * chosen[k] for k in indices) <= capacity[j])
    served = sum(a * x for a, x in zip(area, chosen, strict=True))
    travel = sum(int(round(km * 1000)) * x for (_, _, km), x in zip(pairs, chosen, strict=True))
    for k, variable in enumerate(chosen):
        model.add_hint(variable, k in hint)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit / 2
    model.maximize(served)
    first = solver.solve(model)
    if first not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return set(), False
    model.add(served >= round(solver.objective_value))
    model.clear_hints()
    hint_of_first = {k for k, variable in enumerate(chosen) if solver.boolean_value(variable)}
    for k, variable in enumerate(chosen):
        model.add_hint(variable, k in hint_of_first)
    model.minimize(travel)
    second = solver.solve(model)
    if second not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # No better plan found in time: the first stage's plan stands.
        return {k for k, variable in enumerate(chosen) if k in hint_of_first}, False
    picked = {k for k, variable in enumerate(chosen) if solver.boolean_value(variable)}
    return picked, first == second == cp_model.OPTIMAL
