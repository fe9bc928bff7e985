"""levels: the upper committee's election (congresses) and its 选举单位 (congress_units), packages reported up
(upward_reports, upward_report_items), the upper committee's nominees (congress_nominees); an election's and a
user's place in the organisation directory (organisation_id) and an election's congress (congress_id)

The three new columns are added in place with their references (no table copy on SQLite: many tables refer to
elections' and users' rows).

Revision ID: 96b4664e707a
Revises: c7a4e2d9f150
Create Date: 2026-12-05 00:42:32.584049
"""
import sqlalchemy as sa
from alembic import op


revision = '96b4664e707a'
down_revision = 'c7a4e2d9f150'
branch_labels = None
depends_on = None


def _add_reference(table: str, column: str, target: str) -> None:
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a reference only inline, with the column
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES {target} (id)")
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(f"fk_{table}_{column}_{target}"), table, target, [column], ["id"])
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    op.create_table('congresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('age_reference_date', sa.Date(), nullable=True),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('quota_rules', sa.JSON(), nullable=False),
    sa.Column('timeline', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('seats > 0', name=op.f('ck_congresses_seats_positive')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_congresses_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_congresses'))
    )
    with op.batch_alter_table('congresses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_congresses_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('congress_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('congress_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=True),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('higher_seats', sa.Integer(), nullable=False),
    sa.Column('quota_rules', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('seats > 0 AND higher_seats >= 0', name=op.f('ck_congress_units_seats_in_range')),
    sa.ForeignKeyConstraint(['congress_id'], ['congresses.id'], name=op.f('fk_congress_units_congress_id_congresses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], name=op.f('fk_congress_units_election_id_elections')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_congress_units_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_congress_units')),
    sa.UniqueConstraint('congress_id', 'organisation_id', name=op.f('uq_congress_units_congress_id_organisation_id')),
    sa.UniqueConstraint('election_id', name=op.f('uq_congress_units_election_id'))
    )
    with op.batch_alter_table('congress_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_congress_units_congress_id'), ['congress_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_congress_units_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('upward_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('people', sa.JSON(), nullable=False),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('cover_note', sa.Text(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('doc_number', sa.String(length=64), nullable=False),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("(status = 'returned') = (return_reason IS NOT NULL)", name=op.f('ck_upward_reports_returned_has_reason')),
    sa.CheckConstraint("kind IN ('consent', 'approval', 'result')", name=op.f('ck_upward_reports_kind_known')),
    sa.CheckConstraint("status <> 'approved' OR decided_at IS NOT NULL", name=op.f('ck_upward_reports_approved_has_time')),
    sa.CheckConstraint("status IN ('submitted', 'reviewed', 'approved', 'returned')", name=op.f('ck_upward_reports_status_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_upward_reports_decided_by_id_users')),
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], name=op.f('fk_upward_reports_election_id_elections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_upward_reports_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_upward_reports_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upward_reports')),
    sa.UniqueConstraint('election_id', 'kind', 'attempt', name=op.f('uq_upward_reports_election_id_kind_attempt'))
    )
    with op.batch_alter_table('upward_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upward_reports_election_id'), ['election_id'], unique=False)

    op.create_table('congress_nominees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('congress_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('gender', sa.String(length=2), nullable=False),
    sa.Column('ethnicity', sa.String(length=16), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('workplace_title', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('congress_unit_id', sa.Integer(), nullable=True),
    sa.Column('higher_nominee_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("gender IN ('男', '女')", name=op.f('ck_congress_nominees_gender_known')),
    sa.ForeignKeyConstraint(['congress_id'], ['congresses.id'], name=op.f('fk_congress_nominees_congress_id_congresses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['congress_unit_id'], ['congress_units.id'], name=op.f('fk_congress_nominees_congress_unit_id_congress_units')),
    sa.ForeignKeyConstraint(['higher_nominee_id'], ['higher_nominees.id'], name=op.f('fk_congress_nominees_higher_nominee_id_higher_nominees'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_congress_nominees')),
    sa.UniqueConstraint('congress_id', 'name', 'birth_date', name=op.f('uq_congress_nominees_congress_id_name_birth_date')),
    sa.UniqueConstraint('higher_nominee_id', name=op.f('uq_congress_nominees_higher_nominee_id'))
    )
    with op.batch_alter_table('congress_nominees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_congress_nominees_congress_id'), ['congress_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_congress_nominees_congress_unit_id'), ['congress_unit_id'], unique=False)

    op.create_table('upward_report_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('person_key', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.CheckConstraint("decision = 'approved' OR length(reason) > 0", name=op.f('ck_upward_report_items_returned_has_reason')),
    sa.CheckConstraint("decision IN ('approved', 'returned')", name=op.f('ck_upward_report_items_decision_known')),
    sa.ForeignKeyConstraint(['report_id'], ['upward_reports.id'], name=op.f('fk_upward_report_items_report_id_upward_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upward_report_items')),
    sa.UniqueConstraint('report_id', 'person_key', name=op.f('uq_upward_report_items_report_id_person_key'))
    )
    with op.batch_alter_table('upward_report_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upward_report_items_report_id'), ['report_id'], unique=False)

    for table, column, target in (("elections", "organisation_id", "organisations"),
                                  ("elections", "congress_id", "congresses"),
                                  ("users", "organisation_id", "organisations")):
        _add_reference(table, column, target)


def downgrade() -> None:
    for table, column in (("users", "organisation_id"), ("elections", "congress_id"), ("elections", "organisation_id")):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
            batch_op.drop_column(column)

    with op.batch_alter_table('upward_report_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upward_report_items_report_id'))

    op.drop_table('upward_report_items')
    with op.batch_alter_table('congress_nominees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_congress_nominees_congress_unit_id'))
        batch_op.drop_index(batch_op.f('ix_congress_nominees_congress_id'))

    op.drop_table('congress_nominees')
    with op.batch_alter_table('upward_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upward_reports_election_id'))

    op.drop_table('upward_reports')
    with op.batch_alter_table('congress_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_congress_units_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_congress_units_congress_id'))

    op.drop_table('congress_units')
    with op.batch_alter_table('congresses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_congresses_organisation_id'))

    op.drop_table('congresses')
