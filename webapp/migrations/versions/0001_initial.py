"""Responses and code attempts.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "responses",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("form_id", sa.String(100), nullable=False),
        sa.Column("form_version", sa.String(40), nullable=False),
        sa.Column("definition_hash", sa.String(80), nullable=False),
        sa.Column("municipality", sa.String(100), nullable=True),
        sa.Column("case_ref", sa.String(100), nullable=True),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("code", sa.String(8), nullable=False, unique=True),
        sa.Column("token_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("conversation_only", sa.JSON, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("consent_at", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("submitted_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "code_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_code_attempts_ip", "code_attempts", ["ip"])
    op.create_index("ix_code_attempts_created_at", "code_attempts", ["created_at"])


def downgrade() -> None:
    op.drop_table("code_attempts")
    op.drop_table("responses")
