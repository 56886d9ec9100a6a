"""response.tagging_failed_at: comments whose tagging failed wait for `sentiment tag-pending`

Revision ID: a8d2f4c6e1b3
Revises: f3c9a1d7b2e8
Create Date: 2026-12-03 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import core.db


# revision identifiers, used by Alembic.
revision = 'a8d2f4c6e1b3'
down_revision = 'f3c9a1d7b2e8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tagging_failed_at', core.db.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_response_tagging_failed_at', ['tagging_failed_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_tagging_failed_at')
        batch_op.drop_column('tagging_failed_at')
