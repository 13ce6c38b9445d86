"""model call tasks: a model call names the task it worked for, when it worked for one

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 02:30:00.000000

The cost per category charges a model call to the category of the task it served. A
generated candidate or draft carries its own cost to its prompt, but an AI judge's calls
were charged to no category at all; a judge's calls now name their task. NULL for every call
made before, and for calls that served no one task (generation, where the task is made after
its candidates).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("model_calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("task_id", Id, nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_model_calls_task_id_tasks"), "tasks",
                                    ["task_id"], ["id"], ondelete="SET NULL")
        batch_op.create_index(batch_op.f("ix_model_calls_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("model_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_model_calls_task_id"))
        batch_op.drop_constraint(batch_op.f("fk_model_calls_task_id_tasks"), type_="foreignkey")
        batch_op.drop_column("task_id")
