"""Write operations inside one open transaction: reports in, events fused, history kept.

Nothing here is ever updated in place: a change closes the current row (``valid_to``) and
opens a new one, and every decision is written to ``changes`` with its reasons. That is what
makes ``--as-of`` queries, ``watchfloor merges`` and ``watchfloor unmerge`` possible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update

from watchfloor.errors import NotFound, StoreError
from watchfloor.fuse.across import (
    FAMILIES,
    MAX_DAY_GAP,
    Match,
    ReportSignal,
    block_keys,
    choose_event,
    in_block,
)
from watchfloor.fuse.canonical import Correction, MemberReport, canonical_event
from watchfloor.fuse.embed import from_bytes
from watchfloor.model import Article, Event, ExtractResult
from watchfloor.store.schema import (
    articles,
    changes,
    claims,
    event_versions,
    events,
    evidence,
    memberships,
    org_developments,
    reports,
)

SYSTEM = "watchfloor"

#: Fields a reviewer may correct, as dotted paths into the event.
CORRECTABLE = frozenset(
    {
        "event_type",
        "sub_event_type",
        "attack_type",
        "date",
        "date_precision",
        "location.name",
        "location.admin1",
        "location.admin2",
        "location.country",
        "location.lat",
        "location.lon",
        "location.geo_precision",
        "perpetrator.name",
        "perpetrator.actor_id",
        "perpetrator.status",
        "fatalities.best",
        "fatalities.low",
        "fatalities.high",
        "injuries.best",
        "civilian_targeting",
    }
)


def insert_article(
    conn: Connection,
    article: Article,
    input_name: str | None,
    extractor_version: str,
    now: dt.datetime,
) -> int:
    return conn.execute(
        insert(articles).values(
            external_id=article.id,
            content_hash=article.content_hash,
            title=article.title,
            url=article.url,
            source=article.source,
            published=article.published,
            text=article.text,
            input_name=input_name,
            extractor_version=extractor_version,
            ingested_at=now,
        )
    ).inserted_primary_key[0]


def _report_row(article_id: int, ordinal: int, ev: Event) -> dict[str, Any]:
    loc = ev.location
    perp = ev.perpetrator
    return {
        "article_id": article_id,
        "ordinal": ordinal,
        "event_type": ev.event_type,
        "sub_event_type": ev.sub_event_type,
        "date": ev.date,
        "date_earliest": ev.date_earliest,
        "date_latest": ev.date_latest,
        "date_precision": ev.date_precision,
        "location_name": loc.name if loc else None,
        "admin1": loc.admin1 if loc else None,
        "admin2": loc.admin2 if loc else None,
        "country": loc.country if loc else None,
        "latitude": loc.lat if loc else None,
        "longitude": loc.lon if loc else None,
        "geo_precision": loc.geo_precision if loc else None,
        "perpetrator": perp.name if perp else None,
        "perpetrator_id": perp.actor_id if perp else None,
        "perpetrator_status": perp.status if perp else None,
        "fatalities": ev.fatalities.best if ev.fatalities else None,
        "injuries": ev.injuries.best if ev.injuries else None,
        "civilian_targeting": ev.civilian_targeting,
        "confidence": ev.confidence,
        "data": ev.model_dump(mode="json"),
    }


def insert_reports(
    conn: Connection,
    article_id: int,
    result: ExtractResult,
    embeddings: Sequence[bytes | None],
) -> list[int]:
    """One report row per extracted event, with its evidence and claims; returns their ids."""
    ids: list[int] = []
    for ordinal, ev in enumerate(result.events):
        row = _report_row(article_id, ordinal, ev)
        row["embedding"] = embeddings[ordinal] if ordinal < len(embeddings) else None
        report_id = conn.execute(insert(reports).values(**row)).inserted_primary_key[0]
        ids.append(report_id)
        if ev.evidence:
            conn.execute(
                insert(evidence),
                [
                    {
                        "report_id": report_id,
                        "field": s.field,
                        "start": s.start,
                        "end": s.end,
                        "text": s.text,
                    }
                    for s in ev.evidence
                ],
            )
        if ev.claims:
            conn.execute(
                insert(claims),
                [
                    {
                        "report_id": report_id,
                        "actor": c.by,
                        "stance": c.stance,
                        "channel": c.channel,
                    }
                    for c in ev.claims
                ],
            )
    return ids


def insert_org_developments(conn: Connection, article_id: int, result: ExtractResult) -> int:
    for ordinal, dev in enumerate(result.org_developments):
        conn.execute(
            insert(org_developments).values(
                article_id=article_id,
                ordinal=ordinal,
                kind=dev.kind,
                group_name=dev.group,
                group_id=dev.group_id,
                parent=dev.parent,
                other=dev.other,
                date=dev.date,
                date_precision=dev.date_precision,
                data=dev.model_dump(mode="json"),
            )
        )
    return len(result.org_developments)


# -- signals ------------------------------------------------------------------------------

_SIGNAL_COLUMNS = (
    reports.c.id,
    reports.c.article_id,
    reports.c.event_type,
    reports.c.sub_event_type,
    reports.c.date_earliest,
    reports.c.date_latest,
    reports.c.country,
    reports.c.admin1,
    reports.c.admin2,
    reports.c.location_name,
    reports.c.latitude,
    reports.c.longitude,
    reports.c.geo_precision,
    reports.c.fatalities,
    reports.c.data,
    reports.c.embedding,
)


def actor_ids(data: dict[str, Any], strong: bool = False) -> frozenset[str]:
    """The named group behind a report: its perpetrator unless unidentified or denied.

    ``strong`` keeps it only when it claimed the attack or was confirmed.
    """
    perp = data.get("perpetrator") or {}
    wanted = (
        ("claimed", "confirmed") if strong else ("claimed", "confirmed", "attributed", "suspected")
    )
    if perp.get("actor_id") and perp.get("status") in wanted:
        return frozenset({perp["actor_id"]})
    return frozenset()


def signal_from_row(row: Any) -> ReportSignal:
    return ReportSignal(
        report_id=row.id,
        article_id=row.article_id,
        event_type=row.event_type,
        sub_event_type=row.sub_event_type,
        date_earliest=row.date_earliest,
        date_latest=row.date_latest,
        country=row.country,
        admin1=row.admin1,
        admin2=row.admin2,
        place=row.location_name,
        lat=row.latitude,
        lon=row.longitude,
        geo_precision=row.geo_precision,
        actor_ids=actor_ids(row.data),
        claimed_ids=actor_ids(row.data, strong=True),
        fatalities=row.fatalities,
        embedding=from_bytes(row.embedding) if row.embedding else None,
    )


def _current(table: Any) -> Any:
    return table.c.valid_to.is_(None)


def candidate_members(conn: Connection, signal: ReportSignal) -> dict[int, list[ReportSignal]]:
    """Live events with a report in the new report's block, with all their current reports.

    The SQL narrows by country, family, province and dates; ``in_block`` then applies exactly
    the rule the in-memory index uses, so both paths see the same candidates.
    """
    if not block_keys(signal):
        return {}
    types = [t for t, fam in FAMILIES.items() if fam == signal.family]
    low = signal.date_earliest - dt.timedelta(days=MAX_DAY_GAP)  # type: ignore[operator]
    high = signal.date_latest + dt.timedelta(days=MAX_DAY_GAP)  # type: ignore[operator]
    near = (
        select(memberships.c.event_id, *_SIGNAL_COLUMNS)
        .join(reports, reports.c.id == memberships.c.report_id)
        .where(
            _current(memberships),
            reports.c.country == signal.country,
            reports.c.event_type.in_(types),
            reports.c.date_latest >= low,
            reports.c.date_earliest <= high,
        )
    )
    if signal.admin1:
        near = near.where((reports.c.admin1 == signal.admin1) | reports.c.admin1.is_(None))
    event_ids = sorted(
        {row.event_id for row in conn.execute(near) if in_block(signal, signal_from_row(row))}
    )
    if not event_ids:
        return {}
    query = (
        select(memberships.c.event_id, *_SIGNAL_COLUMNS)
        .join(reports, reports.c.id == memberships.c.report_id)
        .where(_current(memberships), memberships.c.event_id.in_(event_ids))
        .order_by(memberships.c.event_id, reports.c.id)
    )
    found: dict[int, list[ReportSignal]] = {}
    for row in conn.execute(query):
        found.setdefault(row.event_id, []).append(signal_from_row(row))
    return found


# -- events -------------------------------------------------------------------------------


def record_change(
    conn: Connection, now: dt.datetime, kind: str, event_id: int, **values: Any
) -> int:
    return conn.execute(
        insert(changes).values(at=now, kind=kind, event_id=event_id, by=SYSTEM, **values)
    ).inserted_primary_key[0]


def fuse_report(conn: Connection, report_id: int, now: dt.datetime) -> tuple[int, Match | None]:
    """File one new report under an existing event or a new one; returns (event id, match)."""
    row = conn.execute(select(*_SIGNAL_COLUMNS).where(reports.c.id == report_id)).one()
    signal = signal_from_row(row)
    match = choose_event(signal, candidate_members(conn, signal))
    if match is None:
        event_id = conn.execute(insert(events).values(created_at=now)).inserted_primary_key[0]
        change_id = record_change(conn, now, "new_event", event_id, report_id=report_id)
    else:
        event_id = match.event_id
        change_id = record_change(
            conn,
            now,
            "auto_merge",
            event_id,
            report_id=report_id,
            score=match.score,
            features=match.features,
        )
    conn.execute(
        insert(memberships).values(
            report_id=report_id, event_id=event_id, valid_from=now, change_id=change_id
        )
    )
    refresh_event(conn, event_id, change_id, now)
    return event_id, match


def _members(conn: Connection, event_id: int) -> list[MemberReport]:
    query = (
        select(reports.c.id, reports.c.data, articles.c.published, articles.c.source)
        .join(memberships, memberships.c.report_id == reports.c.id)
        .join(articles, articles.c.id == reports.c.article_id)
        .where(memberships.c.event_id == event_id, _current(memberships))
        .order_by(reports.c.id)
    )
    return [
        MemberReport(report_id=r.id, data=r.data, published=r.published, source=r.source)
        for r in conn.execute(query)
    ]


def _corrections(conn: Connection, event_id: int) -> list[Correction]:
    query = (
        select(changes.c.features)
        .where(changes.c.event_id == event_id, changes.c.kind == "correct")
        .order_by(changes.c.id)
    )
    return [Correction(f["field"], f["value"]) for f in conn.scalars(query)]


def refresh_event(conn: Connection, event_id: int, change_id: int, now: dt.datetime) -> None:
    """Recompute the event from its current reports and open a new version."""
    members = _members(conn, event_id)
    if not members:
        raise StoreError(f"event {event_id} has no reports left")
    data = canonical_event(members, _corrections(conn, event_id))
    previous = conn.execute(
        select(event_versions.c.id, event_versions.c.version).where(
            event_versions.c.event_id == event_id, _current(event_versions)
        )
    ).first()
    version = 1
    if previous is not None:
        conn.execute(
            update(event_versions).where(event_versions.c.id == previous.id).values(valid_to=now)
        )
        version = previous.version + 1
    conn.execute(
        insert(event_versions).values(**version_row(data, len(members))),
        {
            "event_id": event_id,
            "version": version,
            "valid_from": now,
            "change_id": change_id,
        },
    )


def version_row(data: dict[str, Any], report_count: int) -> dict[str, Any]:
    loc = data.get("location") or {}
    perp = data.get("perpetrator") or {}
    killed = data.get("fatalities") or {}
    hurt = data.get("injuries") or {}
    return {
        "event_type": data["event_type"],
        "sub_event_type": data["sub_event_type"],
        "date": _day(data.get("date")),
        "date_earliest": _day(data.get("date_earliest")),
        "date_latest": _day(data.get("date_latest")),
        "location_name": loc.get("name"),
        "admin1": loc.get("admin1"),
        "admin2": loc.get("admin2"),
        "country": loc.get("country"),
        "latitude": loc.get("lat"),
        "longitude": loc.get("lon"),
        "geo_precision": loc.get("geo_precision"),
        "perpetrator": perp.get("name"),
        "perpetrator_id": perp.get("actor_id"),
        "perpetrator_status": perp.get("status"),
        "fatalities_low": killed.get("low"),
        "fatalities": killed.get("best"),
        "fatalities_high": killed.get("high"),
        "injuries": hurt.get("best"),
        "confidence": data.get("confidence") or 0.0,
        "report_count": report_count,
        "data": data,
    }


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def live_event(conn: Connection, event_id: int) -> None:
    """NotFound unless the event exists and has not been merged away."""
    row = conn.execute(
        select(events.c.retired_at, events.c.merged_into).where(events.c.id == event_id)
    ).first()
    if row is None:
        raise NotFound(f"no event with id {event_id}")
    if row.retired_at is not None:
        raise NotFound(f"event {event_id} was merged into event {row.merged_into}")


def merge_events(
    conn: Connection, keep: int, other: int, by: str, note: str | None, now: dt.datetime
) -> int:
    """A reviewer folds ``other`` into ``keep``: its reports move, it retires; audited."""
    if keep == other:
        raise StoreError(f"cannot merge event {keep} with itself")
    live_event(conn, keep)
    live_event(conn, other)
    change_id = conn.execute(
        insert(changes).values(
            at=now, kind="merge", event_id=keep, other_event_id=other, by=by, note=note
        )
    ).inserted_primary_key[0]
    moved = list(
        conn.scalars(
            select(memberships.c.report_id).where(
                memberships.c.event_id == other, _current(memberships)
            )
        )
    )
    conn.execute(
        update(memberships)
        .where(memberships.c.event_id == other, _current(memberships))
        .values(valid_to=now)
    )
    conn.execute(
        insert(memberships),
        [
            {"report_id": r, "event_id": keep, "valid_from": now, "change_id": change_id}
            for r in moved
        ],
    )
    conn.execute(
        update(event_versions)
        .where(event_versions.c.event_id == other, _current(event_versions))
        .values(valid_to=now)
    )
    conn.execute(
        update(events).where(events.c.id == other).values(retired_at=now, merged_into=keep)
    )
    refresh_event(conn, keep, change_id, now)
    return change_id


def unmerge_report(
    conn: Connection, event_id: int, report_id: int, by: str, note: str | None, now: dt.datetime
) -> int:
    """A reviewer takes one report out of an event; it becomes an event of its own."""
    live_event(conn, event_id)
    current = select(memberships.c.report_id).where(
        memberships.c.event_id == event_id, _current(memberships)
    )
    members = list(conn.scalars(current))
    if report_id not in members:
        raise NotFound(f"report {report_id} is not part of event {event_id}")
    if len(members) == 1:
        raise StoreError(f"event {event_id} has only report {report_id}; nothing to split off")
    new_id = conn.execute(insert(events).values(created_at=now)).inserted_primary_key[0]
    change_id = conn.execute(
        insert(changes).values(
            at=now,
            kind="unmerge",
            event_id=event_id,
            other_event_id=new_id,
            report_id=report_id,
            by=by,
            note=note,
        )
    ).inserted_primary_key[0]
    conn.execute(
        update(memberships)
        .where(
            memberships.c.event_id == event_id,
            memberships.c.report_id == report_id,
            _current(memberships),
        )
        .values(valid_to=now)
    )
    conn.execute(
        insert(memberships).values(
            report_id=report_id, event_id=new_id, valid_from=now, change_id=change_id
        )
    )
    refresh_event(conn, event_id, change_id, now)
    refresh_event(conn, new_id, change_id, now)
    return new_id


def correct_field(
    conn: Connection,
    event_id: int,
    field: str,
    value: Any,
    by: str,
    note: str | None,
    now: dt.datetime,
) -> int:
    """A reviewer's correction; it outlives later reports because it is replayed on refresh."""
    if field not in CORRECTABLE:
        allowed = ", ".join(sorted(CORRECTABLE))
        raise StoreError(f"field {field!r} cannot be corrected; choose one of: {allowed}")
    live_event(conn, event_id)
    change_id = conn.execute(
        insert(changes).values(
            at=now,
            kind="correct",
            event_id=event_id,
            by=by,
            note=note,
            features={"field": field, "value": value},
        )
    ).inserted_primary_key[0]
    try:
        refresh_event(conn, event_id, change_id, now)
    except (ValueError, TypeError) as exc:
        raise StoreError(f"correction of {field} to {value!r} is not valid: {exc}") from exc
    return change_id


def history_filter(table: Any, as_of: dt.datetime | None) -> Any:
    """Rows valid now, or at ``as_of``."""
    if as_of is None:
        return table.c.valid_to.is_(None)
    return and_(
        table.c.valid_from <= as_of, or_(table.c.valid_to.is_(None), table.c.valid_to > as_of)
    )
