"""sentiment reviews: leaders' corrections of a comment's label

`sentiment_review` is the append-only record (who, when, old -> new, and the tagger's label and
model version at the time); `response.reviewed_label` keeps the latest correction, which every
screen and count uses before the tagger's label. Nothing to backfill: no label was corrected
before this revision.

Revision ID: 7a3608431c09
Revises: a9d3e5f7c1b2
Create Date: 2026-12-03 10:10:17.721847

"""
from alembic import op
import sqlalchemy as sa

import core.db


# revision identifiers, used by Alembic.
revision = '7a3608431c09'
down_revision = 'a9d3e5f7c1b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sentiment_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('at', core.db.UTCDateTime(), nullable=False),
    sa.Column('old_label', sa.String(length=16), nullable=True),
    sa.Column('new_label', sa.String(length=16), nullable=False),
    sa.Column('model_label', sa.String(length=16), nullable=True),
    sa.Column('model_version', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_sentiment_review_actor_id_user')),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_sentiment_review_response_id_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sentiment_review'))
    )
    with op.batch_alter_table('sentiment_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sentiment_review_response_id'), ['response_id'], unique=False)

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewed_label', sa.String(length=16), nullable=True))



def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('reviewed_label')

    with op.batch_alter_table('sentiment_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sentiment_review_response_id'))

    op.drop_table('sentiment_review')
