"""Towns and villages with plausible Chinese names under the 38 real districts."""

import random
from collections.abc import Iterator

from yunong.core.regions.codes import Level
from yunong.demo.scales import Scale

FIRST = (
    "龙凤石桥河溪坪坝岩山水花金银新安福太和平兴永清白青黄双三大小高马鹿云铁"
    "柏桐茶竹松梅兰桂华明东西南北中上下长丰复宝玉鱼虎狮"
)
SECOND = "口坝湾溪滩坪桥岩塘湖沟垭坡林寺场关门岭庙池坎园堡冲槽家坊田台峰滩营铺洞"
URBAN_DISTRICTS = {"500103", "500104", "500105", "500106", "500107", "500108"}


def place_name(rng: random.Random, taken: set[str]) -> str:
    """A two-character place name not yet used under the same parent."""
    while True:
        name = rng.choice(FIRST) + rng.choice(SECOND)
        if name not in taken:
            taken.add(name)
            return name


RegionRow = dict[str, str | int | None]


def towns_and_villages(district_codes: list[str], scale: Scale, seed: int) -> Iterator[RegionRow]:
    """Region rows for every town and village, parents before children, the same for a seed.

    Town numbers follow the statistical code: 001–099 subdistricts (街道),
    100–199 towns (镇), 200–399 townships (乡); village numbers 001–199
    residents' committees (社区), 200–399 villagers' committees (村).
    """
    rng = random.Random(seed)
    for district in district_codes:
        urban = district[:6] in URBAN_DISTRICTS
        town_count = max(1, round(scale.towns_per_district * rng.uniform(0.6, 1.4)))
        subdistricts = town_count if urban else max(1, town_count // 5)
        taken_towns: set[str] = set()
        counters = {"街道": 0, "镇": 99, "乡": 199}
        for index in range(town_count):
            kind = "街道" if index < subdistricts else ("镇" if rng.random() < 0.75 else "乡")
            counters[kind] += 1
            town = f"{district[:6]}{counters[kind]:03d}000"
            yield {
                "code": town,
                "name": place_name(rng, taken_towns) + kind,
                "level": int(Level.TOWN),
                "parent_code": district,
                "urban_rural_class": None,
            }
            yield from villages(rng, town, kind, scale, urban)


def villages(
    rng: random.Random, town: str, kind: str, scale: Scale, urban: bool
) -> Iterator[RegionRow]:
    count = max(1, round(scale.villages_per_town * rng.uniform(0.5, 1.5)))
    community_share = 0.9 if urban else (0.5 if kind == "街道" else 0.1)
    taken: set[str] = set()
    communities, villages_made = 0, 199
    for _ in range(count):
        if rng.random() < community_share:
            communities += 1
            number, suffix, urban_rural = communities, "社区", "111" if urban else "121"
        else:
            villages_made += 1
            number, suffix, urban_rural = villages_made, "村", "220"
        yield {
            "code": f"{town[:9]}{number:03d}",
            "name": place_name(rng, taken) + suffix,
            "level": int(Level.VILLAGE),
            "parent_code": town,
            "urban_rural_class": urban_rural,
        }
