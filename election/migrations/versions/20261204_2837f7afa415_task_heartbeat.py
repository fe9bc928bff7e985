"""background tasks: a heartbeat — the working thread stamps heartbeat_at on every progress write and every 30
seconds, so a task whose worker died (no beat for 3 minutes) is shown failed within minutes, not after two hours

Revision ID: 2837f7afa415
Revises: a7e3c91f5d28
Create Date: 2026-12-04 19:45:00.000000
"""
import sqlalchemy as sa
from alembic import op


revision = '2837f7afa415'
down_revision = 'a7e3c91f5d28'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("background_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("background_tasks", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
