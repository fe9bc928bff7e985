from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from election.core.db import Base


class AuditEntry(Base):
    """Append-only, hash-chained audit trail. Written only by election.audit.services."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)  # 1, 2, 3 … without gaps: a deleted row breaks the run
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_name: Mapped[str] = mapped_column(String(64), default="系统")
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32), default="", index=True)
    object_id: Mapped[str] = mapped_column(String(32), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # the id of the secret key the hash is an HMAC under (election/audit/keys.py); None = an entry written before
    # the chain was keyed, verified by the legacy plain SHA-256 rule
    key_id: Mapped[str | None] = mapped_column(String(16))
    # what the use case fixed, as digests of its parts (election/audit/seals.py): {"kind", "id", "parts"}
    seal: Mapped[dict | None] = mapped_column(JSON)
