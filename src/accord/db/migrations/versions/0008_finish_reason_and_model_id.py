"""finish reason and model id: whether a response was cut off, and the exact model asked

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 09:00:00.000000

A model stops either because it finished its answer or because it reached the length limit
(``finish_reason`` ``length``): a cut-off answer must not pass for a complete one in a task
or a training pair, so each response keeps why it ended. NULL, the value of every existing
row and of imported responses whose source does not say, means "not known".

Servers such as llama.cpp name their model by its file path. Responses and the ledger now
keep a readable name in ``model`` and the exact id the server was asked for in ``model_id``,
so a run can be reproduced. Before this revision ``model`` held that exact id for every
generated response and every model call, so it is copied into ``model_id`` for them;
imported responses name a model but no id the server knew (NULL).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot alter a table in place, so Alembic copies it when it must.
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("finish_reason", sa.String(32), nullable=True))
        batch_op.add_column(sa.Column("model_id", sa.Text(), nullable=True))
    with op.batch_alter_table("model_calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("model_id", sa.Text(), nullable=True))
    op.execute("UPDATE responses SET model_id = model WHERE origin = 'generated'")
    op.execute("UPDATE model_calls SET model_id = model")


def downgrade() -> None:
    with op.batch_alter_table("model_calls", schema=None) as batch_op:
        batch_op.drop_column("model_id")
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_column("model_id")
        batch_op.drop_column("finish_reason")
