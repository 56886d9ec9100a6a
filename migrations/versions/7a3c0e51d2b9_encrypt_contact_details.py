"""encrypt contact details at rest

Widens response.contact_name / contact_phone to TEXT and encrypts the values already stored,
with the app's contact key (CONTACT_ENCRYPTION_KEY, else the key derived from SECRET_KEY).
Downgrade decrypts them back.

Revision ID: 7a3c0e51d2b9
Revises: 1ef25cbc5af6
Create Date: 2026-11-23 10:05:00

"""
from alembic import op
import sqlalchemy as sa
from flask import current_app

from core.encryption import build_cipher


# revision identifiers, used by Alembic.
revision = '7a3c0e51d2b9'
down_revision = '1ef25cbc5af6'
branch_labels = None
depends_on = None

COLUMNS = ("contact_name", "contact_phone")
response = sa.table("response", sa.column("id", sa.Integer),
                    *(sa.column(name, sa.Text) for name in COLUMNS))


def _convert(transform) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(response).where(sa.or_(*(response.c[n].is_not(None) for n in COLUMNS)))
    ).all()
    for row in rows:
        values = {n: transform(getattr(row, n)) for n in COLUMNS if getattr(row, n) is not None}
        connection.execute(response.update().where(response.c.id == row.id).values(**values))


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.alter_column('contact_name', existing_type=sa.String(length=120),
                              type_=sa.Text(), existing_nullable=True)
        batch_op.alter_column('contact_phone', existing_type=sa.String(length=32),
                              type_=sa.Text(), existing_nullable=True)
    cipher = build_cipher(current_app.config)
    _convert(lambda value: cipher.encrypt(value.encode()).decode("ascii"))


def downgrade():
    cipher = build_cipher(current_app.config)
    _convert(lambda value: cipher.decrypt(value.encode("ascii")).decode())
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.alter_column('contact_phone', existing_type=sa.Text(),
                              type_=sa.String(length=32), existing_nullable=True)
        batch_op.alter_column('contact_name', existing_type=sa.Text(),
                              type_=sa.String(length=120), existing_nullable=True)
