"""admin audit log and forced password change

The administrators' audit log (append-only: who created, changed, deactivated, moved, merged,
imported, replaced a QR code, managed an account or published a survey, when, from which page)
and the flag that makes a user choose a new password after an administrator set one.

Revision ID: 427e2f49cc13
Revises: 9ceeaec13ab5
Create Date: 2026-12-03 12:55:45.067357

"""
from alembic import op
import sqlalchemy as sa

import core.db


# revision identifiers, used by Alembic.
revision = '427e2f49cc13'
down_revision = '9ceeaec13ab5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('admin_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', core.db.UTCDateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Enum('created', 'changed', 'deactivated', 'reactivated', 'moved', 'merged', 'imported', 'qr_replaced', 'published', 'password_reset', name='auditaction', native_enum=False, length=16), nullable=False),
    sa.Column('target', sa.Enum('unit', 'centre', 'counter', 'staff', 'user', 'roster', 'survey', name='audittarget', native_enum=False, length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('what', sa.String(length=300), nullable=False),
    sa.Column('page', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_admin_audit_unit_id_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_admin_audit_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_audit'))
    )
    with op.batch_alter_table('admin_audit', schema=None) as batch_op:
        batch_op.create_index('ix_admin_audit_at', ['at'], unique=False)
        batch_op.create_index('ix_admin_audit_unit_at', ['unit_id', 'at'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')

    with op.batch_alter_table('admin_audit', schema=None) as batch_op:
        batch_op.drop_index('ix_admin_audit_unit_at')
        batch_op.drop_index('ix_admin_audit_at')

    op.drop_table('admin_audit')
