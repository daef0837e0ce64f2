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
    LargeBinary,
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

#: One event as one article reported it (what the extractor produced for that article).
reports = Table(
    "reports",
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
    Column("embedding", LargeBinary),
    UniqueConstraint("article_id", "ordinal", name="uq_reports_article_ordinal"),
)
Index("ix_reports_date", reports.c.date)
Index("ix_reports_country_admin1", reports.c.country, reports.c.admin1)
Index("ix_reports_perpetrator_id", reports.c.perpetrator_id)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    Column("field", String(64), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)
Index("ix_evidence_report", evidence.c.report_id)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    Column("actor", String(256), nullable=False),
    Column("stance", String(32), nullable=False),
    Column("channel", String(128)),
)
Index("ix_claims_report", claims.c.report_id)

#: A real-world incident: the stable id users see. Its content lives in event_versions.
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("retired_at", DateTime(timezone=True)),
    Column("merged_into", Integer, ForeignKey("events.id")),
)

#: Every state an event has had: valid from ``valid_from`` until ``valid_to`` (open = current).
event_versions = Table(
    "event_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Column("valid_to", DateTime(timezone=True)),
    Column("change_id", Integer, ForeignKey("changes.id")),
    Column("event_type", String(64), nullable=False),
    Column("sub_event_type", String(64), nullable=False),
    Column("date", Date),
    Column("date_earliest", Date),
    Column("date_latest", Date),
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
    Column("fatalities_low", Integer),
    Column("fatalities", Integer),
    Column("fatalities_high", Integer),
    Column("injuries", Integer),
    Column("confidence", Float, nullable=False),
    Column("report_count", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    UniqueConstraint("event_id", "version", name="uq_event_versions_event_version"),
)
Index("ix_event_versions_current", event_versions.c.valid_to, event_versions.c.date)
Index("ix_event_versions_event", event_versions.c.event_id, event_versions.c.valid_to)
Index("ix_event_versions_block", event_versions.c.country, event_versions.c.date_latest)
Index("ix_event_versions_admin", event_versions.c.country, event_versions.c.admin1)

#: Which event each report belongs to, over time (a merge or unmerge closes a row).
memberships = Table(
    "memberships",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Column("valid_to", DateTime(timezone=True)),
    Column("change_id", Integer, ForeignKey("changes.id")),
)
Index("ix_memberships_event", memberships.c.event_id, memberships.c.valid_to)
Index("ix_memberships_report", memberships.c.report_id, memberships.c.valid_to)

#: The audit trail: every fusion decision and every reviewer action, with its reasons.
changes = Table(
    "changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("event_id", Integer, nullable=False),
    Column("other_event_id", Integer),
    Column("report_id", Integer),
    Column("score", Float),
    Column("features", JSON),
    Column("by", String(128), nullable=False),
    Column("note", Text),
)
Index("ix_changes_event", changes.c.event_id)
Index("ix_changes_other", changes.c.other_event_id)

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

#: Events of published datasets (UCDP GED, ACLED), kept apart from our own.
reference_events = Table(
    "reference_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset", String(16), nullable=False),
    Column("external_id", String(64), nullable=False),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("country", String(2)),
    Column("admin1", String(256)),
    Column("admin2", String(256)),
    Column("location", String(256)),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", Integer),
    Column("event_type", String(64)),
    Column("sub_event_type", String(64)),
    Column("actor1", String(256)),
    Column("actor2", String(256)),
    Column("deaths_low", Integer),
    Column("deaths_best", Integer),
    Column("deaths_high", Integer),
    Column("data", JSON, nullable=False),
    UniqueConstraint("dataset", "external_id", name="uq_reference_dataset_id"),
)
Index("ix_reference_dataset_date", reference_events.c.dataset, reference_events.c.date_start)

#: Bearer tokens for API writes; only the SHA-256 of a token is kept.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

#: `watchfloor watch`: one row per configured source with its HTTP validators and health.
watch_sources = Table(
    "watch_sources",
    metadata,
    Column("name", String(128), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("location", Text, nullable=False),
    Column("etag", String(512)),
    Column("last_modified", String(128)),
    Column("body_hash", String(64)),
    Column("status", String(16), nullable=False),
    Column("failures", Integer, nullable=False),
    Column("last_attempt", DateTime(timezone=True)),
    Column("last_success", DateTime(timezone=True)),
    Column("next_due", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("http_status", Integer),
    Column("articles_added", Integer, nullable=False),
    Column("items_seen", Integer, nullable=False),
)

#: Content hashes of the items (feed entries, files, JSONL lines) a source has delivered.
watch_seen = Table(
    "watch_seen",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(128), nullable=False),
    Column("item_hash", String(64), nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    UniqueConstraint("source", "item_hash", name="uq_watch_seen_source_hash"),
)

#: Every alert raised, once: the dedup key is unique, so a rule firing again adds nothing.
watch_alerts = Table(
    "watch_alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dedup_key", String(512), nullable=False, unique=True),
    Column("rule", String(64), nullable=False),
    Column("raised_at", DateTime(timezone=True), nullable=False),
    Column("day", Date),
    Column("country", String(2)),
    Column("admin1", String(256)),
    Column("title", Text, nullable=False),
    Column("data", JSON, nullable=False),
)
Index("ix_watch_alerts_raised", watch_alerts.c.raised_at)

#: A reviewer's decision on a group the knowledge base does not know (``provisional:<slug>``):
#: one row per provisional actor; a later decision replaces the earlier one.
actor_reviews = Table(
    "actor_reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("provisional_id", String(160), nullable=False, unique=True),
    Column("decision", String(16), nullable=False),
    Column("actor_id", String(128)),
    Column("name", String(256), nullable=False),
    Column("parent_id", String(128)),
    Column("by", String(128), nullable=False),
    Column("note", Text),
    Column("decided_at", DateTime(timezone=True), nullable=False),
)
