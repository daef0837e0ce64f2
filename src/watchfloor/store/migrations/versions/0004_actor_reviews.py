"""Review decisions on provisional actors: confirmed, rejected or merged into a known actor.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-09
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actor_reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("provisional_id", sa.String(160), nullable=False, unique=True),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.String(128)),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("parent_id", sa.String(128)),
        sa.Column("by", sa.String(128), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("actor_reviews")
