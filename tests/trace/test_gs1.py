"""GTIN check digits, GS1 lot characters and Digital Link URIs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yunong.core.errors import InvalidValue
from yunong.trace import gs1


def test_a_gtin_13_is_accepted_and_padded_to_14_digits():
    assert gs1.normalise_gtin("6901234567892") == "06901234567892"


def test_a_gtin_with_a_wrong_check_digit_is_refused_naming_the_right_one():
    with pytest.raises(InvalidValue, match="校验位错误：末位应为 2，实为 3"):
        gs1.normalise_gtin("6901234567893")


@pytest.mark.parametrize("text", ["6901234567", "690123456789212", "69O1234567892", ""])
def test_a_gtin_of_the_wrong_length_or_with_letters_is_refused(text):
    with pytest.raises(InvalidValue):
        gs1.normalise_gtin(text)


@given(st.from_regex(r"\d{12}", fullmatch=True))
def test_every_body_with_its_computed_check_digit_is_a_valid_gtin(body):
    gtin = body + str(gs1.gtin_check_digit(body))
    assert gs1.normalise_gtin(gtin) == "0" + gtin


@given(st.from_regex(r"\d{12}", fullmatch=True), st.integers(1, 9))
def test_every_other_check_digit_is_refused(body, shift):
    wrong = (gs1.gtin_check_digit(body) + shift) % 10
    with pytest.raises(InvalidValue):
        gs1.normalise_gtin(body + str(wrong))


@pytest.mark.parametrize("lot", ["2024 11", "批次1", "A#1", "A~1", "A" * 21])
def test_lots_outside_gs1_character_set_82_or_too_long_are_refused(lot):
    with pytest.raises(InvalidValue, match="批次号"):
        gs1.validate_lot(lot)


@pytest.mark.parametrize("lot", ["SP2024-11", "a/b.c_d", "LOT(1)+2%", "A" * 20])
def test_lots_of_gs1_characters_are_accepted(lot):
    assert gs1.validate_lot(lot) == lot


def test_a_digital_link_percent_encodes_the_lot_and_parses_back():
    uri = gs1.digital_link("yunong.example.cn", "6901234567892", "A/1%")
    assert uri == "https://yunong.example.cn/01/06901234567892/10/A%2F1%25"
    assert gs1.parse_digital_link(uri) == gs1.DigitalLinkKey("06901234567892", "A/1%")


def test_a_digital_link_with_a_serial_and_attributes_still_names_the_batch():
    key = gs1.parse_digital_link("https://x.cn/01/06901234567892/10/L1/21/9?17=250101")
    assert key == gs1.DigitalLinkKey("06901234567892", "L1")


def test_a_text_that_is_not_a_digital_link_is_none():
    assert gs1.parse_digital_link("https://x.cn/c/T500101108201000001X") is None
