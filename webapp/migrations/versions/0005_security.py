"""Security: server-side staff sessions, atomic lock-out counters, TOTP second factor and
recovery codes, single sign-on subjects.

Revision ID: 0005
Revises: 0004 (chained after main's 0003_promises; was 0002)
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.String(64), primary_key=True),  # sha256 of the cookie's session token
        sa.Column("user_id", sa.Integer, nullable=False, index=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime, nullable=True),
        sa.Column("ended_reason", sa.String(40), nullable=True),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
    )
    op.create_table(
        "lockout_counters",
        sa.Column("key", sa.String(300), primary_key=True),
        sa.Column("window_start", sa.DateTime, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
    )
    op.create_table(
        "staff_recovery_codes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, nullable=False, index=True),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("used_at", sa.DateTime, nullable=True),
    )
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(64), nullable=True))
        batch.add_column(sa.Column("totp_confirmed_at", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer, nullable=True))
        batch.add_column(sa.Column("oidc_subject", sa.String(255), nullable=True))
        batch.create_index("ix_staff_users_oidc_subject", ["oidc_subject"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_index("ix_staff_users_oidc_subject")
        for name in ("oidc_subject", "totp_last_step", "totp_confirmed_at", "totp_secret"):
            batch.drop_column(name)
    op.drop_table("staff_recovery_codes")
    op.drop_table("lockout_counters")
    op.drop_table("staff_sessions")
