"""rollups of whole years: the heatmap, the rankings and the comment tags

A dashboard of a whole year read twelve rows of the month rollups for each of these; a
province's year at 5 M responses read 72,000 rows of `rollup_rating_hour` for its heatmap,
24,000 of `rollup_overall_item_month` for its rankings and 37,000 of `rollup_tag_month` for its
topics, twice. Three rollups keyed by the local year (its first day) hold their sums:

- `rollup_rating_hour_year` (unit, year, weekday, hour), the sum of `rollup_rating_hour`;
- `rollup_overall_item_year` (unit, year, centre, counter, staff), of `rollup_overall_item_month`;
- `rollup_tag_year` (unit, year, centre, kind, code), of `rollup_tag_month`.

They are filled here from those month rollups, so an upgraded database needs no rebuild.

Revision ID: e4a7c2d9b813
Revises: d8f2b6a41c90
Create Date: 2026-12-04 16:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4a7c2d9b813'
down_revision = 'd8f2b6a41c90'
branch_labels = None
depends_on = None

RATING_COUNTS = ['v1', 'v2', 'v3', 'v4', 'v5']
ITEM = ['centre_id', 'counter_id', 'staff_key']
#: Each table: its key, the key columns indexed with the year, its counts and its source.
TABLES = {
    'rollup_rating_hour_year': (['unit_id', 'year', 'weekday', 'hour'], [], RATING_COUNTS,
                                'rollup_rating_hour'),
    'rollup_overall_item_year': (['unit_id', 'year', *ITEM], ['counter_id', 'staff_key'],
                                 RATING_COUNTS, 'rollup_overall_item_month'),
    'rollup_tag_year': (['unit_id', 'year', 'centre_id', 'kind', 'code'], [], ['n'],
                        'rollup_tag_month'),
}
KINDS = {'unit_id': sa.Integer(), 'year': sa.Date(), 'weekday': sa.SmallInteger(),
         'hour': sa.SmallInteger(), 'centre_id': sa.Integer(), 'counter_id': sa.Integer(),
         'staff_key': sa.Integer(), 'kind': sa.String(length=1), 'code': sa.String(length=32)}


def _year() -> str:
    """SQL for the first day of the year of the DATE `month`."""
    if op.get_bind().dialect.name == 'postgresql':
        return "CAST(date_trunc('year', month) AS DATE)"
    return "date(month, 'start of year')"


def upgrade():
    for name, (keys, indexed, counts, source) in TABLES.items():
        op.create_table(name,
                        *(sa.Column(key, KINDS[key], nullable=False) for key in keys),
                        *(sa.Column(count, sa.Integer(), nullable=False) for count in counts),
                        sa.PrimaryKeyConstraint(*keys, name=op.f(f'pk_{name}')),
                        sqlite_with_rowid=False)
        for key in indexed:
            short = key.removesuffix('_id').removesuffix('_key')
            op.create_index(f'ix_{name}_{short}', name, [key, 'year'], unique=False)
        selected = [_year() if key == 'year' else key for key in keys]
        sums = ', '.join(f'SUM({count})' for count in counts)
        op.execute(f'INSERT INTO {name} ({", ".join(keys)}, {", ".join(counts)}) '
                   f'SELECT {", ".join(selected)}, {sums} FROM {source} '
                   f'GROUP BY {", ".join(selected)}')


def downgrade():
    for name, (_keys, indexed, _counts, _source) in reversed(TABLES.items()):
        for key in indexed:
            short = key.removesuffix('_id').removesuffix('_key')
            op.drop_index(f'ix_{name}_{short}', table_name=name)
        op.drop_table(name)
