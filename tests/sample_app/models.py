from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base


class SampleNote(Base):
    __tablename__ = "sample_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12))
