"""Service providers registered in full: a 合作社, 公司 or 供销 entity by its 统一社会信用代码, an
individual by their resident ID; with the operations offered and their prices.

A provider first named by a machine import is completed here, under the same name."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import Conflict, InvalidValue
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.core.validators import validate_resident_id, validate_uscc
from yunong.policy.schema import Services
from yunong.services.models import Provider

KINDS = ("合作社", "公司", "供销", "个人")


@dataclass(frozen=True)
class ProviderIn:
    name: str
    kind: str
    region_code: str
    credential: str
    services: tuple[str, ...] = ()
    prices: str = ""


def checked_credential(kind: str, credential: str) -> str:
    """An individual's resident ID, or an organisation's 统一社会信用代码, in canonical form."""
    if kind == "个人":
        return validate_resident_id(credential)
    return validate_uscc(credential)


def register(
    session: Session, *, scope: Scope, provider_in: ProviderIn, rules: Services
) -> Provider:
    """Register a provider, or complete the one of that name in the caller's scope."""
    name = provider_in.name.strip()
    if not name:
        raise InvalidValue("服务组织名称不能为空")
    if provider_in.kind not in KINDS:
        raise InvalidValue(f"服务组织类型“{provider_in.kind}”应为 {'、'.join(KINDS)} 之一")
    unknown = [item for item in provider_in.services if item not in rules.operations]
    if unknown:
        raise InvalidValue(f"作业类型“{'、'.join(unknown)}”不在策略包的作业类型中")
    region = regions.get(session, code=provider_in.region_code)
    scope.check_write(region.code, "服务组织")
    credential = checked_credential(provider_in.kind, provider_in.credential)
    provider = session.scalars(
        scope.filter(select(Provider), Provider.region_code).where(Provider.name == name)
    ).first()
    before = None if provider is None else provider.credential
    if provider is None:
        provider = Provider(name=name, region_code=region.code)
        session.add(provider)
    provider.kind, provider.credential = provider_in.kind, credential
    provider.services, provider.prices = "、".join(provider_in.services), provider_in.prices.strip()
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("服务组织“{name}”或其证件号已在其他区域登记", name=name) from None
    audit.record(
        session,
        scope=scope,
        action="services.provider_register",
        target_type="services_provider",
        target_id=provider.id,
        region_code=provider.region_code,
        before={"credential": before},
        after={"credential": credential, "kind": provider.kind},
    )
    return provider
