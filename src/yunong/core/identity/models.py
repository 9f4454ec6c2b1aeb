"""Registry of issued 全农码, the links between them and the serial counters."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base, utcnow


class IdentityCode(Base):
    """One issued code: what kind of element it names and which row holds that element."""

    __tablename__ = "identity_code"
    # Most codes have no national code, so only those that do are indexed. Without a
    # rowid SQLite keeps the rows in the primary key's b-tree alone: one b-tree fewer to
    # write for every code issued. (A code starts with its kind and region, so the codes
    # of a kind, or of a kind in one region, are a range of the primary key and need no
    # index of their own.)
    __table_args__ = (
        Index(
            "uq_identity_code_national_code",
            "national_code",
            unique=True,
            sqlite_where=text("national_code IS NOT NULL"),
            postgresql_where=text("national_code IS NOT NULL"),
        ),
        {"sqlite_with_rowid": False},
    )

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(1))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"))
    national_code: Mapped[str | None] = mapped_column(String(40))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IdentityLink(Base):
    """A typed edge of the 人物地事财 graph, from one code to another."""

    __tablename__ = "identity_link"
    __table_args__ = (CheckConstraint("from_code <> to_code", name="not_self"),)

    from_code: Mapped[str] = mapped_column(
        String(20), ForeignKey("identity_code.code"), primary_key=True
    )
    relation: Mapped[str] = mapped_column(String(40), primary_key=True)
    to_code: Mapped[str] = mapped_column(
        String(20), ForeignKey("identity_code.code"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IdentitySerial(Base):
    """The last serial handed out per kind and region; it only ever grows."""

    __tablename__ = "identity_serial"

    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer, default=0)
