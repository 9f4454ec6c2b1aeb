"""Division codes: levels, parents, scope prefixes."""

import pytest

from yunong.core.errors import InvalidValue
from yunong.core.regions import codes
from yunong.core.regions.codes import Level


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("500000000000", Level.CITY),
        ("500101000000", Level.DISTRICT),
        ("500101108000", Level.TOWN),
        ("500101108201", Level.VILLAGE),
    ],
)
def test_level_follows_from_where_the_zeros_begin(code, level):
    assert codes.level_of(code) is level


def test_short_official_forms_are_padded_to_twelve_digits():
    assert codes.normalise("500101") == "500101000000"
    assert codes.normalise("500101108") == "500101108000"
    assert codes.normalise("５００１０１") == "500101000000"


@pytest.mark.parametrize("bad", ["5001", "50010110820", "50010A108201", ""])
def test_malformed_codes_are_refused_with_the_value(bad):
    with pytest.raises(InvalidValue, match="区划代码"):
        codes.normalise(bad)


def test_parents_step_up_one_level_at_a_time():
    assert codes.parent_of("500101108201") == "500101108000"
    assert codes.parent_of("500101108000") == "500101000000"
    assert codes.parent_of("500101000000") == "500000000000"
    assert codes.parent_of("500000000000") is None


def test_scope_contains_exactly_the_regions_below_it():
    assert codes.contains("500101108000", "500101108201")
    assert codes.contains("500101108000", "500101108000")
    assert not codes.contains("500101108000", "500101109201")
    assert not codes.contains("500101108201", "500101108202")
    assert codes.contains("500000000000", "500243200201")


def test_level_names_are_chinese_and_english():
    assert Level.from_name("乡镇") is Level.TOWN
    assert Level.from_name("village") is Level.VILLAGE
    assert [level.label for level in Level] == ["市", "区县", "乡镇", "村"]
