"""the tagging backlog's index holds only the responses whose tagging failed, by id: the
cron's `sentiment tag-pending` asked for them in id order and SQLite, its statistics saying
the whole-column index was useless, walked every response by id (0.5–0.7 s a run at 5 M)

Revision ID: c2f6a8d40e19
Revises: b9e3d5a71c08
Create Date: 2026-12-04 04:20:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c2f6a8d40e19'
down_revision = 'b9e3d5a71c08'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_tagging_failed_at')
        batch_op.create_index('ix_response_tagging_failed_at', ['id', 'tagging_failed_at'],
                              unique=False,
                              sqlite_where=sa.text('tagging_failed_at IS NOT NULL'),
                              postgresql_where=sa.text('tagging_failed_at IS NOT NULL'))


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_tagging_failed_at')
        batch_op.create_index('ix_response_tagging_failed_at', ['tagging_failed_at'],
                              unique=False)
