"""Read values as villages really type them: amounts like 1.2万, yes/no as 是/否, dates."""

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from yunong.core.errors import InvalidValue

UNITS = {"万": Decimal(10000), "千": Decimal(1000)}
YES = {"是", "有", "y", "yes", "1", "√", "✓", "true", "残疾", "在校"}
NO = {"否", "无", "没有", "n", "no", "0", "×", "false", ""}
AMOUNT = re.compile(r"^(-?\d+(?:\.\d+)?)(万|千)?$")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def parse_amount(text: str, *, allow_negative: bool = False) -> Decimal | None:
    """Yuan from text such as "12000", "1.2万", "１２,０００元", "￥3千"; None when empty.

    >>> parse_amount("1.2万")
    Decimal('12000.00')
    """
    cleaned = re.sub(r"[,，\s元￥¥]", "", fold(text)).replace("RMB", "")
    if not cleaned:
        return None
    match = AMOUNT.match(cleaned)
    if match is None:
        raise InvalidValue(f"金额“{text.strip()}”无法识别，应为数字，可带“万”“千”")
    try:
        value = Decimal(match.group(1)) * UNITS.get(match.group(2) or "", Decimal(1))
    except InvalidOperation:
        raise InvalidValue(f"金额“{text.strip()}”无法识别") from None
    if value < 0 and not allow_negative:
        raise InvalidValue(f"金额“{text.strip()}”不能为负数")
    return value.quantize(Decimal("0.01"))


def parse_flag(text: str) -> bool:
    """是/否 and the other ways a yes or no is written; empty means no."""
    value = fold(text).lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise InvalidValue(f"“{text.strip()}”应填“是”或“否”")


def parse_date(text: str) -> date:
    """A date written as 2024-03-05, 2024/3/5, 2024.3.5, 20240305 or 2024年3月5日."""
    value = fold(text)
    value = re.sub(r"[年月./]", "-", value).replace("日", "")
    for pattern in ("%Y-%m-%d", "%Y%m%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise InvalidValue(f"日期“{text.strip()}”无法识别，应如 2024-03-05")
