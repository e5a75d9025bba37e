"""Staff side: accounts, login attempts, append-only access log; Response columns for meetings,
agreements, review dates and re-assessment.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

RESPONSE_COLUMNS = (
    ("previous_id", sa.String(32)),
    ("assessment_id", sa.String(32)),
    ("meeting_at", sa.Date),
    ("agreed_at", sa.DateTime),
    ("review_due", sa.Date),
)

SQLITE_GUARDS = [
    f"CREATE TRIGGER staff_access_log_no_{verb.lower()} BEFORE {verb} ON staff_access_log "
    f"BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END"
    for verb in ("UPDATE", "DELETE")
]
POSTGRES_GUARD = [
    "CREATE FUNCTION staff_access_log_append_only() RETURNS trigger AS $$ BEGIN "
    "RAISE EXCEPTION 'the access log is append-only'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER staff_access_log_append_only BEFORE UPDATE OR DELETE ON staff_access_log "
    "FOR EACH ROW EXECUTE FUNCTION staff_access_log_append_only()",
]


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        for name, type_ in RESPONSE_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.create_index("ix_responses_previous_id", ["previous_id"])
        batch.create_index("ix_responses_assessment_id", ["assessment_id"])
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("municipality", sa.String(100), nullable=False, index=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "staff_login_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(254), nullable=False, index=True),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False, index=True),
    )
    op.create_table(
        "staff_access_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("user_id", sa.Integer, nullable=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("municipality", sa.String(100), nullable=False, index=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("response_id", sa.String(32), nullable=True, index=True),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
    )
    dialect = op.get_bind().dialect.name
    for statement in (
        SQLITE_GUARDS if dialect == "sqlite" else POSTGRES_GUARD if dialect == "postgresql" else []
    ):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER staff_access_log_append_only ON staff_access_log")
        op.execute("DROP FUNCTION staff_access_log_append_only()")
    op.drop_table("staff_access_log")
    op.drop_table("staff_login_attempts")
    op.drop_table("staff_users")
    with op.batch_alter_table("responses") as batch:
        batch.drop_index("ix_responses_assessment_id")
        batch.drop_index("ix_responses_previous_id")
        for name, _type in RESPONSE_COLUMNS:
            batch.drop_column(name)
