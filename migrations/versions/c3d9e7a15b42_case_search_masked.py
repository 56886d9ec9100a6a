"""case search text masked: names after a form of address, phone numbers and e-mail addresses
are no longer searchable in the inbox (HR, who read comments masked, could confirm a hidden name
or number by searching for it); the search text of the cases already stored is masked too.

Revision ID: c3d9e7a15b42
Revises: a4c8e2f61b37
Create Date: 2026-12-04 11:05:00

"""
from alembic import op
import sqlalchemy as sa

from feedback.cases.textfold import fold
from feedback.masking import mask_personal


# revision identifiers, used by Alembic.
revision = 'c3d9e7a15b42'
down_revision = 'a4c8e2f61b37'
branch_labels = None
depends_on = None

case = sa.table("feedback_case", sa.column("id", sa.Integer), sa.column("response_id", sa.Integer),
                sa.column("search_text", sa.Text))
response = sa.table("response", sa.column("id", sa.Integer), sa.column("comment", sa.Text))


def _refold(transform) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(case.c.id, response.c.comment)
        .select_from(case.join(response, response.c.id == case.c.response_id))).all()
    for case_id, comment in rows:
        connection.execute(case.update().where(case.c.id == case_id)
                           .values(search_text=fold(transform(comment))))


def upgrade():
    _refold(mask_personal)


def downgrade():
    _refold(lambda comment: comment)
