"""Small store-level facts about the database itself."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base


class AppMeta(Base):
    """Key–value facts such as which demo scale built this database."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
