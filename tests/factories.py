"""Realistic test data, built through the same service functions the app uses."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from yunong.core.regions.codes import Level
from yunong.core.regions.importers import load_districts
from yunong.core.regions.models import Region


@dataclass(frozen=True)
class Place:
    """A district with two towns, each with villages, as real codes."""

    district: str = "500101000000"  # 万州区
    town: str = "500101108000"  # 龙沙镇
    village: str = "500101108201"  # 龙沙镇 石坪村
    neighbour_village: str = "500101108202"  # 龙沙镇 复兴村
    other_town: str = "500101109000"  # 武陵镇
    other_town_village: str = "500101109201"  # 武陵镇 下中村
    other_district_village: str = "500102101201"  # 涪陵区 蔺市镇 凤阳村


def add_region(session: Session, code: str, name: str, parent: str) -> None:
    level = Level.TOWN if code.endswith("000") else Level.VILLAGE
    session.add(Region(code=code, name=name, level=int(level), parent_code=parent))


def make_place(session: Session) -> Place:
    place = Place()
    load_districts(session)
    add_region(session, place.town, "龙沙镇", place.district)
    add_region(session, place.village, "石坪村", place.town)
    add_region(session, place.neighbour_village, "复兴村", place.town)
    add_region(session, place.other_town, "武陵镇", place.district)
    add_region(session, place.other_town_village, "下中村", place.other_town)
    add_region(session, "500102101000", "蔺市镇", "500102000000")
    add_region(session, place.other_district_village, "凤阳村", "500102101000")
    session.flush()
    return place
