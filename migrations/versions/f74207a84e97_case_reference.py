"""case reference: the short code a citizen is given to track their complaint

Existing cases get a random reference too (same alphabet as feedback.cases.reference), so the
column is unique and never empty.

Revision ID: f74207a84e97
Revises: cc6c76c3c1e8
Create Date: 2026-12-03 11:40:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f74207a84e97'
down_revision = 'cc6c76c3c1e8'
branch_labels = None
depends_on = None

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def _reference(taken):
    while True:
        chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
        value = f"{chars[:4]}-{chars[4:]}"
        if value not in taken:
            taken.add(value)
            return value


def upgrade():
    with op.batch_alter_table('feedback_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference', sa.String(length=9), nullable=True))
    bind = op.get_bind()
    case = sa.table('feedback_case', sa.column('id', sa.Integer), sa.column('reference', sa.String))
    taken = set()
    for (case_id,) in bind.execute(sa.select(case.c.id)).all():
        bind.execute(case.update().where(case.c.id == case_id)
                     .values(reference=_reference(taken)))
    with op.batch_alter_table('feedback_case', schema=None) as batch_op:
        batch_op.alter_column('reference', existing_type=sa.String(length=9), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_feedback_case_reference'), ['reference'])


def downgrade():
    with op.batch_alter_table('feedback_case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_feedback_case_reference'), type_='unique')
        batch_op.drop_column('reference')
