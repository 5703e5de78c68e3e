"""fees: arrears collection

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

The columns and tables the arrears and collection work adds (issue #7).

`arrears_change.kind`: what an arrears ledger import changed — "amount" (the
amount changed; every row before this revision is one), "paid" (the arrear was
missing from a later ledger and was recorded as paid on that ledger's date),
"reopened" (a paid arrear came back in a later ledger).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('arrears_change') as batch:
        batch.add_column(
            sa.Column('kind', sa.String(length=16), nullable=False, server_default='amount')
        )


def downgrade() -> None:
    with op.batch_alter_table('arrears_change') as batch:
        batch.drop_column('kind')
