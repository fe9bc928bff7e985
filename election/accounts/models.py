from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from election.core.clock import utcnow
from election.core.db import Base
from election.core.roles import Role

# werkzeug's default (scrypt) in production; the test suite lowers the cost (tests/conftest.py)
PASSWORD_HASH_METHOD = "scrypt"


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        # a unit handler is tied to exactly one 推荐单位; a studio worker to one 党代表工作室
        CheckConstraint("(role = 'unit') = (unit_id IS NOT NULL)", name="unit_role_has_unit"),
        CheckConstraint("(role = 'studio') = (office_id IS NOT NULL)", name="studio_role_has_office"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("delegate_offices.id"), index=True)
    # the part of the organisation directory the user works in (a 选举单位 and what is under it; the upper
    # committee for the 上级组织部门 role); None: the whole installation, as before there were levels
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # raised by a logout and a password change: every session of the user carries it, and one that carries an
    # older number is no longer logged in (checked on the server at each request, not only by the cookie)
    session_version: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    # a one-time password (an account the admin made, or a reset): the first login must set a new one
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())

    unit = relationship("Unit", lazy="joined")
    office = relationship("DelegateOffice", lazy="joined")
    organisation = relationship("Organisation")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active

    def get_id(self) -> str:  # flask-login keeps this in the session: the user and his session generation
        return f"{self.id}.{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"
