"""Region table: every division from the city down to villages, 12-digit codes."""

from sqlalchemy import ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base


class Region(Base):
    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    level: Mapped[int] = mapped_column(SmallInteger, index=True)
    parent_code: Mapped[str | None] = mapped_column(
        String(12), ForeignKey("region.code"), index=True
    )
    urban_rural_class: Mapped[str | None] = mapped_column(String(3))
