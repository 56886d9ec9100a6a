"""response.rollup_pending indexed only where it is true: the dashboards ask on every view
whether a response waits for the fold, and SQLite, once ANALYZE had seen that nearly every row
holds false, scanned the whole table instead of the whole-column index (0.5 s at 5 M)

Revision ID: a4c8e2f61b37
Revises: f12f7ce956f9
Create Date: 2026-12-04 03:45:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a4c8e2f61b37'
down_revision = 'f12f7ce956f9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_rollup_pending')
        batch_op.create_index('ix_response_rollup_pending', ['rollup_pending'], unique=False,
                              sqlite_where=sa.text('rollup_pending = 1'),
                              postgresql_where=sa.text('rollup_pending'))


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_rollup_pending')
        batch_op.create_index('ix_response_rollup_pending', ['rollup_pending'], unique=False)
