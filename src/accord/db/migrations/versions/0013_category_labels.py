"""category labels: a prompt keeps its category as the source wrote it

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 20:00:00.000000

Published data names categories as people write them ("Open QA", "coding/python"). Such
labels used to be refused; now an import keeps the label in ``category_label`` and stores in
``category`` the key derived from it (``open-qa``), which rules, filters and reports match on.
NULL, the value of every existing row, means the label is the key itself.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot alter a table in place, so Alembic copies it when it must.
    with op.batch_alter_table("prompts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category_label", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("prompts", schema=None) as batch_op:
        batch_op.drop_column("category_label")
