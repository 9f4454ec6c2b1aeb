"""The 人居环境 page's figures for the caller's region: districts' clearance of black and
odorous water against the 2025 target, settlements still without a sewage facility, and the
share of sanitary toilets recorded."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from yunong.core.scope import Scope
from yunong.habitat import remediation, sewage
from yunong.habitat.models import Toilet
from yunong.habitat.remediation import ClearanceTarget, DistrictClearance
from yunong.policy.schema import Habitat, Pack


@dataclass(frozen=True)
class Overview:
    districts: list[DistrictClearance]
    target: ClearanceTarget
    unserved: int
    toilets: int
    sanitary: int

    @property
    def sanitary_share(self) -> float | None:
        return 100.0 * self.sanitary / self.toilets if self.toilets else None

    def chart(self) -> dict[str, list[object]]:
        """Black and odorous bodies and open remediations by district, for the bar chart."""
        return {
            "names": [district.name for district in self.districts],
            "black": [district.black for district in self.districts],
            "open": [district.open for district in self.districts],
        }


def get(session: Session, *, scope: Scope, pack: Pack, rules: Habitat) -> Overview:
    black_odorous = rules.black_odorous
    counted = scope.filter(
        select(func.count(), func.sum(case((Toilet.sanitary.is_(True), 1), else_=0))),
        Toilet.region_code,
    )
    toilets, sanitary = session.execute(counted).one()
    return Overview(
        districts=remediation.clearance(session, scope=scope, rules=black_odorous),
        target=remediation.clearance_target(
            session, scope=scope, rules=black_odorous, year=date.today().year
        ),
        unserved=len(sewage.unserved(session, scope=scope, pack=pack)),
        toilets=int(toilets or 0),
        sanitary=int(sanitary or 0),
    )
