"""公示: the reason a 发布日期 lies before its stage began or more than a few working days back (补登理由)

Added in place (no table copy on SQLite: complaints refer to notices' rows).

Revision ID: c7a4e2d9f150
Revises: b3d8e1f4a902
Create Date: 2026-12-04 22:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = 'c7a4e2d9f150'
down_revision = 'b3d8e1f4a902'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("notices", sa.Column("backdate_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("notices", "backdate_reason")
