"""The re-cultivation list, the non-grain list, statistics and the target, against figures
worked out by hand on a small fixture.

Rectangles: 100 m × 60 m = 9 亩, 100 m × 40 m = 6 亩, 80 m × 25 m = 3 亩.
"""

from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import make_place
from tests.land.factories import Plot, plot_code, plot_frame, rectangle, write
from tests.monitor.factories import add_household, family
from yunong.core.regions.codes import CITY_CODE, Level
from yunong.core.scope import Scope
from yunong.land import high_standard, importers, indicators, jobs, summary
from yunong.land.models import Parcel
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

SYSTEM = Scope.system("test")
NINE, SIX, THREE = (100, 60), (100, 40), (80, 25)


def shape(number: int, size: tuple[int, int]):
    return rectangle(number, width=size[0], height=size[1])


@pytest.fixture(scope="module")
def world(module_db_url, tmp_path_factory):
    """Parcels A–H in 石坪村 and one in 复兴村, imported twice (H re-cultivated in between)."""
    engine = make_engine(module_db_url)
    directory = tmp_path_factory.mktemp("rules")
    with transaction(make_sessionmaker(engine)) as session:
        place = make_place(session)
        holder = add_household(
            session, village=place.village, number="0001", members=family("王德才")
        )
        v = place.village

        def plot(n, size, **fields):
            return Plot(plot_code(v, n), v, shape(n, size), **fields)

        plots = [
            plot(1, NINE, ZZSX="撂荒", PDJB="3", CBFQNM=holder.household.code),  # A: to re-farm
            plot(2, NINE, ZZSX="撂荒", PDJB="5"),  # B: abandoned but over 25°
            plot(3, THREE, ZZSX="撂荒", PDJB="4"),  # C: to re-farm
            plot(4, NINE, YJJBNT="是"),  # D: grain on protected farmland
            plot(5, SIX, ZZSX="其他非粮作物", YJJBNT="是"),  # E: non-grain on basic farmland
            plot(6, THREE, ZZSX="设施农业", SJNF="2023"),  # F: non-grain on HSF
            plot(7, THREE, ZZSX="其他非粮作物"),  # G: non-grain, unprotected: allowed
            plot(8, THREE, ZZSX="撂荒", PDJB="2"),  # H: abandoned, re-farmed in 2025
            Plot(
                plot_code(place.neighbour_village, 1),
                place.neighbour_village,
                shape(9, NINE),
                DKLX="宅基地",
                DLBM="0702",
                ZZSX="",
                PDJB="",
            ),
        ]
        importers.import_file(
            session,
            scope=SYSTEM,
            path=write(plot_frame(plots), directory / "a.gpkg"),
            layer="parcels",
        )
        # D and F lie in an accepted high-standard farmland project; the second import of
        # the same plots leaves the flag as acceptance set it.
        high_standard.mark(
            session,
            scope=SYSTEM,
            parcel_ids=list(
                session.scalars(
                    select(Parcel.id).where(
                        Parcel.contract_plot_code.in_([plot_code(v, 4), plot_code(v, 6)])
                    )
                )
            ),
            project_code="E500101000000000010W",
            year=2023,
        )
        plots[7].ZZSX, plots[7].SJNF = "粮食作物", "2025"
        importers.import_file(
            session,
            scope=SYSTEM,
            path=write(plot_frame(plots), directory / "b.gpkg"),
            layer="parcels",
        )
    yield engine, place, holder.household.code
    engine.dispose()


def codes(items) -> list[str]:
    return [item.code[-7:] for item in items]


def plots_of(items) -> set[str]:
    return {item.village_code + "/" + str(int(item.area_mu)) for item in items}


def test_the_recultivation_list_holds_abandoned_parcels_below_25_degrees_with_their_holder(world):
    engine, place, household_code = world
    found = jobs.recultivation_list(engine, scope=SYSTEM, pack=loader.get())

    assert sorted((item.area_mu, item.slope_grade) for item in found.items) == [(3.0, 4), (9.0, 3)]
    [held] = [item for item in found.items if item.holder_code]
    assert (held.holder_code, held.holder_name) == (household_code, "王德才")
    assert found.steep == 1


def test_recultivation_progress_is_the_share_farmed_again(world):
    engine, _, _ = world
    found = jobs.recultivation_list(engine, scope=SYSTEM, pack=loader.get())

    assert [item.area_mu for item in found.recultivated] == [3.0]
    assert found.progress == pytest.approx(3 / 15)


def test_the_non_grain_list_holds_protected_farmland_in_non_grain_use_with_its_deadline(world):
    engine, _, _ = world
    found = jobs.non_grain_list(engine, scope=SYSTEM, pack=loader.get())

    assert [(item.area_mu, item.use, item.deadline) for item in found] == [
        (6.0, "cash_crop", date(2025, 12, 31)),  # 2024 data, one year for other crops
        (3.0, "facility", date(2025, 12, 31)),  # 2023 data, two years for facilities
    ]
    assert (found[0].permanent_farmland, found[1].high_standard) == (True, True)


def test_village_statistics_add_up_by_kind_class_slope_and_protection(world):
    engine, place, _ = world
    stats = {
        s.region_code: s
        for s in jobs.statistics(engine, scope=SYSTEM, pack=loader.get(), level=Level.VILLAGE)
    }

    village = stats[place.village]
    assert village.by_kind == {"cultivated": 45.0, "homestead": 0.0, "construction": 0.0}
    assert village.by_slope == {"2": 24.0, "3": 9.0, "4": 3.0, "5": 9.0}  # D E F G H; A; C; B
    assert (village.permanent_farmland, village.permanent_high_standard) == (15.0, 9.0)
    assert village.high_standard_share == pytest.approx(0.6)
    assert village.abandoned == 21.0 and village.abandoned_by_slope == {
        "3": 9.0,
        "4": 3.0,
        "5": 9.0,
    }
    assert village.recultivation_progress == pytest.approx(3 / 15)
    assert stats[place.neighbour_village].by_kind["homestead"] == 9.0
    assert village.name == "石坪村"


def test_statistics_roll_up_to_the_town(world):
    engine, place, _ = world
    [town] = jobs.statistics(engine, scope=SYSTEM, pack=loader.get(), level=Level.TOWN)

    assert town.region_code == place.town and town.parcels == 9
    assert town.by_class == {"水田": 45.0, "农村宅基地": 9.0}


def test_scoring_adds_up_the_village_summaries_to_the_statistics_figures(world):
    engine, place, _ = world
    summary.refresh(engine, pack=loader.get())
    [town] = jobs.statistics(engine, scope=SYSTEM, pack=loader.get(), level=Level.TOWN)

    with transaction(make_sessionmaker(engine)) as session:
        options = {"period": 2024, "level": Level.TOWN, "under": CITY_CODE}
        cultivated = indicators.cultivated_land(session, **options)[place.town]
        recultivated = indicators.recultivation_rate(session, **options)[place.town]

    assert cultivated.value == pytest.approx(town.by_kind["cultivated"] / 10000)
    assert recultivated.value == pytest.approx(100 * town.recultivation_progress)
    assert (recultivated.numerator, recultivated.denominator) == (3.0, 15.0)


def test_a_village_officer_sees_only_their_village(world):
    engine, place, _ = world
    cadre = Scope(actor="cadre", region_code=place.neighbour_village)

    stats = jobs.statistics(engine, scope=cadre, pack=loader.get(), level=Level.VILLAGE)
    found = jobs.recultivation_list(engine, scope=cadre, pack=loader.get())

    assert [s.region_code for s in stats] == [place.neighbour_village]
    assert found.items == []


def test_cultivated_land_is_checked_against_the_citys_target(world):
    engine, _, _ = world
    check = jobs.against_target(engine, scope=SYSTEM, pack=loader.get(), year=2024)

    assert (check.target_mu, check.cultivated_mu, check.met) == (26_650_000, 45.0, False)
    assert check.clause == "一、"
