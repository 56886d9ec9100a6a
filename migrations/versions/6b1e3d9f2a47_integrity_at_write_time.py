"""integrity at write time: counted responses, screening version, kiosk contact, stuffing alerts

Responses are screened when they are stored; `response.counted` says whether one counts toward
scores, dashboards and complaint counts, `response.screened_version` which rule set screened it
(its flags apply). Kiosks keep the time of their last full delivery (`kiosk.synced_at`), and a
centre alert may name a counter (suspected stuffing). Months are no longer scanned when a report
is read, so `integrity_scan` goes. Existing responses start counted and unscreened: run
`flask --app app integrity rescan` once after upgrading a database that holds responses.

Revision ID: 6b1e3d9f2a47
Revises: c5e1a9d3f7b2
Create Date: 2026-12-03 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import core.db


# revision identifiers, used by Alembic.
revision = '6b1e3d9f2a47'
down_revision = 'c5e1a9d3f7b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counted', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
        batch_op.add_column(sa.Column('screened_version', sa.String(length=16), nullable=True))
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('synced_at', core.db.UTCDateTime(), nullable=True))
    with op.batch_alter_table('centre_alert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counter_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_centre_alert_counter_id_counter'), 'counter',
                                    ['counter_id'], ['id'])
    op.drop_table('integrity_scan')


def downgrade():
    op.create_table('integrity_scan',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('rules_version', sa.String(length=16), nullable=False),
    sa.Column('scanned_at', core.db.UTCDateTime(), nullable=False),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_integrity_scan_unit_id_unit')),
    sa.PrimaryKeyConstraint('unit_id', 'month', 'rules_version', name=op.f('pk_integrity_scan'))
    )
    with op.batch_alter_table('centre_alert', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_centre_alert_counter_id_counter'),
                                 type_='foreignkey')
        batch_op.drop_column('counter_id')
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.drop_column('synced_at')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('screened_version')
        batch_op.drop_column('counted')
