"""personal data access log: who viewed a citizen's contact details or exported personal data

Append-only; read by the unit's leaders and the administrators.

Revision ID: 4f7a924d5e72
Revises: f74207a84e97
Create Date: 2026-12-03 11:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

import core.db


# revision identifiers, used by Alembic.
revision = '4f7a924d5e72'
down_revision = 'f74207a84e97'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('personal_data_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', core.db.UTCDateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('contact_view', 'export', name='accesskind', native_enum=False, length=16), nullable=False),
    sa.Column('what', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_personal_data_access_unit_id_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_personal_data_access_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_access'))
    )
    with op.batch_alter_table('personal_data_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_data_access_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_access_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('personal_data_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_data_access_unit_id'))
        batch_op.drop_index(batch_op.f('ix_personal_data_access_at'))
    op.drop_table('personal_data_access')
