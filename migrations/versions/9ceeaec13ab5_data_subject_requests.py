"""data subject requests, rights codes, comment masking

Citizens' requests to withdraw consent or erase contact details (received, due, completed,
by whom, channel); the one-time codes that confirm them (hashed); when a comment's names and
numbers were masked for good (retention or erasure).

Revision ID: 9ceeaec13ab5
Revises: 4f7a924d5e72
Create Date: 2026-12-03 12:55:36.047724

"""
from alembic import op
import sqlalchemy as sa

import core.db


# revision identifiers, used by Alembic.
revision = '9ceeaec13ab5'
down_revision = '4f7a924d5e72'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_subject_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('withdraw_consent', 'erase_contact', name='requestkind', native_enum=False), nullable=False),
    sa.Column('channel', sa.Enum('online', 'counter', name='requestchannel', native_enum=False, length=16), nullable=False),
    sa.Column('received_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('completed_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.Column('verification', sa.Enum('email_code', 'identity_check', 'nothing_held', name='verification', native_enum=False, length=16), nullable=True),
    sa.Column('outcome', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['feedback_case.id'], name=op.f('fk_data_subject_request_case_id_feedback_case')),
    sa.ForeignKeyConstraint(['completed_by_id'], ['user.id'], name=op.f('fk_data_subject_request_completed_by_id_user')),
    sa.ForeignKeyConstraint(['received_by_id'], ['user.id'], name=op.f('fk_data_subject_request_received_by_id_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_data_subject_request_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_subject_request'))
    )
    with op.batch_alter_table('data_subject_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_subject_request_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_data_subject_request_open', ['completed_at', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_subject_request_unit_id'), ['unit_id'], unique=False)

    op.create_table('rights_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('withdraw_consent', 'erase_contact', name='requestkind', native_enum=False), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['feedback_case.id'], name=op.f('fk_rights_code_case_id_feedback_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rights_code'))
    )
    with op.batch_alter_table('rights_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rights_code_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_masked_at', core.db.UTCDateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('comment_masked_at')

    with op.batch_alter_table('rights_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rights_code_case_id'))

    op.drop_table('rights_code')
    with op.batch_alter_table('data_subject_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_subject_request_unit_id'))
        batch_op.drop_index('ix_data_subject_request_open')
        batch_op.drop_index(batch_op.f('ix_data_subject_request_case_id'))

    op.drop_table('data_subject_request')
