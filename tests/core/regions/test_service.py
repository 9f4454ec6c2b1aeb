"""Reading regions: children, ancestors, scope and counts."""

import pytest

from tests.factories import make_place
from yunong.core.errors import NotFound
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope

SYSTEM = Scope.system("test")


def test_children_are_the_regions_one_level_down(session):
    place = make_place(session)
    assert [r.name for r in regions.get_children(session, scope=SYSTEM, code=place.town)] == [
        "石坪村",
        "复兴村",
    ]


def test_ancestors_run_from_the_city_down_to_the_parent(session):
    place = make_place(session)
    assert [r.name for r in regions.get_ancestors(session, code=place.village)] == [
        "重庆市",
        "万州区",
        "龙沙镇",
    ]


def test_listing_under_a_region_keeps_to_its_scope(session):
    place = make_place(session)
    inside = regions.get_all(session, scope=SYSTEM, level=Level.VILLAGE, under=place.district[:6])
    assert {r.code for r in inside} == {
        place.village,
        place.neighbour_village,
        place.other_town_village,
    }


def test_unknown_code_is_not_found_with_the_code_named(session):
    make_place(session)
    with pytest.raises(NotFound, match="“500199”"):
        regions.get(session, code="500199")


def test_the_city_summary_counts_towns_and_villages_in_every_district(session):
    make_place(session)
    summary = regions.summarize_children(session, scope=SYSTEM, code="500000000000")
    counts = {c.name: (c.towns, c.villages) for c in summary}
    assert len(counts) == 38
    assert counts["万州区"] == (2, 3)
    assert counts["涪陵区"] == (1, 1)
    assert counts["城口县"] == (0, 0)


def test_a_town_summary_counts_the_villages_of_each_child(session):
    place = make_place(session)
    summary = regions.summarize_children(session, scope=SYSTEM, code=place.district)
    assert [(c.name, c.villages) for c in summary] == [("龙沙镇", 2), ("武陵镇", 1)]


def test_a_summary_keeps_to_the_callers_scope(session):
    place = make_place(session)
    village_cadre = Scope(actor="cadre", region_code=place.village)
    with pytest.raises(NotFound):
        regions.summarize_children(session, scope=village_cadre, code=place.district)
    assert regions.get_all(session, scope=village_cadre) == [
        regions.get(session, code=place.village)
    ]
