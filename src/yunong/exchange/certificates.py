"""Verifying a 鉴证书 by its code, as anyone holding the paper can on the public page."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.errors import InvalidValue, NotFound
from yunong.core.identity import codes
from yunong.exchange.models import Certificate, Listing

FORGED = "“{code}”不是有效的鉴证书编码"


@dataclass(frozen=True)
class Verified:
    certificate: Certificate
    listing: Listing


def verify(session: Session, *, code: str) -> Verified:
    """The certificate under ``code``; a code that fails its check character, or that no
    certificate was issued under, is refused alike."""
    try:
        parsed = codes.parse(code)
    except InvalidValue:
        raise NotFound(FORGED, code=code[:40]) from None
    found = session.scalars(select(Certificate).where(Certificate.code == parsed.code)).first()
    listing = session.get(Listing, found.listing_id) if found else None
    if found is None or listing is None:
        raise NotFound(FORGED, code=code[:40])
    return Verified(certificate=found, listing=listing)
