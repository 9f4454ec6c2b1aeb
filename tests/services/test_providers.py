"""Service providers registered in full: an organisation by its 统一社会信用代码, an individual by
their resident ID, completing the provider a machine import named."""

import pytest

from tests.factories import make_place
from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope
from yunong.core.validators import resident_id_check_char, uscc_check_char
from yunong.policy import loader
from yunong.services import providers
from yunong.services.importers import provider_named

SYSTEM = Scope.system("test")
USCC_BODY = "93500101MA5U0001"  # 农民专业合作社 (9 3), 万州区, without its last two characters
ID_BODY = "50010119800101123"


def uscc() -> str:
    body = USCC_BODY + "2"
    return body + uscc_check_char(body)


def register(session, place, **fields):
    provider_in = providers.ProviderIn(
        **({"name": "龙沙农机合作社", "kind": "合作社", "region_code": place.town,
            "credential": uscc(), "services": ("收获",)} | fields)
    )  # fmt: skip
    return providers.register(
        session, scope=SYSTEM, provider_in=provider_in, rules=loader.get().services
    )


def test_a_provider_named_by_a_machine_import_is_completed_under_the_same_name(session):
    place = make_place(session)
    named = provider_named(session, SYSTEM, "龙沙农机合作社", place.town)
    registered = register(session, place)
    assert registered.id == named.id
    assert registered.kind == "合作社"
    assert (registered.credential, registered.services) == (uscc(), "收获")


def test_an_organisations_code_with_a_wrong_check_character_is_refused(session):
    place = make_place(session)
    wrong = uscc()[:-1] + ("0" if uscc()[-1] != "0" else "1")
    with pytest.raises(InvalidValue, match="校验位错误"):
        register(session, place, credential=wrong)


def test_an_individual_is_registered_by_a_resident_id(session):
    place = make_place(session)
    resident_id = ID_BODY + resident_id_check_char(ID_BODY)
    provider = register(session, place, name="谭德军", kind="个人", credential=resident_id)
    assert provider.credential == resident_id
