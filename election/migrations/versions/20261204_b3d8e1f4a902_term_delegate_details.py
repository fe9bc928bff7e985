"""term delegates keep what the election knew: 籍贯, 入党时间, 参加工作时间, 学历, 身份类别; one term delegate per
elected person (a unique source_delegate_id, so a transfer run twice adds nothing)

Columns are added in place (no table copy on SQLite: other tables refer to term_delegates' rows).

Revision ID: b3d8e1f4a902
Revises: e5c2a9f0b713
Create Date: 2026-12-04 22:05:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = 'b3d8e1f4a902'
down_revision = 'e5c2a9f0b713'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("term_delegates", sa.Column("native_place", sa.String(length=64), nullable=False, server_default=""))
    op.add_column("term_delegates", sa.Column("party_join_date", sa.Date(), nullable=True))
    op.add_column("term_delegates", sa.Column("work_start_date", sa.Date(), nullable=True))
    op.add_column("term_delegates", sa.Column("education", sa.String(length=32), nullable=False, server_default=""))
    op.add_column("term_delegates", sa.Column("category", sa.String(length=32), nullable=False, server_default=""))
    op.create_index(op.f("ix_term_delegates_source_delegate_id"), "term_delegates", ["source_delegate_id"],
                    unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_term_delegates_source_delegate_id"), table_name="term_delegates")
    for column in ("category", "education", "work_start_date", "party_join_date", "native_place"):
        op.drop_column("term_delegates", column)
