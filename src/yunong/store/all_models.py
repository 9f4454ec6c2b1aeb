"""Import every module's tables so that ``Base.metadata`` knows them all.

Each new domain adds its ``models`` module here.
"""

from yunong.core.audit import models as audit_models
from yunong.core.auth import models as auth_models
from yunong.core.identity import models as identity_models
from yunong.core.regions import models as region_models
from yunong.monitor import models as monitor_models
from yunong.store import models as store_models
from yunong.store.base import Base

__all__ = [
    "Base",
    "audit_models",
    "auth_models",
    "identity_models",
    "monitor_models",
    "region_models",
    "store_models",
]
