"""customer indexes: only what queries use

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

Every index on `customer` is paid for by every write and rebuilt by every big
ledger import (about 0.6 s each at 500,000 customers):

- `ix_customer_name` goes: no query filters or sorts customers by name (name
  search goes through the search index: FTS5 on SQLite, trigrams on a server).
- `ix_customer_building_id` and `ix_customer_compound_id` become partial
  (`WHERE … IS NOT NULL`): those are the station's own links, empty for most
  customers, and every query on them asks for one building or compound, which
  implies NOT NULL, so the planner still uses them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARTIAL = ('building_id', 'compound_id')


def upgrade() -> None:
    op.drop_index('ix_customer_name', table_name='customer')
    for column in _PARTIAL:
        op.drop_index(f'ix_customer_{column}', table_name='customer')
        where = sa.text(f'{column} IS NOT NULL')
        op.create_index(
            f'ix_customer_{column}', 'customer', [column],
            sqlite_where=where, postgresql_where=where,
        )  # fmt: skip


def downgrade() -> None:
    for column in _PARTIAL:
        op.drop_index(f'ix_customer_{column}', table_name='customer')
        op.create_index(f'ix_customer_{column}', 'customer', [column])
    op.create_index('ix_customer_name', 'customer', ['name'])
