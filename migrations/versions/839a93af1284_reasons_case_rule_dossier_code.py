"""reasons for dissatisfaction, the per-unit case-opening rule, the dossier code

Revision ID: 839a93af1284
Revises: ab8dfc979a31
Create Date: 2026-12-03 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '839a93af1284'
down_revision = 'ab8dfc979a31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'dissatisfaction_reason',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['response_id'], ['response.id'],
                                name=op.f('fk_dissatisfaction_reason_response_id_response')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dissatisfaction_reason')),
        sa.UniqueConstraint('response_id', 'code',
                            name=op.f('uq_dissatisfaction_reason_response_id')),
    )
    with op.batch_alter_table('dissatisfaction_reason', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dissatisfaction_reason_response_id'),
                              ['response_id'], unique=False)
    op.create_table(
        'case_rule',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('on_negative_comment', sa.Boolean(), nullable=False),
        sa.Column('reason_codes', sa.String(length=120), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_case_rule_unit_id_unit')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'],
                                name=op.f('fk_case_rule_updated_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_rule')),
        sa.UniqueConstraint('unit_id', name=op.f('uq_case_rule_unit_id')),
    )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dossier_code', sa.String(length=40), nullable=True))
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dossier_code', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_column('dossier_code')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('dossier_code')
    op.drop_table('case_rule')
    with op.batch_alter_table('dissatisfaction_reason', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dissatisfaction_reason_response_id'))
    op.drop_table('dissatisfaction_reason')
