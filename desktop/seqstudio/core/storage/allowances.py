"""Remembered decisions about AI-tell flags: "allow for this brand" (a whole rule, or a phrase,
for every sequence of the brand) and "ignore" (one phrase in one step). Kept in the library and
handed to the detector as an `Allowances` value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from seqstudio.core.errors import StudioError
from seqstudio.core.storage.tables import TellAllowanceRow
from seqstudio.core.tells.rules import Allowances


class AllowanceScope(StrEnum):
    BRAND = "brand"  # scope_key: the brand's name
    STEP = "step"  # scope_key: the step id


@dataclass(frozen=True)
class Allowance:
    id: int
    scope: AllowanceScope
    scope_key: str
    rule_id: str  # "" when only a phrase is allowed
    phrase: str  # "" when the whole rule is allowed
    created_at: datetime


class AllowanceStore:
    """Use through `Library.allowances`, on the library's thread."""

    def __init__(self, session: Callable[[], Session], clock: Callable[[], datetime]) -> None:
        self._session, self._clock = session, clock

    def add(self, scope: AllowanceScope, scope_key: str, *, rule_id: str = "", phrase: str = "") -> None:
        """Remember an allowance; adding one that exists changes nothing."""
        phrase = " ".join(phrase.split())
        if not rule_id and not phrase:
            raise StudioError("Say which rule or phrase to allow.")
        with self._session() as session, session.begin():
            exists = session.scalars(
                select(TellAllowanceRow.id).where(
                    TellAllowanceRow.scope == scope.value,
                    TellAllowanceRow.scope_key == scope_key,
                    TellAllowanceRow.rule_id == rule_id,
                    TellAllowanceRow.phrase == phrase,
                )
            ).first()
            if exists is None:
                session.add(
                    TellAllowanceRow(
                        scope=scope.value,
                        scope_key=scope_key,
                        rule_id=rule_id,
                        phrase=phrase,
                        created_at=self._clock(),
                    )
                )

    def remove(self, allowance_id: int) -> None:
        with self._session() as session, session.begin():
            session.execute(delete(TellAllowanceRow).where(TellAllowanceRow.id == allowance_id))

    def listed(self, brand_name: str, step_id: str | None = None) -> list[Allowance]:
        """The brand's allowances and, with `step_id`, that step's ignored passages; oldest first."""
        scopes = [(AllowanceScope.BRAND, brand_name)] + ([(AllowanceScope.STEP, step_id)] if step_id else [])
        where = or_(
            *(
                (TellAllowanceRow.scope == scope.value) & (TellAllowanceRow.scope_key == key)
                for scope, key in scopes
            )
        )
        with self._session() as session:
            rows = session.scalars(select(TellAllowanceRow).where(where).order_by(TellAllowanceRow.id)).all()
        return [
            Allowance(
                row.id, AllowanceScope(row.scope), row.scope_key, row.rule_id, row.phrase, row.created_at
            )
            for row in rows
        ]

    def for_step(self, brand_name: str, step_id: str | None = None) -> Allowances:
        """What the detector should let pass for a step of one of the brand's sequences."""
        rows = self.listed(brand_name, step_id)
        return Allowances.of(
            rule_ids=(row.rule_id for row in rows if row.rule_id and not row.phrase),
            phrases=(row.phrase for row in rows if row.phrase),
        )
