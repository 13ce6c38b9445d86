"""adaptive overlap: the tasks its rule decided and each annotator's running reliability

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 22:45:00.000000

A project may let each task's overlap grow from ``min`` to ``max`` until its consensus is
confident enough (``settings.overlap``). ``task_settlements`` records each decided task (the
judgments it took, the posterior confidence, whether the rule was met);
``overlap_reliability`` keeps each annotator's agreement with the others on decided tasks,
which the posterior weighs their votes by.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import accord.db.types

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "task_settlements",
        sa.Column("task_id", Id, nullable=False),
        sa.Column("project_id", Id, nullable=False),
        sa.Column("judgments", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("settled", sa.Boolean(), nullable=False),
        sa.Column("decided_at", accord.db.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("confidence >= 0 AND confidence <= 1",
                           name=op.f("ck_task_settlements_confidence_share")),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"],
                                name=op.f("fk_task_settlements_task_id_tasks"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f("fk_task_settlements_project_id_projects"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_task_settlements")),
    )
    with op.batch_alter_table("task_settlements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_settlements_project_id"), ["project_id"],
                              unique=False)
    op.create_table(
        "overlap_reliability",
        sa.Column("project_id", Id, nullable=False),
        sa.Column("annotator_id", Id, nullable=False),
        sa.Column("judged", sa.Integer(), server_default="0", nullable=False),
        sa.Column("agreed", sa.Float(), server_default="0", nullable=False),
        sa.CheckConstraint("agreed >= 0 AND agreed <= judged",
                           name=op.f("ck_overlap_reliability_agreed_within_judged")),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f("fk_overlap_reliability_project_id_projects"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["annotator_id"], ["users.id"],
                                name=op.f("fk_overlap_reliability_annotator_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id", "annotator_id",
                                name=op.f("pk_overlap_reliability")),
    )


def downgrade() -> None:
    op.drop_table("overlap_reliability")
    with op.batch_alter_table("task_settlements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_settlements_project_id"))
    op.drop_table("task_settlements")
