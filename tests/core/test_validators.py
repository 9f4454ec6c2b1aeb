"""Resident ID numbers, unified social credit codes and mobile phones."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yunong.core.errors import InvalidValue
from yunong.core.validators import (
    resident_id_check_char,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)

# The worked example printed in GB 11643-1999, annex (a woman born 1949-12-31 in 北京市朝阳区).
GB11643_EXAMPLE = "11010519491231002X"

# Published codes of registered organisations (from their business licences).
PUBLISHED_USCC = [
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
    "911100001000054748",  # 中国农业银行股份有限公司
]


def test_gb11643_worked_example_is_valid():
    assert validate_resident_id(GB11643_EXAMPLE) == GB11643_EXAMPLE


def test_lowercase_x_and_full_width_digits_are_normalised():
    assert validate_resident_id(" １１０１０５１９４９１２３１００２x ") == GB11643_EXAMPLE


def test_wrong_check_character_names_the_expected_one():
    with pytest.raises(InvalidValue, match="末位应为 X"):
        validate_resident_id("110105194912310021")


def test_impossible_birth_date_is_refused():
    with pytest.raises(InvalidValue, match="19490230 不是真实日期"):
        validate_resident_id("110105194902300025")


def test_birth_date_in_the_future_is_refused():
    number = "50010120300101001" + resident_id_check_char("50010120300101001")
    with pytest.raises(InvalidValue, match="不可能"):
        validate_resident_id(number, today=date(2026, 1, 1))


def test_unknown_province_is_refused():
    number = "99010519491231002" + resident_id_check_char("99010519491231002")
    with pytest.raises(InvalidValue, match="地址码 990105"):
        validate_resident_id(number)


def test_former_sichuan_codes_of_chongqing_residents_are_accepted():
    number = "51222119650312002" + resident_id_check_char("51222119650312002")
    assert validate_resident_id(number) == number


def test_wrong_length_names_the_value_and_its_length():
    with pytest.raises(InvalidValue, match="“1101051949”应为 18 位，实为 10 位"):
        validate_resident_id("1101051949")


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1920, 1, 1), max_value=date(2025, 12, 31)))
    county = draw(st.sampled_from(["500101", "500243", "510221", "110105", "440300"]))
    first17 = f"{county}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first17 + resident_id_check_char(first17)


@given(resident_ids())
def test_every_correctly_built_number_is_accepted(number: str):
    assert validate_resident_id(number) == number


@given(resident_ids(), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_refused(number: str, position: int, shift: int):
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    with pytest.raises(InvalidValue):
        validate_resident_id(changed)


@pytest.mark.parametrize("code", PUBLISHED_USCC)
def test_published_credit_codes_are_valid(code: str):
    assert validate_uscc(code) == code


def test_credit_code_with_wrong_check_character_is_refused():
    with pytest.raises(InvalidValue, match="末位应为 6"):
        validate_uscc("914403001922038217")


def test_credit_code_with_letters_it_never_uses_is_refused():
    with pytest.raises(InvalidValue, match="不使用的字符 O"):
        validate_uscc("91440300192203821O")


def test_credit_code_in_lowercase_with_spaces_is_normalised():
    assert validate_uscc(" 91440300708461136t ") == "91440300708461136T"


@pytest.mark.parametrize(
    "typed",
    ["13823456789", "138 2345 6789", "138-2345-6789", "+86 13823456789", "１３８２３４５６７８９"],
)
def test_mobile_numbers_as_people_type_them_are_normalised(typed: str):
    assert validate_mobile(typed) == "13823456789"


@pytest.mark.parametrize("typed", ["1382345678", "12823456789", "023-6789-1234", "abc"])
def test_numbers_that_are_not_mobiles_are_refused(typed: str):
    with pytest.raises(InvalidValue, match="手机号码"):
        validate_mobile(typed)
