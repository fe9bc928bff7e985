from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from election.core.clock import utcnow
from election.core.db import Base
from election.documents.wording import WordingKind

_KINDS = ", ".join(f"'{k.value}'" for k in WordingKind)


class DocumentWording(Base):
    """An election's own wording of one document kind; no row = the default text (election.documents.wording)."""

    __tablename__ = "document_wordings"
    __table_args__ = (
        UniqueConstraint("election_id", "kind"),
        CheckConstraint(f"kind IN ({_KINDS})", name="kind_known"),
        CheckConstraint("length(body) > 0", name="body_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
