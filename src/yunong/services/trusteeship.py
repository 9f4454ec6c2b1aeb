"""生产托管 contracts and their settlement at harvest.

The settlement of a contract over ``area`` 亩 with a guaranteed yield ``g`` kg/亩, the
farmer's dividend share ``s`` of the yield above the guarantee (0 for 保底产量 alone), a fee
``f`` 元/亩 paid by the farmer and a grain price ``p`` 元/kg, from the recorded harvest ``Y`` kg:

* guaranteed = g × area; surplus = max(0, Y − guaranteed);
* the farmer's grain = guaranteed + s × surplus (a shortfall below the guarantee is the
  provider's to make good);
* the farmer's income = the farmer's grain × p − f × area;
* the provider keeps Y − the farmer's grain (negative when it makes good a shortfall) and
  the fee.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.scope import Scope
from yunong.policy.schema import Services
from yunong.services.models import Trusteeship, TrusteeshipParcel

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Settlement:
    guaranteed_kg: Decimal
    surplus_kg: Decimal
    farmer_kg: Decimal
    provider_kg: Decimal
    farmer_yuan: Decimal
    fee_yuan: Decimal


def settle(contract: Trusteeship) -> Settlement:
    """The settlement from the contract's recorded harvest (see the module's rule)."""
    if contract.recorded_kg is None:
        raise Conflict("托管合同“{code}”尚未登记产量", code=contract.code)
    area = Decimal(contract.area_mu)
    harvest = Decimal(contract.recorded_kg)
    guaranteed = Decimal(contract.guaranteed_kg_per_mu) * area
    surplus = max(Decimal(0), harvest - guaranteed)
    share = (
        Decimal(contract.dividend_share) if contract.profit_model == "guaranteed_dividend" else 0
    )
    farmer_kg = guaranteed + Decimal(share) * surplus
    fee = Decimal(contract.fee_yuan_per_mu) * area
    farmer_yuan = farmer_kg * Decimal(contract.price_yuan_per_kg) - fee
    return Settlement(
        guaranteed_kg=guaranteed.quantize(CENT, ROUND_HALF_UP),
        surplus_kg=surplus.quantize(CENT, ROUND_HALF_UP),
        farmer_kg=farmer_kg.quantize(CENT, ROUND_HALF_UP),
        provider_kg=(harvest - farmer_kg).quantize(CENT, ROUND_HALF_UP),
        farmer_yuan=farmer_yuan.quantize(CENT, ROUND_HALF_UP),
        fee_yuan=fee.quantize(CENT, ROUND_HALF_UP),
    )


def create(
    session: Session, *, scope: Scope, rules: Services, contract: Trusteeship, parcels: list[str]
) -> Trusteeship:
    """Register a contract and mark its parcels as under trusteeship."""
    scope.check_write(contract.region_code, f"托管合同“{contract.code}”")
    if contract.kind not in rules.trusteeship.kinds:
        raise InvalidValue("托管方式“{kind}”不在策略包中", kind=contract.kind)
    if contract.profit_model not in rules.trusteeship.profit_models:
        raise InvalidValue("收益方式“{model}”不在策略包中", model=contract.profit_model)
    if not 0 <= Decimal(contract.dividend_share) <= 1:
        raise InvalidValue("分红比例应在 0 与 1 之间")
    session.add(contract)
    session.flush()
    session.add_all(TrusteeshipParcel(contract_id=contract.id, parcel_code=c) for c in parcels)
    session.flush()
    audit.record(
        session, scope=scope, action="services.trusteeship", target_type="trusteeship",
        target_id=contract.code, region_code=contract.region_code,
    )  # fmt: skip
    return contract


def get(session: Session, *, scope: Scope, code: str) -> Trusteeship:
    found = session.scalars(select(Trusteeship).where(Trusteeship.code == code.strip())).first()
    if found is None:
        raise NotFound("托管合同“{code}”不存在或不在您的管辖范围内", code=code.strip())
    scope.check_read(found.region_code, f"托管合同“{code.strip()}”")
    return found


def record_harvest(session: Session, *, scope: Scope, code: str, kg: Decimal) -> Settlement:
    """Record the harvest of the contract's parcels and settle it."""
    contract = get(session, scope=scope, code=code)
    scope.check_write(contract.region_code, f"托管合同“{code}”")
    if kg < 0:
        raise InvalidValue("产量不能为负数")
    contract.recorded_kg = kg
    session.flush()
    audit.record(
        session, scope=scope, action="services.harvest", target_type="trusteeship",
        target_id=contract.code, region_code=contract.region_code, detail=f"{kg} kg",
    )  # fmt: skip
    return settle(contract)


def parcels_under(session: Session, *, scope: Scope) -> set[str]:
    """The 全农码 of parcels under a trusteeship contract in the scope (for the map)."""
    rows = session.scalars(
        select(TrusteeshipParcel.parcel_code)
        .join(Trusteeship, Trusteeship.id == TrusteeshipParcel.contract_id)
        .where(scope.condition(Trusteeship.region_code))
    )
    return set(rows)
