"""document wordings: the 预备人选情况报告 is an election's own wording too (a fourth kind in the CHECK)

On SQLite the table is copied (batch mode), which keeps its rows.

Revision ID: e5c2a9f0b713
Revises: 2837f7afa415
Create Date: 2026-12-04 20:10:00.000000
"""
from alembic import op


revision = 'e5c2a9f0b713'
down_revision = '2837f7afa415'
branch_labels = None
depends_on = None

_NAME = "ck_document_wordings_kind_known"


def _kinds(condition: str) -> None:
    with op.batch_alter_table("document_wordings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(_NAME), type_="check")
        batch_op.create_check_constraint(op.f(_NAME), condition)


def upgrade() -> None:
    _kinds("kind IN ('notice_first', 'notice_second', 'report_preliminary', 'report_confirmed')")


def downgrade() -> None:
    op.execute("DELETE FROM document_wordings WHERE kind = 'report_confirmed'")
    _kinds("kind IN ('notice_first', 'notice_second', 'report_preliminary')")
