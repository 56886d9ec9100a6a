"""survey ownership: a survey version belongs to a unit (None: national); publications log

Existing versions become national (unit_id NULL, the active one stays the national default);
each gets its publication record, by nobody known, at its publication time.

Revision ID: c5e1a9d3f7b2
Revises: a8d2f4c6e1b3
Create Date: 2026-12-03 10:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import core.db


# revision identifiers, used by Alembic.
revision = 'c5e1a9d3f7b2'
down_revision = 'a8d2f4c6e1b3'
branch_labels = None
depends_on = None


def upgrade():
    publication = op.create_table('survey_publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_survey_publication_published_by_id_user')),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_publication_survey_id_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_survey_publication_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_publication'))
    )
    with op.batch_alter_table('survey_publication', schema=None) as batch_op:
        batch_op.create_index('ix_survey_publication_published_at', ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_publication_survey_id'), ['survey_id'], unique=False)

    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_survey_unit_id'), ['unit_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_survey_unit_id_unit'), 'unit', ['unit_id'], ['id'])

    survey = sa.table('survey', sa.column('id', sa.Integer()),
                      sa.column('published_at', core.db.UTCDateTime()))
    op.execute(publication.insert().from_select(
        ['survey_id', 'published_at'],
        sa.select(survey.c.id, survey.c.published_at).order_by(survey.c.id)))


def downgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_survey_unit_id_unit'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_survey_unit_id'))
        batch_op.drop_column('unit_id')

    with op.batch_alter_table('survey_publication', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_publication_survey_id'))
        batch_op.drop_index('ix_survey_publication_published_at')

    op.drop_table('survey_publication')
