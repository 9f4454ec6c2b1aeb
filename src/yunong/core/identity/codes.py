"""The 全农码 format and its check character (see docs/identity.md).

A code is 20 characters: a kind letter, the 12-digit statistical division
code of the village or town where it was issued, a 6-character serial and a
check character, all from the 31-character alphabet of GB 32100 (digits and
capital letters without I, O, S, V, Z, which read like digits).

The check is a pure MOD 31 system: with position weights ``3**k`` counted
from the right (the check character has weight 1), the weighted sum of all 20
character values is divisible by 31. Because 31 is prime, every weight is
non-zero, and 3 is a primitive root of 31 (so adjacent weights differ by a
factor of 3), every single-character substitution and every adjacent
transposition changes the sum by a non-zero amount modulo 31 and is refused.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from yunong.core.errors import InvalidValue

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
BASE = len(ALPHABET)
VALUES = {char: index for index, char in enumerate(ALPHABET)}
LENGTH = 20
SERIAL_LENGTH = 6
MAX_SERIAL = BASE**SERIAL_LENGTH - 1
WEIGHTS = tuple(pow(3, LENGTH - 1 - position, BASE) for position in range(LENGTH))
SEPARATORS = re.compile(r"[\s\-_.·]")


class Kind(StrEnum):
    """The five element kinds of 人、物、地、事、财."""

    SUBJECT = "P"  # 人: household, person, co-operative, company
    THING = "T"  # 物: product batch, machine
    LAND = "L"  # 地: parcel, homestead, zone
    EVENT = "E"  # 事: case, order, project, trade
    FUND = "F"  # 财: subsidy, loan, account

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.SUBJECT: "人",
    Kind.THING: "物",
    Kind.LAND: "地",
    Kind.EVENT: "事",
    Kind.FUND: "财",
}


@dataclass(frozen=True)
class ParsedCode:
    code: str
    kind: Kind
    region_code: str
    serial: int


def check_char(body: str) -> str:
    """The check character that completes the 19-character ``body``."""
    total = sum(VALUES[char] * weight for char, weight in zip(body, WEIGHTS, strict=False))
    return ALPHABET[-total % BASE]


def encode_serial(serial: int) -> str:
    if not 0 < serial <= MAX_SERIAL:
        raise InvalidValue(f"序号 {serial} 超出全农码的范围 1—{MAX_SERIAL}")
    chars = []
    for _ in range(SERIAL_LENGTH):
        serial, digit = divmod(serial, BASE)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def decode_serial(text: str) -> int:
    value = 0
    for char in text:
        value = value * BASE + VALUES[char]
    return value


def compose(kind: Kind, region_code: str, serial: int) -> str:
    """Build a code from its parts.

    >>> compose(Kind.SUBJECT, "500101100201", 1)
    'P500101100201000001X'
    """
    if not (len(region_code) == 12 and region_code.isdigit()):
        raise InvalidValue(f"全农码的区划“{region_code}”应为 12 位统计用区划代码")
    body = f"{kind.value}{region_code}{encode_serial(serial)}"
    return body + check_char(body)


def compose_many(kind: Kind, region_code: str, serials: Iterable[int]) -> list[str]:
    """:func:`compose` for many serials of one kind and region, whose share of the check
    sum is worked out once."""
    prefix = compose(kind, region_code, 1)[:13]
    share = sum(VALUES[char] * weight for char, weight in zip(prefix, WEIGHTS, strict=False))
    found = []
    for serial in serials:
        encoded = encode_serial(serial)
        total = share + sum(
            VALUES[char] * weight for char, weight in zip(encoded, WEIGHTS[13:], strict=False)
        )
        found.append(f"{prefix}{encoded}{ALPHABET[-total % BASE]}")
    return found


def normalise(text: str) -> str:
    return SEPARATORS.sub("", str(text)).upper()


def parse(text: str) -> ParsedCode:
    """Validate a code and return its parts, or raise with a Chinese reason."""
    code = normalise(text)
    shown = str(text).strip()
    if len(code) != LENGTH:
        raise InvalidValue(f"全农码“{shown}”应为 {LENGTH} 位，实为 {len(code)} 位")
    bad = sorted({char for char in code if char not in VALUES})
    if bad:
        raise InvalidValue(
            f"全农码“{shown}”含有不使用的字符 {'、'.join(bad)}（不用 I、O、S、V、Z 及符号）"
        )
    try:
        kind = Kind(code[0])
    except ValueError:
        raise InvalidValue(
            f"全农码“{shown}”的类别字母 {code[0]} 无效，应为 P(人)、T(物)、L(地)、E(事)、F(财)"
        ) from None
    region_code = code[1:13]
    if not region_code.isdigit():
        raise InvalidValue(f"全农码“{shown}”第 2—13 位应为数字区划代码")
    expected = check_char(code[:-1])
    if code[-1] != expected:
        raise InvalidValue(f"全农码“{shown}”校验位不符，可能有字符输错或前后颠倒")
    return ParsedCode(code, kind, region_code, decode_serial(code[13:19]))


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except InvalidValue:
        return False
    return True
