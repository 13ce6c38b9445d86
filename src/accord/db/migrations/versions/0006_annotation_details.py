"""annotation details: what an AI judge's verdict was made from

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 03:40:00.000000

An AI judge's annotation must say how it was reached — the prompt template version, the
constitution and the principle drawn, the model, and its raw reply for each order in which
the two responses were shown — so that a judgment can be checked and reproduced. None of
the existing columns holds that (``flags`` is the list of annotation flags, ``rationale`` is
the text a reviewer reads), so it gets a document of its own. NULL, the value of every
existing row and of a person's annotation, means there is nothing beyond the columns.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot alter a table in place, so Alembic copies it when it must.
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ))


def downgrade() -> None:
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.drop_column("details")
