"""The nurse's loop: staff marks on a response (how each flag is handled, the reason for agreeing
with a high flag open, and how each action of the last agreement went at a review).

Revision ID: 0004
Revises: 0003 (0002 before the promises branch was merged)
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("staff_marks", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("staff_marks")
