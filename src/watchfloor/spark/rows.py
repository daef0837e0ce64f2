"""The Parquet tables the Spark jobs write, and pure converters between them and our records.

Tables (each a folder under the job's OUTPUT, partitioned as noted):

- ``articles`` (month): the article as ingested plus its whole ``ExtractResult`` (JSON) and
  the MiniLM vectors of its events, so ``watchfloor load`` can store it exactly as
  ``watchfloor ingest`` would, without extracting again;
- ``reports`` (month, country): one row per event an article yields, in the contract's event
  shape (flat columns for filtering, ``data`` the full JSON), with what fusion needs;
- ``org_developments`` (month): one row per organisational development;
- ``rejects``: every skipped input item with its file, position and reason;
- from ``spark fuse``: ``events`` (month, country), the fused events, and ``memberships``
  (month, country), every per-source report with the event it joined.

Ids: an article is keyed by its content hash (the store's idempotency key), a report by
``<content hash>:<ordinal>``, an event by its first report's key. Integer ids for fusion are
derived from those keys with SHA-256, so every run and every executor agrees on them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import orjson

from watchfloor.fuse.across import FAMILIES, ReportSignal
from watchfloor.model import Article, ExtractResult

ARTICLES_SCHEMA = (
    "article_key STRING, external_id STRING, title STRING, url STRING, outlet STRING, "
    "published DATE, text STRING, input STRING, position BIGINT, result STRING, "
    "embeddings ARRAY<BINARY>, extractor_version STRING, month STRING"
)
REPORTS_SCHEMA = (
    "report_key STRING, report_id BIGINT, article_key STRING, article_id BIGINT, "
    "external_id STRING, ordinal INT, event_type STRING, sub_event_type STRING, "
    "attack_type STRING, date DATE, date_earliest DATE, date_latest DATE, "
    "date_precision STRING, location_name STRING, admin1 STRING, admin2 STRING, "
    "country STRING, latitude DOUBLE, longitude DOUBLE, geo_precision INT, "
    "perpetrator STRING, perpetrator_id STRING, perpetrator_status STRING, fatalities INT, "
    "injuries INT, civilian_targeting BOOLEAN, confidence DOUBLE, data STRING, "
    "embedding BINARY, published DATE, outlet STRING, input STRING, position BIGINT, "
    "month STRING"
)
ORGS_SCHEMA = (
    "article_key STRING, external_id STRING, ordinal INT, kind STRING, group_name STRING, "
    "group_id STRING, parent STRING, other STRING, date DATE, date_precision STRING, "
    "data STRING, month STRING"
)
REJECTS_SCHEMA = "input STRING, position BIGINT, code STRING, message STRING"
EVENTS_SCHEMA = (
    "event_key STRING, report_count INT, event_type STRING, sub_event_type STRING, "
    "date DATE, date_earliest DATE, date_latest DATE, location_name STRING, admin1 STRING, "
    "admin2 STRING, country STRING, latitude DOUBLE, longitude DOUBLE, geo_precision INT, "
    "perpetrator STRING, perpetrator_id STRING, perpetrator_status STRING, fatalities INT, "
    "injuries INT, data STRING, month STRING"
)
MEMBERSHIPS_SCHEMA = (
    "report_key STRING, event_key STRING, score DOUBLE, external_id STRING, outlet STRING, "
    "published DATE, fatalities INT, injuries INT, perpetrator STRING, "
    "perpetrator_status STRING, month STRING, country STRING"
)

#: Published dates sort first in arrival order; undated articles go last.
_UNDATED = "9999-12-31"


def numeric_id(key: str) -> int:
    """A stable positive 63-bit id for a string key (fusion wants integers)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") >> 1


def month_of(*days: dt.date | None) -> str | None:
    """ "YYYY-MM" of the first date given, the partition value of a row."""
    for day in days:
        if day is not None:
            return day.strftime("%Y-%m")
    return None


def arrival_key(published: dt.date | None, source: str, position: int) -> tuple[str, str, int]:
    """The order reports are fused in: publication date, then input file and position.

    The single-machine path fuses in ingest order; replaying the same order is what makes the
    Spark clusters equal to the store's.
    """
    return (published.isoformat() if published else _UNDATED, source, position)


def article_row(
    article: Article,
    result: ExtractResult,
    embeddings: Sequence[bytes | None],
    *,
    source: str,
    position: int,
    extractor_version: str,
) -> tuple[Any, ...]:
    return (
        article.content_hash,
        article.id,
        article.title,
        article.url,
        article.source,
        article.published,
        article.text,
        source,
        position,
        result.model_dump_json(),
        list(embeddings),
        extractor_version,
        month_of(article.published),
    )


def report_rows(
    article: Article,
    result: ExtractResult,
    embeddings: Sequence[bytes | None],
    *,
    source: str,
    position: int,
) -> list[tuple[Any, ...]]:
    """The article's events as report rows (same columns as the store's ``reports`` table)."""
    rows = []
    for ordinal, ev in enumerate(result.events):
        key = f"{article.content_hash}:{ordinal}"
        loc, perp = ev.location, ev.perpetrator
        rows.append(
            (
                key,
                numeric_id(key),
                article.content_hash,
                numeric_id(article.content_hash),
                article.id,
                ordinal,
                ev.event_type,
                ev.sub_event_type,
                ev.attack_type,
                ev.date,
                ev.date_earliest,
                ev.date_latest,
                ev.date_precision,
                loc.name if loc else None,
                loc.admin1 if loc else None,
                loc.admin2 if loc else None,
                loc.country if loc else None,
                loc.lat if loc else None,
                loc.lon if loc else None,
                loc.geo_precision if loc else None,
                perp.name if perp else None,
                perp.actor_id if perp else None,
                perp.status if perp else None,
                ev.fatalities.best if ev.fatalities else None,
                ev.injuries.best if ev.injuries else None,
                ev.civilian_targeting,
                ev.confidence,
                orjson.dumps(ev.model_dump(mode="json")).decode(),
                embeddings[ordinal] if ordinal < len(embeddings) else None,
                article.published,
                article.source,
                source,
                position,
                month_of(ev.date, ev.date_earliest, article.published),
            )
        )
    return rows


def org_rows(article: Article, result: ExtractResult) -> list[tuple[Any, ...]]:
    return [
        (
            article.content_hash,
            article.id,
            ordinal,
            dev.kind,
            dev.group,
            dev.group_id,
            dev.parent,
            dev.other,
            dev.date,
            dev.date_precision,
            orjson.dumps(dev.model_dump(mode="json")).decode(),
            month_of(dev.date, dev.date_earliest, article.published),
        )
        for ordinal, dev in enumerate(result.org_developments)
    ]


def fusion_block(row: Any) -> tuple[str, str]:
    """The (country, family) a report is fused within: every candidate pair shares both."""
    return (row.country or "", FAMILIES.get(row.event_type, "other"))


def signal_from_report(row: Any) -> ReportSignal:
    """The ReportSignal of a report row, built by the store's own function so both agree."""
    from watchfloor.store.writes import signal_from_row

    return signal_from_row(
        SimpleNamespace(
            id=row.report_id,
            article_id=row.article_id,
            event_type=row.event_type,
            sub_event_type=row.sub_event_type,
            date_earliest=row.date_earliest,
            date_latest=row.date_latest,
            country=row.country,
            admin1=row.admin1,
            admin2=row.admin2,
            location_name=row.location_name,
            latitude=row.latitude,
            longitude=row.longitude,
            geo_precision=row.geo_precision,
            fatalities=row.fatalities,
            data=orjson.loads(row.data),
            embedding=bytes(row.embedding) if row.embedding else None,
        )
    )


def event_row(event_key: str, data: dict[str, Any], report_count: int) -> tuple[Any, ...]:
    """A fused event (``canonical_event``'s dict) as an ``events`` row."""
    loc = data.get("location") or {}
    perp = data.get("perpetrator") or {}
    day = _day(data.get("date"))
    earliest = _day(data.get("date_earliest"))
    return (
        event_key,
        report_count,
        data["event_type"],
        data["sub_event_type"],
        day,
        earliest,
        _day(data.get("date_latest")),
        loc.get("name"),
        loc.get("admin1"),
        loc.get("admin2"),
        loc.get("country"),
        loc.get("lat"),
        loc.get("lon"),
        loc.get("geo_precision"),
        perp.get("name"),
        perp.get("actor_id"),
        perp.get("status"),
        (data.get("fatalities") or {}).get("best"),
        (data.get("injuries") or {}).get("best"),
        orjson.dumps(data).decode(),
        month_of(day, earliest),
    )


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
