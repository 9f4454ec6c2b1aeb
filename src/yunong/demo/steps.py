"""Each application's demo steps, as the application list names them.

A step takes the :class:`Context` of the build. Steps hand work on to later ones
through ``context.state`` (the land made ready on a thread while the households are
written) and report what they made in ``context.counts`` and ``context.accounts``.
"""

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from yunong.demo.assess import create_assess
from yunong.demo.cases import create_cases
from yunong.demo.households import create_households
from yunong.demo.land import generated_in_background
from yunong.demo.notices import create_notices
from yunong.demo.scales import Scale
from yunong.demo.trace import create_trace_demo
from yunong.demo.users import create_demo_farmer, demo_regions
from yunong.notices import service as notice_service
from yunong.policy.schema import Pack
from yunong.store.db import make_sessionmaker, transaction

Progress = Callable[[str, int, int], None]
"""Called with (step name, done, total) as the build advances."""


@dataclass
class Context:
    engine: Engine
    scale: Scale
    seed: int
    pack: Pack
    progress: Progress
    resources: ExitStack
    """Closed when the build ends, whether it succeeds or not."""
    state: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)


def demo_village(context: Context) -> str:
    with transaction(make_sessionmaker(context.engine)) as session:
        return demo_regions(session)["village"]


def start_land(context: Context) -> None:
    """Make the land ready on a thread of its own while the next steps run: the holders of
    the parcels are the households the demo is about to give each village."""
    land = ExitStack()
    context.resources.push(land)
    build = generated_in_background(context.engine, scale=context.scale, seed=context.seed)
    context.state["land"] = (land.enter_context(build), land)


def households(context: Context) -> None:
    made = create_households(
        context.engine, scale=context.scale, seed=context.seed, progress=context.progress
    )
    context.counts.update(households=made.households, persons=made.persons, signals=made.signals)


def trace(context: Context) -> None:
    with transaction(make_sessionmaker(context.engine)) as session:
        village = demo_regions(session)["village"]
        context.accounts += create_trace_demo(session, demo_village=village)
    context.progress("农品一码通", 1, 1)


def cases(context: Context) -> None:
    """Cases continue the serials of every code issued before them in the village."""
    made = create_cases(
        context.engine, pack=context.pack, seed=context.seed, demo_village=demo_village(context)
    )
    context.counts["cases"] = made.cases
    context.progress("监测案件", 1, 1)


def load_land(context: Context) -> None:
    """Load the land made ready since :func:`start_land`, and let its thread go."""
    build, land = context.state.pop("land")
    with land:
        context.counts["parcels"] = build.load(context.engine, progress=context.progress).parcels


def farmer(context: Context) -> None:
    """The demo 农户 account, once the households' parcels are on the map."""
    with transaction(make_sessionmaker(context.engine)) as session:
        account = create_demo_farmer(session)
    if account is not None:
        context.accounts.append(account)


def notices(context: Context) -> None:
    """The district's notice to every role there, which each demo account finds in 待办."""
    with transaction(make_sessionmaker(context.engine)) as session:
        create_notices(session, today=notice_service.today())
    context.progress("通知公告", 1, 1)


def assess(context: Context) -> None:
    """Scores read the cases and the land, so the assessment comes last."""
    create_assess(
        context.engine, pack=context.pack, seed=context.seed, demo_village=demo_village(context)
    )
    context.progress("考核驾驶舱", 1, 1)
