"""Audit entries: the id of the key their HMAC is under, and the seal of what the use case fixed (issue 19)

Revision ID: a7e3c91f5d28
Revises: d41b7a2e6c19
Create Date: 2026-12-04 19:50:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = 'a7e3c91f5d28'
down_revision = 'd41b7a2e6c19'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # existing rows keep key_id NULL: they were hashed by the legacy plain SHA-256 rule and verify under it
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("seal", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_column("seal")
        batch_op.drop_column("key_id")
