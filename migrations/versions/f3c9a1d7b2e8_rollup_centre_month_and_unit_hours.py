"""rollup of ratings by centre and month; heatmap rollup by unit

`rollup_centre_month` counts ratings per unit, month, centre and question: about 17 times fewer
rows than `rollup_rating_month`, which also splits by counter, staff and procedure area, so a
province's year of criteria, trend and ward or centre totals reads a few thousand rows instead of
a few hundred thousand. It is filled here from `rollup_rating_month`.

`rollup_rating_hour` loses the centre from its key (unit, month, weekday, hour): only the heatmap
of a unit or more reads it; a centre's heatmap reads `rollup_overall_day`. Upgrading sums the
centres' rows; downgrading recomputes them from `rollup_overall_day` (local dates, weekday
0 = Monday), which holds every overall rating with its centre, day and hour.

Revision ID: f3c9a1d7b2e8
Revises: e5b7c1d9a2f4
Create Date: 2026-11-23 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3c9a1d7b2e8'
down_revision = 'e5b7c1d9a2f4'
branch_labels = None
depends_on = None

COUNTS = ['v1', 'v2', 'v3', 'v4', 'v5']
SUMS = ', '.join(f'SUM({name})' for name in COUNTS)


def _counts():
    return [sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS]


def _hour_table(with_centre: bool) -> None:
    """The heatmap rollup; with the centre as before this revision (month was the first column)."""
    keys = ['unit_id', 'month'] + (['centre_id'] if with_centre else []) + ['weekday', 'hour']
    columns = ['month', 'unit_id'] + keys[2:] if with_centre else keys
    kinds = {'unit_id': sa.Integer(), 'month': sa.Date(), 'centre_id': sa.Integer(),
             'weekday': sa.SmallInteger(), 'hour': sa.SmallInteger()}
    op.create_table('rollup_rating_hour',
                    *(sa.Column(name, kinds[name], nullable=False) for name in columns),
                    *_counts(),
                    sa.PrimaryKeyConstraint(*keys, name='pk_rollup_rating_hour'),
                    sqlite_with_rowid=False)


def _day_parts() -> tuple[str, str]:
    """SQL for the first day of the month and the weekday (0 = Monday) of the DATE `day`."""
    if op.get_bind().dialect.name == 'postgresql':
        return ("CAST(date_trunc('month', day) AS DATE)",
                "CAST(EXTRACT(isodow FROM day) AS INTEGER) - 1")
    return ("date(day, 'start of month')",
            "(CAST(strftime('%w', day) AS INTEGER) + 6) % 7")


def upgrade():
    op.create_table('rollup_centre_month',
                    sa.Column('unit_id', sa.Integer(), nullable=False),
                    sa.Column('month', sa.Date(), nullable=False),
                    sa.Column('centre_id', sa.Integer(), nullable=False),
                    sa.Column('question_code', sa.String(length=32), nullable=False),
                    *_counts(),
                    sa.PrimaryKeyConstraint('unit_id', 'month', 'centre_id', 'question_code',
                                            name='pk_rollup_centre_month'),
                    sqlite_with_rowid=False)
    op.create_index('ix_rollup_centre_month_centre', 'rollup_centre_month',
                    ['centre_id', 'month'], unique=False)
    key = 'unit_id, month, centre_id, question_code'
    op.execute(f'INSERT INTO rollup_centre_month ({key}, {", ".join(COUNTS)}) '
               f'SELECT {key}, {SUMS} FROM rollup_rating_month GROUP BY {key}')

    op.rename_table('rollup_rating_hour', 'rollup_rating_hour_old')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE rollup_rating_hour_old '
                   'RENAME CONSTRAINT pk_rollup_rating_hour TO pk_rollup_rating_hour_old')
    _hour_table(with_centre=False)
    key = 'unit_id, month, weekday, hour'
    op.execute(f'INSERT INTO rollup_rating_hour ({key}, {", ".join(COUNTS)}) '
               f'SELECT {key}, {SUMS} FROM rollup_rating_hour_old GROUP BY {key}')
    op.drop_table('rollup_rating_hour_old')


def downgrade():
    op.drop_table('rollup_rating_hour')
    _hour_table(with_centre=True)
    month, weekday = _day_parts()
    key = f'unit_id, {month}, centre_id, {weekday}, hour'
    op.execute(f'INSERT INTO rollup_rating_hour (unit_id, month, centre_id, weekday, hour, '
               f'{", ".join(COUNTS)}) SELECT {key}, {SUMS} FROM rollup_overall_day '
               f'GROUP BY {key}')
    op.drop_index('ix_rollup_centre_month_centre', table_name='rollup_centre_month')
    op.drop_table('rollup_centre_month')
