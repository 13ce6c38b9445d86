"""guideline examples: worked examples published with a guideline version

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 02:45:00.000000

Annotators learn a guideline fastest from real tasks with the reason one response beat the
other, so each version can carry worked examples. They are written with the version and
never edited, like the version itself; the task link goes NULL if the task is deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import accord.db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "guideline_examples",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("guideline_version_id", Id, nullable=False),
        sa.Column("task_id", Id, nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("better_response", sa.Text(), server_default="", nullable=False),
        sa.Column("explanation", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", accord.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["guideline_version_id"], ["guideline_versions.id"],
            name=op.f("fk_guideline_examples_guideline_version_id_guideline_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_guideline_examples_task_id_tasks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guideline_examples")),
        sa.UniqueConstraint(
            "guideline_version_id", "position",
            name=op.f("uq_guideline_examples_guideline_version_id_position"),
        ),
    )
    # batch mode: SQLite cannot alter a table in place, so Alembic copies it when it must.
    with op.batch_alter_table("guideline_examples", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guideline_examples_task_id"), ["task_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("guideline_examples", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guideline_examples_task_id"))
    op.drop_table("guideline_examples")
