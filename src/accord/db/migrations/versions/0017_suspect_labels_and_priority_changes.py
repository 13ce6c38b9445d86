"""suspect labels and priority changes: curation by an independent signal

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 22:45:00.000000

``suspect_labels`` keeps the settled consensus labels that an AI judge or a reward model
doubts (one row per pair and run of ``accord suspects``); an open row puts its task in the
review queue with the reason "suspect label" and lets exports leave it out.
``priority_changes`` records every change of ``tasks.priority`` by ``accord prioritize``:
the run, the strategy, the old and new priority and why.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from accord.db.types import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _keys(table: str) -> list[sa.schema.SchemaItem]:
    """The primary key and the two foreign keys both tables share, named as tables.py names
    them."""
    return [
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f(f"fk_{table}_project_id_projects"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"],
                                name=op.f(f"fk_{table}_task_id_tasks"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "suspect_labels",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("project_id", Id, nullable=False),
        sa.Column("task_id", Id, nullable=False),
        sa.Column("chosen", sa.String(length=255), nullable=False),
        sa.Column("rejected", sa.String(length=255), nullable=False),
        sa.Column("signal", sa.String(length=300), nullable=False),
        sa.Column("signal_probability", sa.Float(), nullable=False),
        sa.Column("consensus_confidence", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="open", nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'superseded', 'reviewed')",
                           name=op.f("ck_suspect_labels_status")),
        *_keys("suspect_labels"),
    )
    with op.batch_alter_table("suspect_labels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suspect_labels_project_id_status_task_id"),
                              ["project_id", "status", "task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_suspect_labels_run_id"), ["run_id"], unique=False)
    op.create_table(
        "priority_changes",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("project_id", Id, nullable=False),
        sa.Column("task_id", Id, nullable=False),
        sa.Column("strategy", sa.String(length=32), nullable=False),
        sa.Column("old_priority", sa.Integer(), nullable=False),
        sa.Column("new_priority", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        *_keys("priority_changes"),
    )
    with op.batch_alter_table("priority_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_priority_changes_project_id_at"),
                              ["project_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_priority_changes_task_id"), ["task_id"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("priority_changes")
    op.drop_table("suspect_labels")
