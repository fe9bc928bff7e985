"""document wordings: an election's own wording of its 公示 (first, second) and 情况报告, a template with {名称}
placeholders; no row means the built-in default

Revision ID: 8c3f1a6e9b52
Revises: 5b1e7c9d2a40
Create Date: 2026-12-04 19:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '8c3f1a6e9b52'
down_revision = '5b1e7c9d2a40'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_wordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('notice_first', 'notice_second', 'report_preliminary')", name=op.f('ck_document_wordings_kind_known')),
    sa.CheckConstraint('length(body) > 0', name=op.f('ck_document_wordings_body_given')),
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], name=op.f('fk_document_wordings_election_id_elections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_document_wordings_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_wordings')),
    sa.UniqueConstraint('election_id', 'kind', name=op.f('uq_document_wordings_election_id_kind'))
    )
    with op.batch_alter_table('document_wordings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_wordings_election_id'), ['election_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('document_wordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_wordings_election_id'))
    op.drop_table('document_wordings')
