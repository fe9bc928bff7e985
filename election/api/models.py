from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.core.clock import utcnow
from election.core.db import Base


class ApiToken(Base):
    """A personal API token: only the SHA-256 of the secret is kept; the secret is shown once.

    The token carries the role and unit scope its user had when it was made; if the user's role or unit
    changes later, the token stops working (it never gains rights the user acquires afterwards).
    """

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_given"),
        CheckConstraint("length(token_hash) = 64", name="hash_is_sha256"),
        CheckConstraint("length(prefix) >= 8", name="prefix_given"),
        # every token expires; a revocation or a use never predates the token
        CheckConstraint("expires_at > created_at", name="expires_after_creation"),
        CheckConstraint("revoked_at IS NULL OR revoked_at >= created_at", name="revoked_after_creation"),
        CheckConstraint("last_used_at IS NULL OR last_used_at >= created_at", name="used_after_creation"),
        # the unit scope follows the role, as on users (a unit token always names its unit)
        CheckConstraint("(role = 'unit') = (unit_id IS NOT NULL)", name="unit_role_has_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown in lists so a user recognises the token
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user = relationship("User", lazy="joined")

    def active_at(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
