"""prelabel draws: which arm of the pre-labelling experiment each assignment was in

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 23:00:00.000000

A project with a ``prelabel`` setting shows an AI judge's ranking as a suggestion on a
seeded random share of its assignments. Each claim records its draw here: the arm
(``shown``, ``control``, or ``unavailable`` when the judge had not judged the task), the
judge's ranking it was compared with, and, at submit, whether the submitted ranking matched
it and whether the one-key accept took it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "prelabel_draws",
        sa.Column("assignment_id", Id, nullable=False),
        sa.Column("project_id", Id, nullable=False),
        sa.Column("judge_id", Id, nullable=False),
        sa.Column("draw", sa.Float(), nullable=False),
        sa.Column("arm", sa.String(length=16), nullable=False),
        sa.Column("suggestion", Document, nullable=True),
        sa.Column("matches_suggestion", sa.Boolean(), nullable=True),
        sa.Column("accepted", sa.Boolean(), nullable=True),
        sa.CheckConstraint("arm IN ('shown', 'control', 'unavailable')",
                           name=op.f("ck_prelabel_draws_arm")),
        sa.CheckConstraint("draw >= 0 AND draw < 1", name=op.f("ck_prelabel_draws_draw")),
        sa.ForeignKeyConstraint(["assignment_id"], ["assignments.id"],
                                name=op.f("fk_prelabel_draws_assignment_id_assignments"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["judge_id"], ["users.id"],
                                name=op.f("fk_prelabel_draws_judge_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f("fk_prelabel_draws_project_id_projects"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("assignment_id", name=op.f("pk_prelabel_draws")),
    )
    with op.batch_alter_table("prelabel_draws", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prelabel_draws_project_id_arm"),
                              ["project_id", "arm"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("prelabel_draws", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prelabel_draws_project_id_arm"))
    op.drop_table("prelabel_draws")
