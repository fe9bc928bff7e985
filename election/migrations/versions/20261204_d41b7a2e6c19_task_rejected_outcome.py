"""background tasks: a "rejected" outcome — work that read its input to the end and refused it (nothing saved)
keeps its file, the row-by-row list of errors, and is shown 有错误，未保存 in red instead of 已完成

The four CHECK constraints on the status are replaced; on SQLite the table is copied (batch mode), which keeps its
rows and the index.

Revision ID: d41b7a2e6c19
Revises: 8c3f1a6e9b52
Create Date: 2026-12-04 19:20:00.000000
"""
from alembic import op


revision = 'd41b7a2e6c19'
down_revision = '8c3f1a6e9b52'
branch_labels = None
depends_on = None

_NEW = {
    "status_known": "status IN ('queued', 'running', 'done', 'rejected', 'failed')",
    "finished_has_time": "(status IN ('done', 'rejected', 'failed')) = (finished_at IS NOT NULL)",
    "done_has_file": "(status IN ('done', 'rejected')) = (result_path IS NOT NULL)",
    "done_is_complete": "status NOT IN ('done', 'rejected') OR progress = 100",
}
_OLD = {
    "status_known": "status IN ('queued', 'running', 'done', 'failed')",
    "finished_has_time": "(status IN ('done', 'failed')) = (finished_at IS NOT NULL)",
    "done_has_file": "(status = 'done') = (result_path IS NOT NULL)",
    "done_is_complete": "status != 'done' OR progress = 100",
}


def _replace(checks: dict[str, str]) -> None:
    with op.batch_alter_table("background_tasks", schema=None) as batch_op:
        for name, condition in checks.items():
            batch_op.drop_constraint(op.f(f"ck_background_tasks_{name}"), type_="check")
            batch_op.create_check_constraint(op.f(f"ck_background_tasks_{name}"), condition)


def upgrade() -> None:
    _replace(_NEW)


def downgrade() -> None:
    op.execute("UPDATE background_tasks SET status = 'failed', result_path = NULL, download_name = NULL "
               "WHERE status = 'rejected'")
    _replace(_OLD)
