"""demonstration review: versions, rubric reviews and the decisions of a demonstration

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 22:45:00.000000

A submitted demonstration used to be exported as written. Now it becomes version 1 of a
demonstration in review: reviewers score it against the project's rubric and accept it,
accept it with edits (a new version), send it back (the writer revises: a new version) or
reject it. Existing demonstration annotations get no row here: they were written before
review existed, and the SFT export keeps only accepted demonstrations.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import accord.db.types

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Time = accord.db.types.UTCDateTime


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"), ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "demonstrations",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("project_id", Id, nullable=False),
        sa.Column("task_id", Id, nullable=False),
        sa.Column("annotation_id", Id, nullable=False),
        sa.Column("writer_id", Id, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rounds", sa.Integer(), server_default="0", nullable=False),
        sa.Column("reviews_needed", sa.SmallInteger(), nullable=False),
        sa.Column("reviews_in", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("double_review", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("created_at", Time(), nullable=False),
        sa.Column("updated_at", Time(), nullable=False),
        sa.Column("decided_at", Time(), nullable=True),
        sa.CheckConstraint("status IN ('in_review', 'sent_back', 'accepted', 'rejected')",
                           name=op.f("ck_demonstrations_status")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_demonstrations_version_positive")),
        sa.CheckConstraint("reviews_needed IN (1, 2)",
                           name=op.f("ck_demonstrations_reviews_needed")),
        sa.CheckConstraint("reviews_in >= 0 AND reviews_in <= reviews_needed",
                           name=op.f("ck_demonstrations_reviews_in")),
        _fk("demonstrations", "project_id", "projects"),
        _fk("demonstrations", "task_id", "tasks"),
        _fk("demonstrations", "annotation_id", "annotations"),
        _fk("demonstrations", "writer_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demonstrations")),
        sa.UniqueConstraint("annotation_id", name=op.f("uq_demonstrations_annotation_id")),
    )
    with op.batch_alter_table("demonstrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demonstrations_project_id_status_updated_at"),
                              ["project_id", "status", "updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_demonstrations_project_id_writer_id"),
                              ["project_id", "writer_id"], unique=False)
    op.create_table(
        "demonstration_versions",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("demonstration_id", Id, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("turns", Document, nullable=True),
        sa.Column("author_id", Id, nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("edit_distance", sa.Integer(), nullable=True),
        sa.Column("created_at", Time(), nullable=False),
        sa.CheckConstraint("reason IN ('written', 'revised', 'reviewer_edit')",
                           name=op.f("ck_demonstration_versions_reason")),
        _fk("demonstration_versions", "demonstration_id", "demonstrations"),
        _fk("demonstration_versions", "author_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demonstration_versions")),
        sa.UniqueConstraint("demonstration_id", "number",
                            name=op.f("uq_demonstration_versions_demonstration_id_number")),
    )
    op.create_table(
        "demonstration_reviews",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("demonstration_id", Id, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", Id, nullable=False),
        sa.Column("scores", Document, nullable=False),
        sa.Column("checks", Document, nullable=False),
        sa.Column("decision", sa.String(length=24), nullable=False),
        sa.Column("comment", sa.Text(), server_default="", nullable=False),
        sa.Column("edited_text", sa.Text(), nullable=True),
        sa.Column("blind", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("active_ms", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("created_at", Time(), nullable=False),
        sa.CheckConstraint(
            "decision IN ('accept', 'accept_with_edits', 'send_back', 'reject')",
            name=op.f("ck_demonstration_reviews_decision")),
        _fk("demonstration_reviews", "demonstration_id", "demonstrations"),
        _fk("demonstration_reviews", "reviewer_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demonstration_reviews")),
        sa.UniqueConstraint(
            "demonstration_id", "version", "reviewer_id",
            name=op.f("uq_demonstration_reviews_demonstration_id_version_reviewer_id")),
    )


def downgrade() -> None:
    op.drop_table("demonstration_reviews")
    op.drop_table("demonstration_versions")
    with op.batch_alter_table("demonstrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demonstrations_project_id_writer_id"))
        batch_op.drop_index(batch_op.f("ix_demonstrations_project_id_status_updated_at"))
    op.drop_table("demonstrations")
