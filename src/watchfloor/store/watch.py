"""SQL for `watchfloor watch`: source health and validators, seen item hashes, the alert log,
and the article rows coverage diagnostics count. The tables live in ``schema.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from watchfloor.errors import StoreError
from watchfloor.store.database import Store
from watchfloor.store.schema import articles, reports, watch_alerts, watch_seen, watch_sources


@dataclass(frozen=True, slots=True)
class SourceState:
    """What the watcher remembers about one source between polls."""

    name: str
    kind: str
    location: str
    status: str = "new"
    failures: int = 0
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_attempt: dt.datetime | None = None
    last_success: dt.datetime | None = None
    next_due: dt.datetime | None = None
    last_error: str | None = None
    http_status: int | None = None
    articles_added: int = 0
    items_seen: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in asdict(self).items()
        }


@dataclass(frozen=True, slots=True)
class StoredAlert:
    id: int
    key: str
    rule: str
    raised_at: dt.datetime
    day: dt.date | None
    country: str | None
    admin1: str | None
    title: str
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.data,
            "id": self.id,
            "key": self.key,
            "rule": self.rule,
            "raised_at": _aware(self.raised_at).isoformat(),
            "day": self.day.isoformat() if self.day else None,
            "country": self.country,
            "admin1": self.admin1,
            "title": self.title,
        }


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One stored article for coverage: its outlet, its day and the countries it reported."""

    id: int
    outlet: str | None
    day: dt.date
    countries: frozenset[str]


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands timezone-aware columns back naive; every stored time is UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


class WatchStore:
    """The watcher's state in the event database (same engine, same migrations)."""

    def __init__(self, store: Store):
        self.store = store
        self.engine = store.engine

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                conn.execution_options(watchfloor_write=True)
                with conn.begin():
                    yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"watch state write failed: {exc}") from exc

    # -- sources --------------------------------------------------------------------------

    def source(self, name: str) -> SourceState | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(watch_sources).where(watch_sources.c.name == name)).first()
        return _state(row) if row is not None else None

    def sources(self) -> list[SourceState]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(watch_sources).order_by(watch_sources.c.name)).all()
        return [_state(r) for r in rows]

    def save_source(self, state: SourceState) -> None:
        values = asdict(state)
        with self._write() as conn:
            done = conn.execute(
                update(watch_sources).where(watch_sources.c.name == state.name).values(**values)
            )
            if done.rowcount == 0:
                conn.execute(insert(watch_sources).values(**values))

    # -- seen items -----------------------------------------------------------------------

    def unseen(self, source: str, hashes: Sequence[str]) -> list[str]:
        """The hashes (in the given order, once each) this source has not delivered before."""
        wanted = list(dict.fromkeys(hashes))
        known: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                known.update(
                    conn.scalars(
                        select(watch_seen.c.item_hash).where(
                            watch_seen.c.source == source, watch_seen.c.item_hash.in_(chunk)
                        )
                    )
                )
        return [h for h in wanted if h not in known]

    def mark_seen(self, source: str, hashes: Iterable[str], now: dt.datetime) -> None:
        fresh = self.unseen(source, list(hashes))
        if not fresh:
            return
        with self._write() as conn:
            conn.execute(
                insert(watch_seen),
                [{"source": source, "item_hash": h, "first_seen": now} for h in fresh],
            )

    def forget_source(self, name: str) -> None:
        with self._write() as conn:
            conn.execute(delete(watch_seen).where(watch_seen.c.source == name))
            conn.execute(delete(watch_sources).where(watch_sources.c.name == name))

    # -- alerts ---------------------------------------------------------------------------

    def record_alerts(self, alerts: Sequence[Any], now: dt.datetime) -> list[Any]:
        """Log alerts whose key is new; returns those (the ones to deliver), in order."""
        if not alerts:
            return []
        keys = [a.key for a in alerts]
        with self._write() as conn:
            known = set(
                conn.scalars(
                    select(watch_alerts.c.dedup_key).where(watch_alerts.c.dedup_key.in_(keys))
                )
            )
            added = []
            for alert in alerts:
                if alert.key in known:
                    continue
                known.add(alert.key)
                body = alert.to_json()
                try:
                    with conn.begin_nested():
                        conn.execute(
                            insert(watch_alerts).values(
                                dedup_key=alert.key,
                                rule=alert.rule,
                                raised_at=now,
                                day=alert.day,
                                country=alert.country,
                                admin1=alert.admin1,
                                title=alert.title,
                                data=body,
                            )
                        )
                except IntegrityError:
                    continue  # another watcher logged the same key first
                added.append(alert)
        return added

    def alerts(
        self,
        *,
        since: dt.date | None = None,
        rule: str | None = None,
        limit: int | None = None,
    ) -> list[StoredAlert]:
        """Logged alerts, newest first; ``since`` keeps those about that day or later."""
        query = select(watch_alerts)
        if since is not None:
            midnight = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
            query = query.where(
                (watch_alerts.c.day >= since)
                | (watch_alerts.c.day.is_(None) & (watch_alerts.c.raised_at >= midnight))
            )
        if rule is not None:
            query = query.where(watch_alerts.c.rule == rule)
        query = query.order_by(watch_alerts.c.day.desc().nulls_last(), watch_alerts.c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            StoredAlert(
                id=r.id,
                key=r.dedup_key,
                rule=r.rule,
                raised_at=r.raised_at,
                day=r.day,
                country=r.country,
                admin1=r.admin1,
                title=r.title,
                data=r.data,
            )
            for r in rows
        ]

    # -- coverage -------------------------------------------------------------------------

    def article_rows(
        self, since: dt.date | None = None, until: dt.date | None = None
    ) -> list[ArticleRow]:
        """Every article in the period (by publication day, else ingest day) with the countries
        its reports are in."""
        query = select(
            articles.c.id, articles.c.source, articles.c.published, articles.c.ingested_at
        ).order_by(articles.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            pairs = conn.execute(
                select(reports.c.article_id, reports.c.country)
                .where(reports.c.country.is_not(None))
                .distinct()
            ).all()
        countries: dict[int, set[str]] = {}
        for article_id, country in pairs:
            countries.setdefault(article_id, set()).add(country)
        out = []
        for r in rows:
            day = r.published or _aware(r.ingested_at).date()
            if (since and day < since) or (until and day > until):
                continue
            out.append(ArticleRow(r.id, r.source, day, frozenset(countries.get(r.id, ()))))
        return out


def _state(row: Any) -> SourceState:
    values = dict(row._mapping)
    for key in ("last_attempt", "last_success", "next_due"):
        if values.get(key) is not None:
            values[key] = _aware(values[key])
    return SourceState(**values)
