"""people and project administration: archived projects, deactivated users, invites

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-14 10:00:00.000000

Projects and people are now managed over the API as well as the CLI. An archived project
keeps its data and exports but hands out no work (``projects.archived_at``); a deactivated
user keeps their history (``users.deactivated_at`` beside the existing ``active`` flag); and a
person can be invited by a one-time link whose secret is stored only as a hash (``invites``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import accord.db.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived_at", accord.db.types.UTCDateTime(),
                                      nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deactivated_at", accord.db.types.UTCDateTime(),
                                      nullable=True))
    op.create_table(
        "invites",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("project_id", Id, nullable=True),
        sa.Column("roles", accord.db.types.Document, nullable=False),
        sa.Column("expertise", accord.db.types.Document, nullable=False),
        sa.Column("is_admin", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_by", Id, nullable=True),
        sa.Column("created_at", accord.db.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", accord.db.types.UTCDateTime(), nullable=False),
        sa.Column("used_at", accord.db.types.UTCDateTime(), nullable=True),
        sa.Column("used_by", Id, nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f("fk_invites_project_id_projects"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"],
                                name=op.f("fk_invites_created_by_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["used_by"], ["users.id"],
                                name=op.f("fk_invites_used_by_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invites")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_invites_secret_hash")),
    )


def downgrade() -> None:
    op.drop_table("invites")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("deactivated_at")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
