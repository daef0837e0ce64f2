"""Cross-report fusion: per-article reports, versioned events, memberships and the audit trail.

The 0001 ``events`` table held one row per event per article; those rows become ``reports``
(with their evidence and claims), and every old row becomes an event of its own with one
version and one membership, so nothing stored before is lost. Also adds the reference-dataset
namespace and API tokens.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)


def _report_columns() -> list[sa.Column]:
    return [
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
    ]


SHARED = [c.name for c in _report_columns()]


def _reset_sequence(table: str) -> None:
    """PostgreSQL keeps an id counter per table; after copying ids it must move past them."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
        )


def upgrade() -> None:
    op.create_table(
        "reports",
        *_report_columns(),
        sa.Column("embedding", sa.LargeBinary),
        sa.UniqueConstraint("article_id", "ordinal", name="uq_reports_article_ordinal"),
    )
    cols = ", ".join(f'"{c}"' for c in SHARED)
    op.execute(f"INSERT INTO reports ({cols}) SELECT {cols} FROM events")
    _reset_sequence("reports")
    op.create_index("ix_reports_date", "reports", ["date"])
    op.create_index("ix_reports_country_admin1", "reports", ["country", "admin1"])
    op.create_index("ix_reports_perpetrator_id", "reports", ["perpetrator_id"])

    op.create_table(
        "evidence_v2",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("reports.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.execute(
        'INSERT INTO evidence_v2 (id, report_id, field, start, "end", text) '
        'SELECT id, event_id, field, start, "end", text FROM evidence'
    )
    op.create_table(
        "claims_v2",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("reports.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("actor", sa.String(256), nullable=False),
        sa.Column("stance", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(128)),
    )
    op.execute(
        "INSERT INTO claims_v2 (id, report_id, actor, stance, channel) "
        "SELECT id, event_id, actor, stance, channel FROM claims"
    )
    op.drop_table("evidence")
    op.drop_table("claims")
    op.drop_table("events")
    op.rename_table("evidence_v2", "evidence")
    op.rename_table("claims_v2", "claims")
    if op.get_bind().dialect.name == "postgresql":
        for table in ("evidence", "claims"):
            op.execute(f"ALTER SEQUENCE {table}_v2_id_seq RENAME TO {table}_id_seq")
            op.execute(f"ALTER INDEX {table}_v2_pkey RENAME TO {table}_pkey")
    _reset_sequence("evidence")
    _reset_sequence("claims")
    op.create_index("ix_evidence_report", "evidence", ["report_id"])
    op.create_index("ix_claims_report", "claims", ["report_id"])

    op.create_table(
        "changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", NOW, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("other_event_id", sa.Integer),
        sa.Column("report_id", sa.Integer),
        sa.Column("score", sa.Float),
        sa.Column("features", sa.JSON),
        sa.Column("by", sa.String(128), nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_changes_event", "changes", ["event_id"])
    op.create_index("ix_changes_other", "changes", ["other_event_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("retired_at", NOW),
        sa.Column("merged_into", sa.Integer, sa.ForeignKey("events.id")),
    )
    op.create_table(
        "event_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "event_id",
            sa.Integer,
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("valid_from", NOW, nullable=False),
        sa.Column("valid_to", NOW),
        sa.Column("change_id", sa.Integer, sa.ForeignKey("changes.id")),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("sub_event_type", sa.String(64), nullable=False),
        sa.Column("date", sa.Date),
        sa.Column("date_earliest", sa.Date),
        sa.Column("date_latest", sa.Date),
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
        sa.Column("fatalities_low", sa.Integer),
        sa.Column("fatalities", sa.Integer),
        sa.Column("fatalities_high", sa.Integer),
        sa.Column("injuries", sa.Integer),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("report_count", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.UniqueConstraint("event_id", "version", name="uq_event_versions_event_version"),
    )
    op.create_index("ix_event_versions_current", "event_versions", ["valid_to", "date"])
    op.create_index("ix_event_versions_event", "event_versions", ["event_id", "valid_to"])
    op.create_index("ix_event_versions_block", "event_versions", ["country", "date_latest"])
    op.create_index("ix_event_versions_admin", "event_versions", ["country", "admin1"])
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("reports.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "event_id",
            sa.Integer,
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("valid_from", NOW, nullable=False),
        sa.Column("valid_to", NOW),
        sa.Column("change_id", sa.Integer, sa.ForeignKey("changes.id")),
    )
    op.create_index("ix_memberships_event", "memberships", ["event_id", "valid_to"])
    op.create_index("ix_memberships_report", "memberships", ["report_id", "valid_to"])
    _events_from_old_reports()

    op.create_table(
        "reference_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dataset", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("country", sa.String(2)),
        sa.Column("admin1", sa.String(256)),
        sa.Column("admin2", sa.String(256)),
        sa.Column("location", sa.String(256)),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("event_type", sa.String(64)),
        sa.Column("sub_event_type", sa.String(64)),
        sa.Column("actor1", sa.String(256)),
        sa.Column("actor2", sa.String(256)),
        sa.Column("deaths_low", sa.Integer),
        sa.Column("deaths_best", sa.Integer),
        sa.Column("deaths_high", sa.Integer),
        sa.Column("data", sa.JSON, nullable=False),
        sa.UniqueConstraint("dataset", "external_id", name="uq_reference_dataset_id"),
    )
    op.create_index("ix_reference_dataset_date", "reference_events", ["dataset", "date_start"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("revoked_at", NOW),
    )


def _events_from_old_reports() -> None:
    """Each report stored before fusion existed becomes an event of its own."""
    bind = op.get_bind()
    meta = sa.MetaData()
    reports = sa.Table("reports", meta, autoload_with=bind)
    now = dt.datetime.now(dt.UTC)
    rows = bind.execute(sa.select(reports).order_by(reports.c.id)).mappings().all()
    if not rows:
        return
    events = sa.Table("events", meta, autoload_with=bind)
    versions = sa.Table("event_versions", meta, autoload_with=bind)
    members = sa.Table("memberships", meta, autoload_with=bind)
    changes = sa.Table("changes", meta, autoload_with=bind)
    for row in rows:
        data = row["data"]
        toll = data.get("fatalities") or {}
        bind.execute(sa.insert(events).values(id=row["id"], created_at=now))
        change_id = bind.execute(
            sa.insert(changes).values(
                at=now, kind="migrated", event_id=row["id"], report_id=row["id"], by="migration"
            )
        ).inserted_primary_key[0]
        bind.execute(
            sa.insert(versions).values(
                event_id=row["id"],
                version=1,
                valid_from=now,
                change_id=change_id,
                report_count=1,
                fatalities_low=toll.get("low"),
                fatalities_high=toll.get("high"),
                **{
                    k: row[k]
                    for k in (
                        "event_type",
                        "sub_event_type",
                        "date",
                        "date_earliest",
                        "date_latest",
                        "location_name",
                        "admin1",
                        "admin2",
                        "country",
                        "latitude",
                        "longitude",
                        "geo_precision",
                        "perpetrator",
                        "perpetrator_id",
                        "perpetrator_status",
                        "fatalities",
                        "injuries",
                        "confidence",
                        "data",
                    )
                },
            )
        )
        bind.execute(
            sa.insert(members).values(
                report_id=row["id"], event_id=row["id"], valid_from=now, change_id=change_id
            )
        )
    _reset_sequence("events")


def downgrade() -> None:
    raise NotImplementedError("0002 cannot be undone: events were split into reports")
