"""soft preference: an annotation's probability that its first-ranked response is better

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 03:10:00.000000

AI judges such as AlpacaEval 2's weighted GPT-4 Turbo give a probability, not only a side;
keeping it lets win rates be computed as the judge's expected win rate. NULL (the value of
every existing row) means a plain ranking.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot alter a table in place, so Alembic copies it when it must.
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("preference", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.drop_column("preference")
