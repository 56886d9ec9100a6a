"""rollup of comment tags by day

Comments per local day, unit and centre by sentiment label or topic, so the sentiment and topics
of a week or a custom range come from a rollup instead of scanning the period's responses. The
table is filled here from the stored responses (local day = UTC + 7 hours, Vietnam has no
daylight saving time), in batches, so an upgraded database needs no rebuild.

Revision ID: e5b7c1d9a2f4
Revises: d4a8e2f61c37
Create Date: 2026-11-23 14:00:00.000000

"""
from collections import Counter
from datetime import datetime, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b7c1d9a2f4'
down_revision = 'd4a8e2f61c37'
branch_labels = None
depends_on = None

BATCH = 50_000


def _local_day(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return (value + timedelta(hours=7)).date()


def upgrade():
    table = op.create_table('rollup_tag_day',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=1), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('unit_id', 'day', 'centre_id', 'kind', 'code', name=op.f('pk_rollup_tag_day')),
    sqlite_with_rowid=False
    )

    counts = Counter()
    rows = op.get_bind().execute(sa.text(
        "SELECT submitted_at, unit_id, centre_id, sentiment_label, topics FROM response "
        "WHERE sentiment_label IS NOT NULL OR topics IS NOT NULL")
        .execution_options(stream_results=True, yield_per=10_000))
    for submitted_at, unit_id, centre_id, label, topics in rows:
        key = (unit_id, _local_day(submitted_at), centre_id)
        if label:
            counts[(*key, 's', label)] += 1
        for code in {code for code in (topics or '').split(',') if code}:
            counts[(*key, 't', code)] += 1
    items = [{'unit_id': u, 'day': d, 'centre_id': c, 'kind': k, 'code': code, 'n': n}
             for (u, d, c, k, code), n in sorted(counts.items())]
    for start in range(0, len(items), BATCH):
        op.bulk_insert(table, items[start:start + BATCH])


def downgrade():
    op.drop_table('rollup_tag_day')
