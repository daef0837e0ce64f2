"""Watch state: per-source health and HTTP validators, seen item hashes, and the alert log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "watch_sources",
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("etag", sa.String(512)),
        sa.Column("last_modified", sa.String(128)),
        sa.Column("body_hash", sa.String(64)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_attempt", WHEN),
        sa.Column("last_success", WHEN),
        sa.Column("next_due", WHEN),
        sa.Column("last_error", sa.Text),
        sa.Column("http_status", sa.Integer),
        sa.Column("articles_added", sa.Integer, nullable=False),
        sa.Column("items_seen", sa.Integer, nullable=False),
    )
    op.create_table(
        "watch_seen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(128), nullable=False),
        sa.Column("item_hash", sa.String(64), nullable=False),
        sa.Column("first_seen", WHEN, nullable=False),
        sa.UniqueConstraint("source", "item_hash", name="uq_watch_seen_source_hash"),
    )
    op.create_table(
        "watch_alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dedup_key", sa.String(512), nullable=False, unique=True),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("raised_at", WHEN, nullable=False),
        sa.Column("day", sa.Date),
        sa.Column("country", sa.String(2)),
        sa.Column("admin1", sa.String(256)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_watch_alerts_raised", "watch_alerts", ["raised_at"])


def downgrade() -> None:
    op.drop_index("ix_watch_alerts_raised", table_name="watch_alerts")
    op.drop_table("watch_alerts")
    op.drop_table("watch_seen")
    op.drop_table("watch_sources")
