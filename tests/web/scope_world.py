"""The world of the route scope matrix: the same rows in four villages, near and far.

Every application's rows — a household with a case and a measure, another with an open
alert, a grid worker, parcels, a producer with a product and a batch — are written through
the real services (and the land importer) in each of the four villages of
:class:`tests.factories.Place`. Each role then has one village inside its scope (石坪村)
and, unless it sees the whole city, the nearest one outside it: the neighbouring village for
village roles, the other town's village for the town officer, the other district's village
for district-level roles.
"""

import io
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from tests.assess.factories import approved
from tests.collective.factories import scope_rows as collective_rows
from tests.factories import World, add_user, make_world
from tests.farmland.factories import scope_rows as farmland_rows
from tests.fishery.factories import scope_rows as fishery_rows
from tests.governance.factories import scope_row as governance_rows
from tests.land.factories import frame, write
from tests.land.map_world import patches_of
from tests.monitor.factories import Member, add_alert, add_household
from tests.services.factories import scope_rows as services_rows
from tests.trace.factories import add_batch, add_brand, add_producer, add_product, grow_and_harvest
from yunong.assess import scoring
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.land import importers, summary
from yunong.land.models import Parcel
from yunong.monitor import measures, opening, visit_photos, visits
from yunong.notices import service as notices
from yunong.policy import loader
from yunong.store.base import utcnow
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.trace import certificates, producers, scans

SYSTEM = Scope.system("factory")
PACK = loader.get()
START = date(2024, 6, 3)
TODAY = date.today().isoformat()
PERIOD = 2024
OTHER_DISTRICT = "500102000000"  # 涪陵区

# Names no two villages share, so a page that shows one names its village's rows.
PEOPLE = {
    "500101108201": ("向德明", "向德明家", "grid_shiping_02"),
    "500101108202": ("冉光荣", "冉光荣家", "grid_fuxing_01"),
    "500101109201": ("谭家福", "谭家福家", "grid_xiazhong_01"),
    "500102101201": ("秦明远", "秦明远家", "grid_fengyang_01"),
}


@dataclass(frozen=True)
class Site:
    """One village's rows, by the keys the routes take."""

    village: str
    household: str
    """全农码 of the household with a case (inside identification, with a measure)."""
    head: str
    alerted_household: str
    alert_id: int
    case: str
    measure_id: int
    user_id: int
    user_name: str
    parcel: str
    producer_id: int
    producer_name: str
    product_id: int
    batch: str
    flag_id: int
    """A possible counterfeit raised by the batch's scans, waiting for a district's decision."""
    visit_id: int
    """A visit to the household with a case, with a photo."""
    visit_key: str
    notice_id: int
    """A notice published to the village itself, for every role."""
    farmland_project: str = ""
    """项目编号 of a high-standard farmland project the village keeps up."""
    farmland_report: int = 0
    """An open damage report of that project in the village."""
    collective_org: str = ""
    """全农码 of the village's collective economic organisation, with opening balances."""
    collective_member: int = 0
    """A member of that organisation."""
    collective_disclosure: int = 0
    """A disclosure of that organisation waiting for its 民主理财小组."""
    fishery_tip: int = 0
    """A public tip about the village's district (长江治渔)."""
    fishery_case: str = ""
    """案件编号 of an illegal-fishing case found in the village."""
    fishery_fisher: int = 0
    """A retired fisher of the village."""
    fishery_patrol: int = 0
    """A patrol of the village's own team."""
    fishery_team: int = 0
    """The village's own patrol team."""
    governance_matter: str = ""
    """事项编号 of a 小事 reported in the village, waiting for the village."""
    governance_grid: int = 0
    """A grid of the village with one household."""
    governance_entry: int = 0
    """A points entry (积分制) of that household waiting for review."""
    services_order: str = ""
    """订单编号 of an open harvest order in the village (农事服务)."""
    services_machine: str = ""
    """机具编号 of a combine harvester registered in the village."""
    services_provider: int = 0
    """The service provider of that machine, registered in the village."""

    @property
    def codes(self) -> tuple[str, ...]:
        """The 全农码 of the village's rows."""
        return (
            self.household,
            self.alerted_household,
            self.case,
            self.parcel,
            self.batch,
            self.farmland_project,
            self.collective_org,
        )

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the village's people, producer and grid worker."""
        return (self.head, self.producer_name, self.user_name)


@dataclass
class ScopeWorld:
    world: World
    sites: dict[str, Site]
    """By village code, nearest first: 石坪村, 复兴村, 下中村 (other town), 凤阳村 (other
    district)."""
    districts: tuple[str, str]
    """万州区, 涪陵区."""
    brand_id: int

    def scope_of(self, role: Role) -> Scope:
        return Scope(actor=role.value, region_code=self.world.accounts[role].region)

    def inside(self, role: Role) -> Site:
        """The village every role's scope holds."""
        return self.sites[self.world.place.village]

    def outside(self, role: Role) -> Site | None:
        """The nearest village outside the role's scope; None for the city."""
        scope = self.scope_of(role)
        return next((s for s in self.sites.values() if not scope.covers(s.village)), None)

    def district_inside(self, role: Role) -> str | None:
        scope = self.scope_of(role)
        return next((code for code in self.districts if scope.covers(code)), None)

    def district_outside(self, role: Role) -> str | None:
        scope = self.scope_of(role)
        return next((code for code in reversed(self.districts) if not scope.covers(code)), None)

    def markers_outside(self, role: Role, *, names_only: bool = False) -> list[str]:
        """What an answer about rows outside the role's scope would contain."""
        scope = self.scope_of(role)
        outside = [site for site in self.sites.values() if not scope.covers(site.village)]
        return [
            marker
            for site in outside
            for marker in (site.names if names_only else site.codes + site.names)
        ]


def build(db_url: str, directory: Path) -> ScopeWorld:
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as session:
        world = make_world(session)
        place = world.place
        villages = [
            place.village,
            place.neighbour_village,
            place.other_town_village,
            place.other_district_village,
        ]
        for village in (place.neighbour_village, place.other_town_village):
            add_user(session, PEOPLE[village][2], Role.GRID_WORKER, village)
        rows = {village: monitor_rows(session, village) for village in villages}
        visited = {village: visit_fields(session, rows[village][0]) for village in villages}
        trade = {village: trace_rows(session, village) for village in villages}
        posted = {village: notice_to(session, village) for village in villages}
        farmland = {village: farmland_rows(session, village) for village in villages}
        collective = {village: collective_rows(session, village) for village in villages}
        fishery = {village: fishery_rows(session, village) for village in villages}
        governance = {village: governance_rows(session, village) for village in villages}
        services = {village: services_rows(session, village) for village in villages}
        producers.add_account(
            session,
            scope=SYSTEM,
            producer_id=trade[place.village][0],
            user_id=world.accounts[Role.PRODUCER].user_id,
        )
        brand = add_brand(session)
        brand_id = brand.id
        # Both districts reported and were scored: the cockpit has a ranking to show.
        for district in (place.district, OTHER_DISTRICT):
            approved(session, district, PERIOD)
        scoring.compute(session, scope=SYSTEM, pack=PACK, period=PERIOD)
    parcels = land_rows(engine, directory, villages)
    engine.dispose()
    sites = {
        village: Site(
            village,
            *rows[village],
            parcel=parcels[village],
            **trade_fields(trade[village]),
            **visited[village],
            notice_id=posted[village],
            farmland_project=farmland[village][0],
            farmland_report=farmland[village][1],
            collective_org=collective[village][0],
            collective_member=collective[village][1],
            collective_disclosure=collective[village][2],
            fishery_tip=fishery[village][0],
            fishery_case=fishery[village][1],
            fishery_fisher=fishery[village][2],
            fishery_patrol=fishery[village][3],
            fishery_team=fishery[village][4],
            governance_matter=governance[village][0],
            governance_grid=governance[village][1],
            governance_entry=governance[village][2],
            services_order=services[village][0],
            services_machine=services[village][1],
            services_provider=services[village][2],
        )
        for village in villages
    }
    return ScopeWorld(world, sites, (place.district, OTHER_DISTRICT), brand_id)


def monitor_rows(session, village: str) -> tuple:
    """A household whose alert became a case with a measure, and one with an open alert."""
    head, household_name, grid_worker = PEOPLE[village]
    number = village[-3:]
    made = add_household(session, village=village, number=f"{number}1", members=[
        Member(head, date(1970, 3, 8)),
        Member(household_name.removesuffix("家") + "妻", date(1972, 5, 1), relation="配偶"),
    ])  # fmt: skip
    case = opening.open_case(
        session,
        scope=SYSTEM,
        alert_id=add_alert(session, made, risk_type="因自然灾害").id,
        grid_worker=grid_worker,
        pack=PACK,
        today=START,
    )
    measure = measures.add(
        session,
        scope=SYSTEM,
        case=case,
        measure_in=measures.MeasureIn("housing", "受损房屋应急修缮", "乡镇建设办", START),
        pack=PACK,
        today=START,
    )
    other = add_household(
        session,
        village=village,
        number=f"{number}2",
        members=[Member(household_name.removesuffix("家") + "兄", date(1965, 1, 2))],
    )
    alert = add_alert(session, other)
    user_id = session.scalar(select_user_id(grid_worker))
    return (
        made.household.code,
        head,
        other.household.code,
        alert.id,
        case.code,
        measure.id,
        user_id,
        grid_worker,
    )


def visit_fields(session, household: str) -> dict:
    """A visit to ``household`` with a small photo."""
    key = f"matrix-{household}"
    visit, _ = visits.record_visit(
        session,
        scope=SYSTEM,
        visit_in=visits.VisitIn(key, household, START, note="入户走访"),
        pack=PACK,
        today=START,
    )
    picture = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 140, 60)).save(picture, "JPEG")
    photo = visit_photos.Photo(picture.getvalue(), 32, 24)
    visit_photos.attach(session, scope=SYSTEM, client_key=key, photo=photo)
    return {"visit_id": visit.id, "visit_key": key}


def select_user_id(name: str):
    from yunong.core.auth.models import User

    return select(User.id).where(User.name == name)


def trace_rows(session, village: str) -> tuple[int, str, int, str, int]:
    name = f"{PEOPLE[village][0][:2]}柑橘专业合作社"
    producer = add_producer(session, village, name=name)
    product = add_product(session, producer, name=f"{name[:2]}脐橙", gtin=None)
    batch = add_batch(session, product, lot=f"LOT{village[-6:]}")
    grow_and_harvest(session, batch)
    certificates.issue(session, scope=SYSTEM, code=batch.code, today=START)
    flag = scans.flag(session, batch, "overscan", "扫码次数超过包装件数", None, utcnow())
    return producer.id, name, product.id, batch.code, flag.id


def notice_to(session, village: str) -> int:
    """A notice to every role of the village, published as an operator bound there would."""
    notice_in = notices.NoticeIn("入户走访安排", "请按时入户走访。", due_on=TODAY)
    scope = replace(SYSTEM, region_code=village)
    return notices.publish(session, scope=scope, notice_in=notice_in, today=START).id


def trade_fields(trade: tuple[int, str, int, str, int]) -> dict:
    producer_id, producer_name, product_id, batch, flag_id = trade
    return {
        "producer_id": producer_id,
        "producer_name": producer_name,
        "product_id": product_id,
        "batch": batch,
        "flag_id": flag_id,
    }


def land_rows(engine, directory: Path, villages: list[str]) -> dict[str, str]:
    """Six survey patches a village, imported and summarised; the first parcel of each."""
    patches = [p for row, village in enumerate(villages) for p in patches_of(village, row)]
    path = write(frame(patches), directory / "dltb.gpkg")
    with transaction(make_sessionmaker(engine)) as session:
        done = importers.import_file(session, scope=SYSTEM, path=path, layer="parcels", year=2024)
        assert not done.errors, done.errors
    summary.refresh(engine, pack=PACK, villages=villages)
    with transaction(make_sessionmaker(engine)) as session:
        return {
            village: session.scalars(
                select(Parcel.code).where(Parcel.village_code == village).order_by(Parcel.id)
            ).first()
            for village in villages
        }
