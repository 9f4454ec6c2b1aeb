"""GS1 identifiers for products: GTIN check digits, batch/lot values and Digital Link URIs.

Followed: GS1 General Specifications (GTIN check digit, 7.9.1; AI (10) batch/lot
as up to 20 characters of GS1 AI encodable character set 82, 7.11) and GS1
Digital Link URI syntax 1.2 (``/01/{gtin}/10/{lot}``, values percent-encoded).
"""

import re
import string
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from yunong.core.errors import InvalidValue

GTIN_LENGTHS = (8, 12, 13, 14)
LOT_MAX_LENGTH = 20
# GS1 AI encodable character set 82 (General Specifications, figure 7.11-1).
CHARACTER_SET_82 = frozenset(string.ascii_letters + string.digits + "!\"%&'()*+,-./:;<=>?_")
# Characters a Digital Link path may carry as they are; everything else is percent-encoded.
URI_SAFE = string.ascii_letters + string.digits + "-._~"
DIGITAL_LINK_PATH = re.compile(r"/01/(?P<gtin>\d{8,14})/10/(?P<lot>[^/?#]+)")


def gtin_check_digit(body: str) -> int:
    """The check digit completing ``body`` (weights 3, 1, 3, 1 … from the right).

    >>> gtin_check_digit("690123456789")
    2
    """
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(body[::-1]))
    return (10 - total % 10) % 10


def normalise_gtin(text: str) -> str:
    """A GTIN-8, -12, -13 or -14 as its 14-digit form, after checking its check digit."""
    value = re.sub(r"[\s\-]", "", str(text))
    shown = str(text).strip()
    if not value.isdigit():
        raise InvalidValue(f"商品条码 GTIN“{shown}”只能由数字组成")
    if len(value) not in GTIN_LENGTHS:
        raise InvalidValue(f"商品条码 GTIN“{shown}”应为 8、12、13 或 14 位，实为 {len(value)} 位")
    expected = gtin_check_digit(value[:-1])
    if int(value[-1]) != expected:
        raise InvalidValue(
            f"商品条码 GTIN“{shown}”校验位错误：末位应为 {expected}，实为 {value[-1]}"
        )
    return value.rjust(14, "0")


def validate_lot(text: str) -> str:
    """A batch/lot number as GS1 AI (10) allows it: 1–20 characters of character set 82."""
    lot = str(text).strip()
    if not lot:
        raise InvalidValue("批次号不能为空")
    if len(lot) > LOT_MAX_LENGTH:
        raise InvalidValue(f"批次号“{lot}”超过 {LOT_MAX_LENGTH} 个字符（GS1 AI 10 的上限）")
    bad = sorted({char for char in lot if char not in CHARACTER_SET_82})
    if bad:
        shown = "、".join("空格" if char == " " else char for char in bad)
        raise InvalidValue(
            f"批次号“{lot}”含有 GS1 不允许的字符 {shown}：只能用英文字母、数字和 "
            "!\"%&'()*+,-./:;<=>?_"
        )
    return lot


def digital_link(domain: str, gtin: str, lot: str) -> str:
    """The GS1 Digital Link URI of one batch of a trade item.

    >>> digital_link("yunong.example.cn", "06901234567892", "A/1")
    'https://yunong.example.cn/01/06901234567892/10/A%2F1'
    """
    return (
        f"https://{domain}/01/{normalise_gtin(gtin)}/10/{quote(validate_lot(lot), safe=URI_SAFE)}"
    )


@dataclass(frozen=True)
class DigitalLinkKey:
    gtin: str
    lot: str


def parse_digital_link(uri: str) -> DigitalLinkKey | None:
    """GTIN-14 and lot of a Digital Link URI or path, or None when it is not one.

    Other qualifiers after the lot (``/21/{serial}``) and query attributes are ignored.
    """
    path = urlsplit(uri.strip()).path if "://" in uri else uri.strip().split("?")[0]
    match = DIGITAL_LINK_PATH.search(path)
    if match is None:
        return None
    return DigitalLinkKey(normalise_gtin(match["gtin"]), validate_lot(unquote(match["lot"])))
