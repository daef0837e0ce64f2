"""Articles, events with evidence and claims, organisational developments.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("external_id", sa.String(512), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("source", sa.String(512)),
        sa.Column("published", sa.Date),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("input_name", sa.Text),
        sa.Column("extractor_version", sa.String(64), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("sub_event_type", sa.String(64), nullable=False),
        sa.Column("date", sa.Date),
        sa.Column("date_earliest", sa.Date),
        sa.Column("date_latest", sa.Date),
        sa.Column("date_precision", sa.String(16), nullable=False),
        sa.Column("location_name", sa.String(256)),
        sa.Column("admin1", sa.String(256)),
        sa.Column("admin2", sa.String(256)),
        sa.Column("country", sa.String(2)),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("perpetrator", sa.String(256)),
        sa.Column("perpetrator_id", sa.String(128)),
        sa.Column("perpetrator_status", sa.String(16)),
        sa.Column("fatalities", sa.Integer),
        sa.Column("injuries", sa.Integer),
        sa.Column("civilian_targeting", sa.Boolean),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.UniqueConstraint("article_id", "ordinal", name="uq_events_article_ordinal"),
    )
    op.create_index("ix_events_date", "events", ["date"])
    op.create_index("ix_events_country_admin1", "events", ["country", "admin1"])
    op.create_index("ix_events_perpetrator_id", "events", ["perpetrator_id"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_evidence_event", "evidence", ["event_id"])
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("actor", sa.String(256), nullable=False),
        sa.Column("stance", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(128)),
    )
    op.create_index("ix_claims_event", "claims", ["event_id"])
    op.create_table(
        "org_developments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("group_name", sa.String(256), nullable=False),
        sa.Column("group_id", sa.String(128)),
        sa.Column("parent", sa.String(256)),
        sa.Column("other", sa.String(256)),
        sa.Column("date", sa.Date),
        sa.Column("date_precision", sa.String(16)),
        sa.Column("data", sa.JSON, nullable=False),
        sa.UniqueConstraint("article_id", "ordinal", name="uq_org_article_ordinal"),
    )


def downgrade() -> None:
    for table in ("org_developments", "claims", "evidence", "events", "articles"):
        op.drop_table(table)
