"""data jobs: imports uploaded over the API and exports written to files, as job resources

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-09 10:00:00.000000

``POST /api/v1/projects/{project}/imports`` stores the upload and answers at once; the
server checks and imports it on a worker thread. The job's row holds its status, progress,
line-numbered errors and report, so a client polls it, and a server that restarts finds
the jobs it was running and marks them failed. Export jobs share the table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import accord.db.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "data_jobs",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("project_id", Id, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", Id, nullable=True),
        sa.Column("idempotency_key", sa.String(length=255), nullable=True),
        sa.Column("options", Document, nullable=False),
        sa.Column("file_name", sa.String(length=255), server_default="", nullable=False),
        sa.Column("file_bytes", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("work_dir", sa.Text(), nullable=True),
        sa.Column("progress_unit", sa.String(length=16), server_default="bytes",
                  nullable=False),
        sa.Column("progress_done", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("progress_total", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("items_written", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("report", Document, nullable=True),
        sa.Column("errors", Document, nullable=True),
        sa.Column("error_total", sa.Integer(), server_default="0", nullable=False),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("files", Document, nullable=True),
        sa.Column("created_at", accord.db.types.UTCDateTime(), nullable=False),
        sa.Column("started_at", accord.db.types.UTCDateTime(), nullable=True),
        sa.Column("finished_at", accord.db.types.UTCDateTime(), nullable=True),
        sa.Column("heartbeat_at", accord.db.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('import', 'export')", name=op.f("ck_data_jobs_kind")),
        sa.CheckConstraint("status IN ('queued', 'checking', 'importing', 'exporting', "
                           "'done', 'failed')", name=op.f("ck_data_jobs_status")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"],
                                name=op.f("fk_data_jobs_created_by_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f("fk_data_jobs_project_id_projects"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_jobs")),
        sa.UniqueConstraint("project_id", "created_by", "idempotency_key",
                            name=op.f("uq_data_jobs_project_id_created_by_idempotency_key")),
    )
    with op.batch_alter_table("data_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_jobs_project_id_kind_id"),
                              ["project_id", "kind", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_data_jobs_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("data_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_jobs_status"))
        batch_op.drop_index(batch_op.f("ix_data_jobs_project_id_kind_id"))
    op.drop_table("data_jobs")
