"""dashboard overall-by-day rollup

The overall ratings per local day, hour, counter, staff member and procedure area, for rankings
and the heatmap of periods that are not whole months (derived data: after upgrading a database
that already holds responses, run `flask --app app dashboard rebuild-rollups` once).

Revision ID: b7d41e2c9a60
Revises: 5bc5e5effd22
Create Date: 2026-11-23 11:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d41e2c9a60'
down_revision = '5bc5e5effd22'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_overall_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('staff_key', sa.Integer(), nullable=False),
    sa.Column('area_key', sa.Integer(), nullable=False),
    sa.Column('hour', sa.SmallInteger(), nullable=False),
    sa.Column('v1', sa.Integer(), nullable=False),
    sa.Column('v2', sa.Integer(), nullable=False),
    sa.Column('v3', sa.Integer(), nullable=False),
    sa.Column('v4', sa.Integer(), nullable=False),
    sa.Column('v5', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'unit_id', 'centre_id', 'counter_id', 'staff_key', 'area_key', 'hour', name=op.f('pk_rollup_overall_day')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('rollup_overall_day', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_overall_day_counter', ['counter_id', 'day'], unique=False)
        batch_op.create_index('ix_rollup_overall_day_staff', ['staff_key', 'day'], unique=False)


def downgrade():
    with op.batch_alter_table('rollup_overall_day', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_overall_day_staff')
        batch_op.drop_index('ix_rollup_overall_day_counter')

    op.drop_table('rollup_overall_day')
