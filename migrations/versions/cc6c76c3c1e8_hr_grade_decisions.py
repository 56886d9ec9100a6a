"""hr grade decisions and secondments: the head of unit's grade per staff member and period,
and the home agency of seconded staff, both append-only

Satisfaction is an input to the evaluation; the grade is recorded by a person, with the profile
and sub-score shown beside it. The newest decision per staff member and period applies; the
newest secondment per staff member names the agency their report can be addressed to.

Revision ID: cc6c76c3c1e8
Revises: 7a3608431c09
Create Date: 2026-12-03 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import core.db


# revision identifiers, used by Alembic.
revision = 'cc6c76c3c1e8'
down_revision = '7a3608431c09'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('grade_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period_key', sa.String(length=24), nullable=False),
    sa.Column('grade', sa.Enum('excellent', 'good', 'completed', 'not_completed', name='grade', native_enum=False, length=16), nullable=False),
    sa.Column('profile_key', sa.String(length=64), nullable=False),
    sa.Column('sub_score', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_grade_decision_decided_by_id_user')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_grade_decision_staff_id_staff')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_grade_decision_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grade_decision'))
    )
    with op.batch_alter_table('grade_decision', schema=None) as batch_op:
        batch_op.create_index('ix_grade_decision_staff_period', ['staff_id', 'period_key'], unique=False)

    op.create_table('secondment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('home_agency', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_secondment_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_secondment'))
    )
    with op.batch_alter_table('secondment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_secondment_staff_id'), ['staff_id'], unique=False)


def downgrade():
    with op.batch_alter_table('secondment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_secondment_staff_id'))
    op.drop_table('secondment')
    with op.batch_alter_table('grade_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_grade_decision_staff_period')
    op.drop_table('grade_decision')
