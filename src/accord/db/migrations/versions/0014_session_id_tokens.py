"""session id tokens: a login through single sign-on keeps the provider's ID token

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 23:00:00.000000

Signing out of Accord also ends the session at the OpenID Connect provider (RP-initiated
logout), which wants the ID token it issued as ``id_token_hint``. The token is kept with the
login session it started and deleted with it; NULL for password logins and for every
session that existed before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_token", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.drop_column("id_token")
