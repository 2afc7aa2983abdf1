"""What the user allowed of the AI-tell flags: a phrase or rule for a whole brand, or one
ignored passage in one step.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tell_allowances",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scope", sa.String(8), nullable=False),  # brand | step
        sa.Column("scope_key", sa.String(200), nullable=False),  # the brand's name, or the step id
        sa.Column("rule_id", sa.String(120), nullable=False),  # "" when only a phrase is allowed
        sa.Column("phrase", sa.Text, nullable=False),  # "" when the whole rule is allowed
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("scope", "scope_key", "rule_id", "phrase"),
    )
    op.create_index("ix_tell_allowances_scope", "tell_allowances", ["scope", "scope_key"])


def downgrade() -> None:
    op.drop_table("tell_allowances")
