"""Import every module's tables so that ``Base.metadata`` knows them all.

Each new domain adds its ``models`` module here.
"""

from yunong.assess import models as assess_models
from yunong.core.audit import models as audit_models
from yunong.core.auth import models as auth_models
from yunong.core.identity import models as identity_models
from yunong.core.regions import models as region_models
from yunong.land import models as land_models
from yunong.monitor import models as monitor_models
from yunong.store import models as store_models
from yunong.store.base import Base
from yunong.trace import models as trace_models

__all__ = [
    "Base",
    "assess_models",
    "audit_models",
    "auth_models",
    "identity_models",
    "land_models",
    "monitor_models",
    "region_models",
    "store_models",
    "trace_models",
]
