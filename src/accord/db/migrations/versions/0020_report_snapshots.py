"""report snapshots: the stored quality report that pages and the report API read

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08 03:00:00.000000

The dashboard, the digest and the report API used to recompute the whole quality report on
every view (2.5 s at 100,000 annotations). Now they read the last report computed for the
project under the same scope, refreshed in the background after annotations arrive.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import accord.db.types

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Time = accord.db.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "report_snapshots",
        sa.Column("project_id", Id, sa.ForeignKey("projects.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("scope_key", sa.String(200), primary_key=True),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("computed_at", Time(), nullable=False),
        sa.Column("last_annotation_id", Id, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("report_snapshots")
