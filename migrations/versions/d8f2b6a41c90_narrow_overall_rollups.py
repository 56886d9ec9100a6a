"""narrow rollups of the overall question: rankings by month and by day, heatmap by day

Three rollups of the overall question, for the province views that read most rows:

- `rollup_overall_item_month` (unit, month, centre, counter, staff): the rankings of whole
  months, which read `rollup_rating_month` (a row per procedure area and question besides);
- `rollup_overall_item_day` (unit, day, centre, counter, staff): the rankings of a week or a
  custom range, which read `rollup_overall_day` (a row per hour and procedure area besides);
- `rollup_overall_hour_day` (unit, day, hour): the heatmap of a week or a custom range.

All three are sums of `rollup_overall_day`, which holds every overall rating with its centre,
counter, staff member, day and hour: they are filled here from it, so an upgraded database
needs no rebuild.

Revision ID: d8f2b6a41c90
Revises: c3d9e7a15b42
Create Date: 2026-12-04 14:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd8f2b6a41c90'
down_revision = 'c3d9e7a15b42'
branch_labels = None
depends_on = None

COUNTS = ['v1', 'v2', 'v3', 'v4', 'v5']
ITEM = ['centre_id', 'counter_id', 'staff_key']
TABLES = {
    'rollup_overall_item_month': (['unit_id', 'month', *ITEM], ['counter_id', 'staff_key']),
    'rollup_overall_item_day': (['unit_id', 'day', *ITEM], ['counter_id', 'staff_key']),
    'rollup_overall_hour_day': (['unit_id', 'day', 'hour'], []),
}
KINDS = {'unit_id': sa.Integer(), 'month': sa.Date(), 'day': sa.Date(), 'hour': sa.SmallInteger(),
         'centre_id': sa.Integer(), 'counter_id': sa.Integer(), 'staff_key': sa.Integer()}


def _month() -> str:
    """SQL for the first day of the month of the DATE `day`."""
    if op.get_bind().dialect.name == 'postgresql':
        return "CAST(date_trunc('month', day) AS DATE)"
    return "date(day, 'start of month')"


def upgrade():
    for name, (keys, indexed) in TABLES.items():
        op.create_table(name,
                        *(sa.Column(key, KINDS[key], nullable=False) for key in keys),
                        *(sa.Column(count, sa.Integer(), nullable=False) for count in COUNTS),
                        sa.PrimaryKeyConstraint(*keys, name=op.f(f'pk_{name}')),
                        sqlite_with_rowid=False)
        time = keys[1]
        for key in indexed:
            short = key.removesuffix('_id').removesuffix('_key')
            op.create_index(f'ix_{name}_{short}', name, [key, time], unique=False)
        selected = [_month() if key == 'month' else key for key in keys]
        sums = ', '.join(f'SUM({count})' for count in COUNTS)
        op.execute(f'INSERT INTO {name} ({", ".join(keys)}, {", ".join(COUNTS)}) '
                   f'SELECT {", ".join(selected)}, {sums} FROM rollup_overall_day '
                   f'GROUP BY {", ".join(selected)}')


def downgrade():
    for name, (keys, indexed) in reversed(TABLES.items()):
        for key in indexed:
            short = key.removesuffix('_id').removesuffix('_key')
            op.drop_index(f'ix_{name}_{short}', table_name=name)
        op.drop_table(name)
