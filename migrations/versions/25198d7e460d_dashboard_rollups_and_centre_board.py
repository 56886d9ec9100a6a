"""dashboard rollups and centre board

Rollup tables for the dashboards (derived data: after upgrading a database that already holds
responses, run `flask --app app dashboard rebuild-rollups` once) and the centre's public board
token and its opt-in for staff names.

Revision ID: 25198d7e460d
Revises: 7a3c0e51d2b9
Create Date: 2026-11-23 09:42:21.866882

"""
from alembic import op
import sqlalchemy as sa

import core.db


# revision identifiers, used by Alembic.
revision = '25198d7e460d'
down_revision = '7a3c0e51d2b9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_rating_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('question_code', sa.String(length=32), nullable=False),
    sa.Column('v1', sa.Integer(), nullable=False),
    sa.Column('v2', sa.Integer(), nullable=False),
    sa.Column('v3', sa.Integer(), nullable=False),
    sa.Column('v4', sa.Integer(), nullable=False),
    sa.Column('v5', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'unit_id', 'centre_id', 'question_code', name=op.f('pk_rollup_rating_day')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('rollup_rating_day', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_rating_day_centre', ['centre_id', 'day'], unique=False)

    op.create_table('rollup_rating_hour',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.SmallInteger(), nullable=False),
    sa.Column('hour', sa.SmallInteger(), nullable=False),
    sa.Column('v1', sa.Integer(), nullable=False),
    sa.Column('v2', sa.Integer(), nullable=False),
    sa.Column('v3', sa.Integer(), nullable=False),
    sa.Column('v4', sa.Integer(), nullable=False),
    sa.Column('v5', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'unit_id', 'centre_id', 'weekday', 'hour', name=op.f('pk_rollup_rating_hour')),
    sqlite_with_rowid=False
    )
    op.create_table('rollup_rating_month',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('staff_key', sa.Integer(), nullable=False),
    sa.Column('area_key', sa.Integer(), nullable=False),
    sa.Column('question_code', sa.String(length=32), nullable=False),
    sa.Column('v1', sa.Integer(), nullable=False),
    sa.Column('v2', sa.Integer(), nullable=False),
    sa.Column('v3', sa.Integer(), nullable=False),
    sa.Column('v4', sa.Integer(), nullable=False),
    sa.Column('v5', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'unit_id', 'centre_id', 'counter_id', 'staff_key', 'area_key', 'question_code', name=op.f('pk_rollup_rating_month')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('rollup_rating_month', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_rating_month_centre', ['centre_id', 'month'], unique=False)
        batch_op.create_index('ix_rollup_rating_month_counter', ['counter_id', 'month'], unique=False)
        batch_op.create_index('ix_rollup_rating_month_staff', ['staff_key', 'month'], unique=False)

    op.create_table('rollup_tag_month',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=1), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'unit_id', 'centre_id', 'kind', 'code', name=op.f('pk_rollup_tag_month')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('centre', schema=None) as batch_op:
        batch_op.add_column(sa.Column('board_token', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('board_show_staff', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_centre_board_token'), ['board_token'])


def downgrade():
    with op.batch_alter_table('centre', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_centre_board_token'), type_='unique')
        batch_op.drop_column('board_show_staff')
        batch_op.drop_column('board_token')

    op.drop_table('rollup_tag_month')
    with op.batch_alter_table('rollup_rating_month', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_rating_month_staff')
        batch_op.drop_index('ix_rollup_rating_month_counter')
        batch_op.drop_index('ix_rollup_rating_month_centre')

    op.drop_table('rollup_rating_month')
    op.drop_table('rollup_rating_hour')
    with op.batch_alter_table('rollup_rating_day', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_rating_day_centre')

    op.drop_table('rollup_rating_day')
