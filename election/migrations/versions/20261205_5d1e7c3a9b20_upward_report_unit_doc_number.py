"""levels: the 选举单位's own 文号 of a package it reports up (upward_reports.unit_doc_number), beside the upper
committee's 批复/同意 文号 (doc_number); the date of the upper committee's decision (decided_on: the 批复's, the
同意's or the receipt's own date, beside the time it was recorded)

Added in place (no table copy on SQLite: upward_report_items refer to upward_reports' rows).

Revision ID: 5d1e7c3a9b20
Revises: 96b4664e707a
Create Date: 2026-12-05 01:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '5d1e7c3a9b20'
down_revision = '96b4664e707a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("upward_reports", sa.Column("unit_doc_number", sa.String(length=64), server_default="",
                                              nullable=False))
    op.add_column("upward_reports", sa.Column("decided_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("upward_reports", schema=None) as batch_op:
        batch_op.drop_column("decided_on")
        batch_op.drop_column("unit_doc_number")
