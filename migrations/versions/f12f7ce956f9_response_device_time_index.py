"""index on response (device_hash, submitted_at): screening a response reads its device's
responses around it, which otherwise scanned every response of the hour

Revision ID: f12f7ce956f9
Revises: 3e9b5c1a7d24
Create Date: 2026-12-03 21:50:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f12f7ce956f9'
down_revision = '3e9b5c1a7d24'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index('ix_response_device_time', ['device_hash', 'submitted_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_device_time')
