"""Small store-level facts about the database itself."""

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base


class AppMeta(Base):
    """Key–value facts such as which demo scale built this database."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class RateCount(Base):
    """Requests one client made under one rate limit in one minute, counted by every server
    process together (see :mod:`yunong.web.ratelimit`); rows older than a few minutes are
    deleted as the counts are written."""

    __tablename__ = "rate_count"

    bucket: Mapped[str] = mapped_column(String(160), primary_key=True)
    """The limit's name and the client's address, as ``name|address``."""
    minute: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    """Minutes since 1970-01-01 UTC."""
    count: Mapped[int] = mapped_column(Integer)
