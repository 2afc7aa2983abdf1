"""The library's tables. Changing one means adding an Alembic migration in migrations/versions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class SequenceRow(Base):
    __tablename__ = "sequences"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(16))
    blueprint: Mapped[str] = mapped_column(String(64), default="")
    brand_json: Mapped[str] = mapped_column(Text)
    offer_json: Mapped[str] = mapped_column(Text)
    settings_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class StepRow(Base):
    __tablename__ = "steps"
    __table_args__ = (UniqueConstraint("sequence_id", "position"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    sequence_id: Mapped[str] = mapped_column(ForeignKey("sequences.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    delay: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    preheader: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    cta_label: Mapped[str] = mapped_column(Text, default="")
    cta_url: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class StepRevisionRow(Base):
    __tablename__ = "step_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    step_id: Mapped[str] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    origin: Mapped[str] = mapped_column(String(16))
    model: Mapped[str] = mapped_column(String(120), default="")
    content_json: Mapped[str] = mapped_column(Text)


class SequenceRevisionRow(Base):
    __tablename__ = "sequence_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sequence_id: Mapped[str] = mapped_column(ForeignKey("sequences.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    origin: Mapped[str] = mapped_column(String(16))
    content_json: Mapped[str] = mapped_column(Text)


class TellAllowanceRow(Base):
    __tablename__ = "tell_allowances"
    __table_args__ = (UniqueConstraint("scope", "scope_key", "rule_id", "phrase"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(8), index=True)
    scope_key: Mapped[str] = mapped_column(String(200))
    rule_id: Mapped[str] = mapped_column(String(120), default="")
    phrase: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
