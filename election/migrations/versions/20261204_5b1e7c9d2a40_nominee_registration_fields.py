"""nominee registration fields: 出生地, 健康状况, 专业技术职务, 简历 and 奖惩情况, collected by the upload template and the
form and printed on the 登记表

The columns are added in place with an empty default, so the lists uploaded before read as "not given".

Revision ID: 5b1e7c9d2a40
Revises: 26d95256dc56
Create Date: 2026-12-04 19:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '5b1e7c9d2a40'
down_revision = '26d95256dc56'
branch_labels = None
depends_on = None

_COLUMNS = (
    ("birthplace", sa.String(length=64)),
    ("health", sa.String(length=32)),
    ("professional_title", sa.String(length=64)),
    ("resume", sa.Text()),
    ("rewards", sa.Text()),
)


def upgrade() -> None:
    for name, type_ in _COLUMNS:
        op.add_column("nominees", sa.Column(name, type_, server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("nominees", schema=None) as batch_op:
        for name, _type in reversed(_COLUMNS):
            batch_op.drop_column(name)
