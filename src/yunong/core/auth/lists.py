"""The users page as a paged list (``core/listing.py``): users bound inside the manager's
scope, found by user name, full name or the end of their phone number, filtered by role and
by enabled or disabled, with their region named."""

import re
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.auth.models import User
from yunong.core.auth.roles import Role
from yunong.core.auth.service import require_manager
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.masking import mask_phone
from yunong.core.regions import service as regions
from yunong.core.scope import Scope

PHONE_END = re.compile(r"^\d{4}$")

USERS = ListSpec(
    sorts={
        "name": Sort("用户名", (User.name,)),
        "role": Sort("角色", (User.role, User.name)),
        "region": Sort("区划", (User.region_code, User.name)),
    },
    default_sort="name",
    statuses={"enabled": "正常", "disabled": "已停用"},
    categories={role.value: role.label for role in Role},
    search="用户名、姓名或手机号后四位",
    category_label="角色",
)


@dataclass(frozen=True)
class UserRow:
    user: User
    role: str
    """The role's Chinese name."""
    region: str
    """The region the user is bound to, by name with its district and town."""
    phone: str
    """Masked, as in every list."""


def user_query(scope: Scope, page: Page) -> Select[tuple[User]]:
    require_manager(scope)
    query = page.within(scope).filter(select(User), User.region_code)
    if page.status:
        query = query.where(User.disabled.is_(page.status == "disabled"))
    if page.category:
        query = query.where(User.role == page.category)
    if page.search:
        text = page.search
        matches = [User.name == text, User.full_name == text]
        if PHONE_END.match(text):
            matches.append(User.phone.endswith(text))
        query = query.where(or_(*matches))
    return query


def get_users(session: Session, *, scope: Scope, page: Page) -> Listing[UserRow]:
    """A page of the users a manager may see."""
    found = listing.fetch(session, user_query(scope, page), page, USERS)
    places = regions.get_place_names(
        session, village_codes={user.region_code for user in found.rows}
    )
    return found.with_rows(
        [
            UserRow(
                user=user,
                role=Role(user.role).label,
                region=places[user.region_code].label,
                phone=mask_phone(user.phone),
            )
            for user in found.rows
        ]
    )
