"""submit path: responses wait for the rollup fold (response.rollup_pending: a submission no
longer updates the rollups in its own transaction); catalogue_version, raised by every change
to the organisation or the surveys (each process's copy of a counter's form follows it)

Revision ID: 3e9b5c1a7d24
Revises: 839a93af1284
Create Date: 2026-12-03 19:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3e9b5c1a7d24'
down_revision = '839a93af1284'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rollup_pending', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_response_rollup_pending'), ['rollup_pending'],
                              unique=False)
    op.create_table(
        'catalogue_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_version')),
    )


def downgrade():
    op.drop_table('catalogue_version')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_rollup_pending'))
        batch_op.drop_column('rollup_pending')
