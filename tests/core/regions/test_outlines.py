"""Outlines of one level in a box, inside the scope: found through bounding boxes held in
memory, kept current when boundaries are imported, and tested exactly against the box."""

import shapely

from tests.core.regions.factories import add_centre
from tests.factories import make_place
from yunong.core.auth.roles import Role
from yunong.core.regions.codes import Level
from yunong.core.regions.outlines import get_outlines
from yunong.core.scope import Scope

SHIPING = shapely.box(108.40, 30.80, 108.42, 30.82)
FUXING = shapely.box(108.42, 30.80, 108.44, 30.82)
CORNER = shapely.Polygon([(108.44, 30.80), (108.46, 30.80), (108.44, 30.82)])
"""下中村, a triangle whose bounding box reaches further than it does."""
AROUND = (108.39, 30.79, 108.47, 30.83)


def as_role(role: Role, region: str) -> Scope:
    return Scope(actor="tester", region_code=region, role=role.value)


def names(found) -> list[str]:
    return [outline.name for outline in found]


def test_a_boundary_stored_after_a_read_is_found_by_the_next(session):
    place = make_place(session)
    district = as_role(Role.DISTRICT_OFFICER, place.district)
    add_centre(session, place.village, 108.41, 30.81, boundary=SHIPING)
    first = get_outlines(session, scope=district, level=Level.VILLAGE, bounds=AROUND)

    add_centre(session, place.neighbour_village, 108.43, 30.81, boundary=FUXING)
    second = get_outlines(session, scope=district, level=Level.VILLAGE, bounds=AROUND)

    assert names(first) == ["石坪村"]
    assert names(second) == ["石坪村", "复兴村"]


def test_a_boundary_whose_box_meets_the_view_but_not_its_shape_is_left_out(session):
    place = make_place(session)
    add_centre(session, place.other_town_village, 108.445, 30.805, boundary=CORNER)
    view = (108.455, 30.815, 108.47, 30.83)  # inside the triangle's box, off its long edge

    found = get_outlines(
        session, scope=as_role(Role.CITY_ADMIN, "500000000000"), level=Level.VILLAGE, bounds=view
    )

    assert found == []


def test_a_town_officer_gets_the_villages_of_the_town_and_no_other(session):
    place = make_place(session)
    add_centre(session, place.village, 108.41, 30.81, boundary=SHIPING)
    add_centre(session, place.other_town_village, 108.445, 30.805, boundary=CORNER)

    found = get_outlines(
        session, scope=as_role(Role.TOWN_OFFICER, place.town), level=Level.VILLAGE, bounds=AROUND
    )

    assert [(o.code, o.level) for o in found] == [(place.village, Level.VILLAGE)]
    assert found[0].boundary.equals(SHIPING)


def test_districts_without_a_boundary_are_drawn_by_their_schematic_cell(session):
    place = make_place(session)

    found = get_outlines(
        session,
        scope=as_role(Role.DISTRICT_OFFICER, place.district),
        level=Level.DISTRICT,
        bounds=AROUND,
    )

    assert names(found) == ["万州区"]
    assert found[0].boundary.contains(shapely.Point(108.41, 30.81))
