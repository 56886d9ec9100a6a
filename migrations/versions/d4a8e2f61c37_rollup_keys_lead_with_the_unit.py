"""rollup keys lead with the unit

Every rollup primary key now starts with the unit, then the day or month, so a ward's dashboard
reads only its own rows instead of every unit's rows of the period. The counts are kept: PostgreSQL swaps the primary key in
place, SQLite (whose WITHOUT ROWID tables cannot change their key) copies each table.

Revision ID: d4a8e2f61c37
Revises: b7d41e2c9a60
Create Date: 2026-11-23 13:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a8e2f61c37'
down_revision = 'b7d41e2c9a60'
branch_labels = None
depends_on = None

COUNTS = [('v1', sa.Integer()), ('v2', sa.Integer()), ('v3', sa.Integer()), ('v4', sa.Integer()),
          ('v5', sa.Integer())]
#: table: (time column, key columns after unit and time with their types, value columns,
#: other indexes)
TABLES = {
    'rollup_rating_month': ('month', [('centre_id', sa.Integer()), ('counter_id', sa.Integer()),
                                      ('staff_key', sa.Integer()), ('area_key', sa.Integer()),
                                      ('question_code', sa.String(32))], COUNTS,
                            {'ix_rollup_rating_month_centre': ['centre_id', 'month'],
                             'ix_rollup_rating_month_counter': ['counter_id', 'month'],
                             'ix_rollup_rating_month_staff': ['staff_key', 'month']}),
    'rollup_rating_day': ('day', [('centre_id', sa.Integer()), ('question_code', sa.String(32))],
                          COUNTS, {'ix_rollup_rating_day_centre': ['centre_id', 'day']}),
    'rollup_rating_hour': ('month', [('centre_id', sa.Integer()), ('weekday', sa.SmallInteger()),
                                     ('hour', sa.SmallInteger())], COUNTS, {}),
    'rollup_overall_day': ('day', [('centre_id', sa.Integer()), ('counter_id', sa.Integer()),
                                   ('staff_key', sa.Integer()), ('area_key', sa.Integer()),
                                   ('hour', sa.SmallInteger())], COUNTS,
                           {'ix_rollup_overall_day_counter': ['counter_id', 'day'],
                            'ix_rollup_overall_day_staff': ['staff_key', 'day']}),
    'rollup_tag_month': ('month', [('centre_id', sa.Integer()), ('kind', sa.String(1)),
                                   ('code', sa.String(32))], [('n', sa.Integer())], {}),
}


def _rekey(table: str, unit_first: bool) -> None:
    time, keys, values, indexes = TABLES[table]
    lead = ['unit_id', time] if unit_first else [time, 'unit_id']
    primary_key = lead + [name for name, _type in keys]
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(f'pk_{table}', table, type_='primary')
        op.create_primary_key(f'pk_{table}', table, primary_key)
    else:
        for name in indexes:
            op.drop_index(name, table_name=table)
        old = f'{table}_old'
        op.rename_table(table, old)
        columns = [sa.Column(time, sa.Date(), nullable=False),
                   sa.Column('unit_id', sa.Integer(), nullable=False)]
        columns += [sa.Column(name, kind, nullable=False) for name, kind in keys + values]
        op.create_table(table, *columns,
                        sa.PrimaryKeyConstraint(*primary_key, name=f'pk_{table}'),
                        sqlite_with_rowid=False)
        names = ', '.join(column.name for column in columns)
        op.execute(f'INSERT INTO {table} ({names}) SELECT {names} FROM {old}')
        op.drop_table(old)
        for name, indexed in indexes.items():
            op.create_index(name, table, indexed, unique=False)


def upgrade():
    for table in TABLES:
        _rekey(table, unit_first=True)


def downgrade():
    for table in TABLES:
        _rekey(table, unit_first=False)
