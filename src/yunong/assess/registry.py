"""The computed indicators, as the cockpit reads them from the applications' registrations.

A pack indicator whose ``method`` is ``computed:<name>`` is computed by the function an
application registered under ``<name>`` (see :mod:`yunong.core.indicators`). A pack that
names a function no application registers does not load: its figures would otherwise
quietly be asked of the districts instead.
"""

from yunong import apps
from yunong.core import indicators
from yunong.core.errors import InvalidValue
from yunong.core.indicators import Compute
from yunong.policy.schema import Pack


def get(name: str) -> Compute:
    """The function registered under ``name``; an unknown name is an error in the pack."""
    apps.load_indicators()
    function = indicators.get(name)
    if function is None:
        raise InvalidValue(f"政策包指定由“{name}”计算的指标，没有应用登记该计算")
    return function


def check(pack: Pack) -> None:
    """Refuse a pack whose computed indicators or checklist items name no registered function."""
    methods = [indicator.method for indicator in pack.indicators.values()]
    methods += [item.method for item in pack.model_village.items.values()]
    for method in methods:
        if method.startswith("computed:"):
            get(method.removeprefix("computed:"))
