"""Which 待办 items a user has already been shown, for the badge of new items on the menu.

An item is known by its key: the application, the kind of work and the page where it is
done (``monitor|verify|/monitor/cases/17``). When the user opens the home page, the keys
of every item it lists are kept as *seen*, replacing the ones kept before; an item listed
now whose key is not kept is *new*. So the badge counts exactly the items that appeared
on the list since the user last looked at it — a case sent back to the user's desk after
they had dealt with it counts again, and an item that moves from one kind to another (a
data set from 填报 to 报送) is new work too.

Only the items the home page lists are compared (the most urgent
:data:`yunong.core.todo.ITEMS_SHOWN` of each kind): what the user has never been shown
cannot have been seen, and the providers need not hand over every key of a queue of
thousands on every page. The kept rows are at most that many per kind and user.
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from yunong.core.todo import Item, Todo
from yunong.store.base import Base, utcnow
from yunong.store.bulk import upsert_for

KEY_LENGTH = 300


class SeenTodoItem(Base):
    """A 待办 item the user was shown when they last opened the home page."""

    __tablename__ = "todo_seen"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    item_key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def key_of(kind: Todo, item: Item) -> str:
    return f"{kind.application}|{kind.kind}|{item.link}"[:KEY_LENGTH]


def listed_keys(todo: list[Todo]) -> set[str]:
    return {key_of(kind, item) for kind in todo for item in kind.items}


def seen_keys(session: Session, *, user_id: int) -> set[str]:
    return set(
        session.scalars(select(SeenTodoItem.item_key).where(SeenTodoItem.user_id == user_id))
    )


def new_keys(session: Session, *, user_id: int | None, todo: list[Todo]) -> set[str]:
    """The keys of the listed items the user has not been shown; none for a caller that is
    no user (the command line, a system job)."""
    if user_id is None:
        return set()
    return listed_keys(todo) - seen_keys(session, user_id=user_id)


def mark_seen(session: Session, *, user_id: int | None, todo: list[Todo]) -> set[str]:
    """Keep the listed items as the ones the user has seen, in place of those kept before;
    the keys of those that were new. Writes nothing when nothing changed, so opening the
    home page again costs one read."""
    if user_id is None:
        return set()
    listed, kept = listed_keys(todo), seen_keys(session, user_id=user_id)
    gone, added = kept - listed, listed - kept
    if gone:
        session.execute(
            delete(SeenTodoItem).where(
                SeenTodoItem.user_id == user_id, SeenTodoItem.item_key.in_(gone)
            )
        )
    if added:
        # Two tabs opening the home page at once may keep the same item: the second keeps it
        # already kept.
        session.execute(
            upsert_for(session)(SeenTodoItem)
            .values([{"user_id": user_id, "item_key": key, "seen_at": utcnow()} for key in added])
            .on_conflict_do_nothing(index_elements=["user_id", "item_key"])
        )
    return added
