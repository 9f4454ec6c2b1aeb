"""How big each demo scale is."""

from dataclasses import dataclass

from yunong.core.errors import InvalidValue


@dataclass(frozen=True)
class Scale:
    name: str
    towns_per_district: int
    """Average towns per district; real districts vary around it."""
    villages_per_town: int
    households_per_village: int
    """Average monitored households per village (防返贫监测); real villages vary around it."""
    parcels_per_village: int = 6
    """Average land parcels per village (农地“一张图”); communities get a fifth of it."""


SCALES = {
    "tiny": Scale(
        "tiny",
        towns_per_district=2,
        villages_per_town=3,
        households_per_village=4,
        parcels_per_village=6,
    ),
    "small": Scale(
        "small",
        towns_per_district=6,
        villages_per_town=5,
        households_per_village=20,
        parcels_per_village=20,
    ),
    # Chongqing has about 1,030 towns and subdistricts, 8,000 villages and 3.5 million rural
    # households with about 10 million people.
    "chongqing": Scale(
        "chongqing",
        towns_per_district=27,
        villages_per_town=8,
        households_per_village=440,
        # About 2 million parcels: 250 a village, fewer in urban communities.
        parcels_per_village=331,
    ),
}


def get(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise InvalidValue(f"未知的规模“{name}”，可选：{'、'.join(SCALES)}") from None
