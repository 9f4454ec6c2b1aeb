"""Notice tables: a notice published to a region, the roles it is for, and who has read it."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base, utcnow


class Notice(Base):
    """A notice (通知公告) from an office to every user of the chosen roles in its region."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    """The region it goes to: the publishing office's city, district or town."""
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    """Plain text, shown escaped with its line breaks."""
    due_on: Mapped[date | None] = mapped_column(Date)
    """签收期限: the day by which every recipient should have read it."""
    published_by: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NoticeAudience(Base):
    """One role a notice is for; a notice for all roles has a row for each."""

    __tablename__ = "notice_audience"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class NoticeReceipt(Base):
    """A recipient opened the notice: the read is the receipt (签收)."""

    __tablename__ = "notice_receipt"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True, index=True)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
