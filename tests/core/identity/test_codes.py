"""The 全农码 format and its check character."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yunong.core.errors import InvalidValue
from yunong.core.identity import codes
from yunong.core.identity.codes import ALPHABET, Kind

CONFUSABLES = "IOSVZ*#"


def generated_codes(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        codes.compose(
            rng.choice(list(Kind)),
            f"5001{rng.randint(1, 56):02d}{rng.randint(1, 399):03d}{rng.randint(1, 399):03d}",
            rng.randint(1, codes.MAX_SERIAL),
        )
        for _ in range(count)
    ]


def test_validator_rejects_every_single_substitution_and_adjacent_transposition():
    checked = 0
    for code in generated_codes(1000):
        assert codes.is_valid(code)
        for position, original in enumerate(code):
            for replacement in ALPHABET + CONFUSABLES:
                if replacement != original:
                    typo = code[:position] + replacement + code[position + 1 :]
                    assert not codes.is_valid(typo), (code, typo)
                    checked += 1
        for position in range(len(code) - 1):
            if code[position] != code[position + 1]:
                swapped = (
                    code[:position] + code[position + 1] + code[position] + code[position + 2 :]
                )
                assert not codes.is_valid(swapped), (code, swapped)
                checked += 1
    assert checked > 1000 * 20 * 30


def test_a_code_carries_kind_region_and_serial_and_nothing_else():
    code = codes.compose(Kind.LAND, "500101108201", 42)
    parsed = codes.parse(code)
    assert (parsed.kind, parsed.region_code, parsed.serial) == (Kind.LAND, "500101108201", 42)
    assert len(code) == 20 and code.startswith("L500101108201")


def test_lowercase_and_separators_are_accepted_on_input():
    code = codes.compose(Kind.THING, "500101108201", 31**3)
    spaced = f"{code[0]}-{code[1:13]} {code[13:19]} {code[19]}".lower()
    assert codes.parse(spaced).code == code


def test_unknown_kind_letter_is_named():
    body = "A500101108201000001"
    with pytest.raises(InvalidValue, match="类别字母 A 无效"):
        codes.parse(body + codes.check_char(body))


def test_letters_outside_the_alphabet_are_named():
    with pytest.raises(InvalidValue, match="不使用的字符 O"):
        codes.parse("P5001011O8201000001X")


def test_wrong_length_is_named():
    with pytest.raises(InvalidValue, match="应为 20 位，实为 5 位"):
        codes.parse("P5001")


@given(
    st.sampled_from(list(Kind)),
    st.from_regex(r"50[0-9]{10}", fullmatch=True),
    st.integers(1, codes.MAX_SERIAL),
)
def test_compose_and_parse_round_trip(kind: Kind, region: str, serial: int):
    parsed = codes.parse(codes.compose(kind, region, serial))
    assert (parsed.kind, parsed.region_code, parsed.serial) == (kind, region, serial)


@given(
    st.sampled_from(list(Kind)),
    st.from_regex(r"50[0-9]{10}", fullmatch=True),
    st.lists(st.integers(1, codes.MAX_SERIAL), max_size=20),
)
def test_many_codes_of_one_region_are_composed_as_one_at_a_time(
    kind: Kind, region: str, serials: list[int]
):
    assert codes.compose_many(kind, region, serials) == [
        codes.compose(kind, region, serial) for serial in serials
    ]
