"""Computed indicators come from the applications' registrations; a pack naming one that no
application registers does not load."""

import pytest

from yunong.assess import registry
from yunong.core.errors import InvalidValue
from yunong.policy import loader as policy


def test_every_computed_indicator_of_the_shipped_pack_has_a_registered_function():
    registry.check(policy.get())


def test_the_zeroing_rate_is_registered_by_monitoring():
    assert registry.get("monitor.zeroing_rate").__module__ == "yunong.monitor.indicators"


def test_a_pack_naming_an_unregistered_computation_is_refused():
    pack = policy.get()
    key = next(iter(pack.indicators))
    broken = pack.model_copy(
        update={
            "indicators": pack.indicators
            | {key: pack.indicators[key].model_copy(update={"method": "computed:land.nothing"})}
        }
    )
    with pytest.raises(InvalidValue, match="land.nothing"):
        registry.check(broken)
