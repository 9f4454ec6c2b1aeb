"""Personal data in lists shows only its ends."""

from yunong.core.masking import mask_id_number, mask_name, mask_phone


def test_an_id_number_keeps_its_first_three_and_last_four_characters():
    assert mask_id_number("50010119900307123X") == "500***********123X"


def test_a_phone_keeps_its_first_three_and_last_four_digits():
    assert mask_phone("13812345678") == "138****5678"


def test_short_or_missing_values_reveal_nothing():
    assert mask_phone("1234") == "****"
    assert mask_phone(None) == ""


def test_a_name_keeps_only_its_surname():
    assert mask_name("王德才") == "王**"
    assert mask_name("李四") == "李*"
    assert mask_name("王") == "*"
    assert mask_name(None) == ""
