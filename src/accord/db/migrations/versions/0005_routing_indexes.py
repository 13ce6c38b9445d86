"""routing indexes: gold tasks, an annotator's recent assignments, calibration rounds

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 03:30:00.000000

The rules that decide which task an annotator gets (gold mixing, calibration rounds,
exposure limits, breaks and rotation) read a project's gold tasks and an annotator's recent
assignments on every claim where they apply. Without these indexes each of those reads
would scan the whole project or the annotator's whole history.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot alter a table in place; creating an index needs no copy.
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        # In the gold claim's order, so the walk stops at the first gold task that fits.
        batch_op.create_index(
            "ix_tasks_gold_queue",
            ["project_id", "is_gold", sa.literal_column("priority DESC"), "id"],
            unique=False,
        )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignments_annotator_id_project_id_leased_at_task_id"),
            ["annotator_id", "project_id", "leased_at", "task_id"], unique=False,
        )
    with op.batch_alter_table("calibrations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibrations_project_id_user_id"), ["project_id", "user_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("calibrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibrations_project_id_user_id"))
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(
            batch_op.f("ix_assignments_annotator_id_project_id_leased_at_task_id"))
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_gold_queue")
