"""Table definitions: the single description of the database that code and migrations share."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(512), nullable=False),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text),
    Column("url", Text),
    Column("source", String(512)),
    Column("published", Date),
    Column("text", Text, nullable=False),
    Column("input_name", Text),
    Column("extractor_version", String(64), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("ordinal", Integer, nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("sub_event_type", String(64), nullable=False),
    Column("date", Date),
    Column("date_earliest", Date),
    Column("date_latest", Date),
    Column("date_precision", String(16), nullable=False),
    Column("location_name", String(256)),
    Column("admin1", String(256)),
    Column("admin2", String(256)),
    Column("country", String(2)),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", Integer),
    Column("perpetrator", String(256)),
    Column("perpetrator_id", String(128)),
    Column("perpetrator_status", String(16)),
    Column("fatalities", Integer),
    Column("injuries", Integer),
    Column("civilian_targeting", Boolean),
    Column("confidence", Float, nullable=False),
    Column("data", JSON, nullable=False),
    UniqueConstraint("article_id", "ordinal", name="uq_events_article_ordinal"),
)
Index("ix_events_date", events.c.date)
Index("ix_events_country_admin1", events.c.country, events.c.admin1)
Index("ix_events_perpetrator_id", events.c.perpetrator_id)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("field", String(64), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)
Index("ix_evidence_event", evidence.c.event_id)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("actor", String(256), nullable=False),
    Column("stance", String(32), nullable=False),
    Column("channel", String(128)),
)
Index("ix_claims_event", claims.c.event_id)

org_developments = Table(
    "org_developments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("ordinal", Integer, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("group_name", String(256), nullable=False),
    Column("group_id", String(128)),
    Column("parent", String(256)),
    Column("other", String(256)),
    Column("date", Date),
    Column("date_precision", String(16)),
    Column("data", JSON, nullable=False),
    UniqueConstraint("article_id", "ordinal", name="uq_org_article_ordinal"),
)
