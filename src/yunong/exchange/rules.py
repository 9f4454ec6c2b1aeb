"""The pack's 产权交易 section."""

from yunong.core.errors import InvalidValue
from yunong.policy import loader
from yunong.policy.schema import Exchange


def section() -> Exchange:
    found = loader.get().exchange
    if found is None:
        raise InvalidValue("策略包没有产权交易（exchange）一节")
    return found
