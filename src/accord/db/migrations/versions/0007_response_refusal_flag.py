"""response refusal flag: whether a response opens like a refusal, known at import

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 04:00:00.000000

The over-refusal monitor of the quality report needs to know which responses open like a
refusal. Read at report time, that is the first 300 characters of every response of the
project (400,000 for a million annotations): most of the time the report spends reading.
The importer now sets this flag once, when it writes the response. NULL, the value of every
existing row and of responses written by other paths, means "not known": the report reads
those openings as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot alter a table in place, so Alembic copies it when it must.
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opens_with_refusal", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_column("opens_with_refusal")
