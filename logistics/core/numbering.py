"""Gap-free document numbers: ``PREFIX-SCOPE-YEAR-00001``, one counter row per prefix.

The counter row is taken with an upsert that returns the new value, so the row lock it holds
until commit orders concurrent writers: no two documents share a number and a rolled-back
document gives its number back.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from logistics.db import Base


class NumberSequence(Base):
    """The last number used per prefix (which includes scope and year)."""

    __tablename__ = "document_sequences"

    prefix: Mapped[str] = mapped_column(String(30), primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<NumberSequence {self.prefix} {self.last_value}>"


def next_number(session, prefix: str, scope: str, year: int) -> str:
    """Take the next number: ("BAST", "LS-ENG", 2026) gives ``BAST-LS-ENG-2026-00012``."""
    key = f"{prefix}-{scope}-{year}" if scope else f"{prefix}-{year}"
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(NumberSequence).values(prefix=key, last_value=1)
    statement = statement.on_conflict_do_update(
        index_elements=["prefix"], set_={"last_value": NumberSequence.last_value + 1}
    ).returning(NumberSequence.last_value)
    return f"{key}-{session.execute(statement).scalar_one():05d}"
