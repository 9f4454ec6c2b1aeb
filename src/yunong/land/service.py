"""Read land units one at a time, inside the caller's scope."""

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from yunong.core.errors import NotFound
from yunong.core.identity import codes
from yunong.core.scope import Scope
from yunong.land.models import Parcel


def get(session: Session, *, scope: Scope, code: str) -> Parcel:
    """A parcel by its 全农码 or its national code (承包地块编码, 不动产单元代码)."""
    text = codes.normalise(code)
    parcel = session.scalars(
        select(Parcel).where(
            or_(
                Parcel.code == text,
                Parcel.contract_plot_code == text,
                Parcel.real_estate_unit_code == text,
            )
        )
    ).first()
    if parcel is None:
        raise NotFound(f"地块“{code.strip()}”不存在或不在您的管辖范围内")
    scope.check_read(parcel.village_code, f"地块“{code.strip()}”")
    return parcel


def get_all(
    session: Session, *, scope: Scope, village_code: str, kind: str | None = None
) -> list[Parcel]:
    """The parcels of one village in the scope, by code."""
    scope.check_read(village_code, f"村“{village_code}”")
    query = scope.filter(select(Parcel), Parcel.village_code).where(
        Parcel.village_code == village_code
    )
    if kind is not None:
        query = query.where(Parcel.kind == kind)
    return list(session.scalars(query.order_by(Parcel.code)))
