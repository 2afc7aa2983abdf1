"""The first tables: sequences, steps and the revisions of both.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sequences",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("blueprint", sa.String(64), nullable=False),
        sa.Column("brand_json", sa.Text, nullable=False),
        sa.Column("offer_json", sa.Text, nullable=False),
        sa.Column("settings_json", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "steps",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column(
            "sequence_id", sa.String(40), sa.ForeignKey("sequences.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("delay", sa.String(40), nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("guidance", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("preheader", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("cta_label", sa.Text, nullable=False),
        sa.Column("cta_url", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("sequence_id", "position"),
    )
    op.create_index("ix_steps_sequence_id", "steps", ["sequence_id"])
    op.create_table(
        "step_revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("step_id", sa.String(40), sa.ForeignKey("steps.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("model", sa.String(120), nullable=False),
        sa.Column("content_json", sa.Text, nullable=False),
    )
    op.create_index("ix_step_revisions_step_id", "step_revisions", ["step_id"])
    op.create_table(
        "sequence_revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "sequence_id", sa.String(40), sa.ForeignKey("sequences.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("content_json", sa.Text, nullable=False),
    )
    op.create_index("ix_sequence_revisions_sequence_id", "sequence_revisions", ["sequence_id"])


def downgrade() -> None:
    op.drop_table("sequence_revisions")
    op.drop_table("step_revisions")
    op.drop_table("steps")
    op.drop_table("sequences")
