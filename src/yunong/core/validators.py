"""Validators for resident ID numbers, unified social credit codes and mobile phones.

Each function returns the normalised value or raises :class:`InvalidValue`
whose Chinese message names the value and what is wrong with it.
"""

import re
import unicodedata
from datetime import date

from yunong.core.errors import InvalidValue

# GB/T 2260 province-level codes. Only the province part of an ID number's
# address code is checked: a person's number keeps the code of the place that
# issued it, including codes retired since (Chongqing residents born before
# 1997 carry Sichuan's 51xxxx codes), so a current county list would refuse
# real people.
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    }
)  # fmt: skip

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_AUTHORITIES = frozenset("123456789ABCDEFGY")

MOBILE_PATTERN = re.compile(r"1[3-9]\d{9}")


def clean_text(value: str) -> str:
    """Fold full-width characters to ASCII and drop spaces, dashes and dots around digits."""
    folded = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"[\s\-‐‑–—]", "", folded)


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def validate_resident_id(value: str, *, today: date | None = None) -> str:
    """Return an 18-character resident ID number (GB 11643) in canonical form.

    >>> validate_resident_id("11010519491231002x")
    '11010519491231002X'
    """
    number = clean_text(value).upper()
    shown = str(value).strip()
    if len(number) != 18:
        raise InvalidValue(f"证件号码“{shown}”应为 18 位，实为 {len(number)} 位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidValue(f"证件号码“{shown}”含有非法字符：前 17 位应为数字，末位为数字或 X")
    if number[:2] not in PROVINCE_CODES:
        raise InvalidValue(f"证件号码“{shown}”的地址码 {number[:6]} 不是已知的省级行政区划")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidValue(f"证件号码“{shown}”的出生日期 {number[6:14]} 不是真实日期") from None
    if birth > (today or date.today()) or birth.year < 1890:
        raise InvalidValue(f"证件号码“{shown}”的出生日期 {birth.isoformat()} 不可能")
    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        raise InvalidValue(f"证件号码“{shown}”校验位错误：末位应为 {expected}，实为 {number[17]}")
    return number


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters."""
    total = sum(
        USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Return an 18-character unified social credit code (GB 32100) in canonical form.

    >>> validate_uscc("914403001922038216")
    '914403001922038216'
    """
    code = clean_text(value).upper()
    shown = str(value).strip()
    if len(code) != 18:
        raise InvalidValue(f"统一社会信用代码“{shown}”应为 18 位，实为 {len(code)} 位")
    bad = sorted({char for char in code if char not in USCC_ALPHABET})
    if bad:
        raise InvalidValue(
            f"统一社会信用代码“{shown}”含有不使用的字符 {'、'.join(bad)}（不用 I、O、Z、S、V）"
        )
    if code[0] not in USCC_AUTHORITIES:
        raise InvalidValue(f"统一社会信用代码“{shown}”的登记管理部门码 {code[0]} 不存在")
    if not code[2:8].isdigit():
        raise InvalidValue(f"统一社会信用代码“{shown}”第 3—8 位应为行政区划代码数字")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise InvalidValue(
            f"统一社会信用代码“{shown}”校验位错误：末位应为 {expected}，实为 {code[17]}"
        )
    return code


def validate_mobile(value: str) -> str:
    """Return an 11-digit mainland mobile number, accepting +86, spaces and dashes.

    >>> validate_mobile("+86 138-2345-6789")
    '13823456789'
    """
    number = clean_text(value).replace("(", "").replace(")", "")
    shown = str(value).strip()
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    elif len(number) == 13 and number.startswith("86"):
        number = number[2:]
    if not MOBILE_PATTERN.fullmatch(number):
        raise InvalidValue(f"手机号码“{shown}”无效：应为 1 开头、第二位 3—9 的 11 位数字")
    return number
