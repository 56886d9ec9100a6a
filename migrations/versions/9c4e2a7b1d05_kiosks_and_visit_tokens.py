"""kiosks and visit tokens: enrolled kiosks, API tokens, visits; response channel links

Revision ID: 9c4e2a7b1d05
Revises: 25198d7e460d
Create Date: 2026-11-23 09:45:18.129907

"""
from alembic import op
import sqlalchemy as sa

import core.db


# revision identifiers, used by Alembic.
revision = '9c4e2a7b1d05'
down_revision = '25198d7e460d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], name=op.f('fk_api_token_centre_id_centre')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_api_token_token_digest'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_centre_id'), ['centre_id'], unique=False)

    op.create_table('kiosk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('enrol_code_digest', sa.String(length=64), nullable=True),
    sa.Column('enrol_expires_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('enrolled_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('key_digest', sa.String(length=64), nullable=True),
    sa.Column('last_seen_at', core.db.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['counter_id'], ['counter.id'], name=op.f('fk_kiosk_counter_id_counter')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk')),
    sa.UniqueConstraint('enrol_code_digest', name=op.f('uq_kiosk_enrol_code_digest')),
    sa.UniqueConstraint('key_digest', name=op.f('uq_kiosk_key_digest'))
    )
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_counter_id'), ['counter_id'], unique=False)

    op.create_table('visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('procedure_area_id', sa.Integer(), nullable=True),
    sa.Column('ticket_number', sa.String(length=32), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('api_token_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['api_token_id'], ['api_token.id'], name=op.f('fk_visit_api_token_id_api_token')),
    sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], name=op.f('fk_visit_centre_id_centre')),
    sa.ForeignKeyConstraint(['counter_id'], ['counter.id'], name=op.f('fk_visit_counter_id_counter')),
    sa.ForeignKeyConstraint(['procedure_area_id'], ['procedure_area.id'], name=op.f('fk_visit_procedure_area_id_procedure_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit')),
    sa.UniqueConstraint('public_id', name=op.f('uq_visit_public_id')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_visit_token_digest'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index('ix_visit_centre_time', ['centre_id', 'created_at'], unique=False)

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_at', core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('kiosk_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('visit_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_response_visit_id'), ['visit_id'])
        batch_op.create_foreign_key(batch_op.f('fk_response_kiosk_id_kiosk'), 'kiosk', ['kiosk_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_response_visit_id_visit'), 'visit', ['visit_id'], ['id'])


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_response_visit_id_visit'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_response_kiosk_id_kiosk'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_response_visit_id'), type_='unique')
        batch_op.drop_column('visit_id')
        batch_op.drop_column('kiosk_id')
        batch_op.drop_column('received_at')

    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_centre_time')
    op.drop_table('visit')
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_counter_id'))
    op.drop_table('kiosk')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_centre_id'))
    op.drop_table('api_token')
