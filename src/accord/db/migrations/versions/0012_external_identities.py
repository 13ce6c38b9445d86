"""single sign-on: external identities, mapped memberships and pending OpenID Connect logins

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 20:00:00.000000

People may now sign in through an OpenID Connect provider. ``external_identities`` links the
provider's (issuer, subject) to one Accord user; ``mapped_memberships`` marks the project
roles that the configured role mapping granted, so later logins remove only those;
``oidc_logins`` holds each begun sign-in (hashed state, nonce, PKCE verifier) until its
callback consumes it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import accord.db.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "external_identities",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("user_id", Id, nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("granted_admin", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", accord.db.types.UTCDateTime(), nullable=False),
        sa.Column("last_login_at", accord.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_external_identities_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_identities")),
        sa.UniqueConstraint(
            "issuer", "subject", name=op.f("uq_external_identities_issuer_subject")
        ),
    )
    with op.batch_alter_table("external_identities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_external_identities_user_id"), ["user_id"], unique=False
        )
    op.create_table(
        "mapped_memberships",
        sa.Column("membership_id", Id, nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"], ["memberships.id"],
            name=op.f("fk_mapped_memberships_membership_id_memberships"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("membership_id", name=op.f("pk_mapped_memberships")),
    )
    op.create_table(
        "oidc_logins",
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=128), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("redirect_uri", sa.String(length=1024), nullable=False),
        sa.Column("next_path", sa.String(length=2048), nullable=False),
        sa.Column("expires_at", accord.db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("state_hash", name=op.f("pk_oidc_logins")),
    )
    with op.batch_alter_table("oidc_logins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oidc_logins_expires_at"), ["expires_at"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("oidc_logins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oidc_logins_expires_at"))
    op.drop_table("oidc_logins")
    op.drop_table("mapped_memberships")
    with op.batch_alter_table("external_identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_external_identities_user_id"))
    op.drop_table("external_identities")
