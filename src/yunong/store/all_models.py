"""Every table of the platform in ``Base.metadata``: core's own, then each application's.

Applications are read from ``yunong.apps``; a new application's tables arrive with its
entry there, and this module does not change.
"""

from yunong import apps
from yunong.core import todo_seen as todo_seen_models
from yunong.core.audit import models as audit_models
from yunong.core.auth import models as auth_models
from yunong.core.identity import models as identity_models
from yunong.core.regions import models as region_models
from yunong.store import models as store_models
from yunong.store.base import Base

apps.load_models()

__all__ = [
    "Base",
    "audit_models",
    "auth_models",
    "identity_models",
    "region_models",
    "store_models",
    "todo_seen_models",
]
