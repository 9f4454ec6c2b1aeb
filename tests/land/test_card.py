"""A parcel's card: what the parcel is and who holds it, the holder named as lists name
people — the head of household's surname, the rest masked."""

import pytest

from tests.factories import make_place
from tests.land.factories import Plot, plot_code, plot_frame, rectangle, write
from tests.monitor.factories import add_household, family
from yunong.core.auth.roles import Role
from yunong.core.errors import NotFound
from yunong.core.scope import Scope
from yunong.land import card, importers

SYSTEM = Scope.system("test")


def as_role(role: Role, region: str) -> Scope:
    return Scope(actor="tester", region_code=region, role=role.value, can_write=role.can_write)


@pytest.fixture
def held(session, tmp_path):
    """A 9 亩 paddy of 石坪村 held by 王德才's household, and one without a holder."""
    place = make_place(session)
    holder = add_household(session, village=place.village, number="0001", members=family("王德才"))
    plots = [
        Plot(
            plot_code(place.village, 1), place.village, rectangle(1), CBFQNM=holder.household.code
        ),
        Plot(plot_code(place.village, 2), place.village, rectangle(2)),
    ]
    path = write(plot_frame(plots), tmp_path / "plots.gpkg")
    done = importers.import_file(session, scope=SYSTEM, path=path, layer="parcels")
    assert not done.errors, done.errors
    return place, holder.household.code, [plot.plot for plot in plots]


def test_the_card_names_the_holder_by_surname_only(session, held):
    place, household, (plot, _) = held

    shown = card.parcel_card(session, scope=as_role(Role.BANK_VIEWER, place.district), code=plot)

    assert shown["holder"] == "王**"
    assert shown["holder_code"] == household
    assert "王德才" not in str(shown)


def test_the_card_reads_class_area_slope_and_protection(session, held):
    place, _, (plot, _) = held

    shown = card.parcel_card(session, scope=as_role(Role.VILLAGE_CADRE, place.village), code=plot)

    assert shown["land_class"] == "0101 水田"
    assert shown["area_mu"] == 9.0
    assert shown["slope"] == "2°—6°"
    assert (shown["permanent_farmland"], shown["high_standard"]) == (False, False)


def test_a_parcel_without_a_holder_has_an_empty_holder(session, held):
    place, _, (_, plot) = held

    shown = card.parcel_card(session, scope=as_role(Role.TOWN_OFFICER, place.town), code=plot)

    assert (shown["holder"], shown["holder_code"]) == ("", None)


def test_a_parcel_outside_the_scope_has_no_card(session, held):
    place, _, (plot, _) = held

    with pytest.raises(NotFound):
        card.parcel_card(
            session, scope=as_role(Role.VILLAGE_CADRE, place.other_district_village), code=plot
        )
