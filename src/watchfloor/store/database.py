"""The event store: articles, their events with evidence and claims, and org developments.

SQLite by default, any SQLAlchemy URL otherwise. The schema is created and upgraded by the
Alembic migrations shipped in ``watchfloor/store/migrations`` when a Store is opened. Writes
are idempotent by the article's content hash: storing the same article twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, Select, create_engine, event, func, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from watchfloor.errors import NotFound, StoreError
from watchfloor.model import Article, ExtractResult
from watchfloor.store.schema import articles, claims, events, evidence, org_developments

MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Query filters shared by the CLI, the API and exports; empty means no restriction."""

    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None
    admin1: str | None = None
    actor: str | None = None
    event_type: str | None = None
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One report of an event: the article it came from and the toll that article gave."""

    report_id: int
    article_id: int
    title: str | None
    url: str | None
    source: str | None
    published: dt.date | None
    ingested_at: dt.datetime | None = None
    fatalities: int | None = None
    injuries: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "report_id": self.report_id,
            "article_id": self.article_id,
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "ingested_at": self.ingested_at.isoformat() if self.ingested_at else None,
            "fatalities": self.fatalities,
            "injuries": self.injuries,
        }


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One responsibility statement about an event, with the report that carried it."""

    by: str
    stance: str
    channel: str | None
    report_id: int
    source: str | None
    published: dt.date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "stance": self.stance,
            "channel": self.channel,
            "report_id": self.report_id,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
        }


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as stored: its id, the contract-shaped event, and where it came from.

    ``data`` has the shape of one event of the extraction contract. ``article_*`` describe
    the first report; ``sources`` lists every report (article) fused into the event and
    ``ledger`` every claim, denial, attribution and suspicion those reports carry.
    """

    id: int
    article_id: int
    data: dict[str, Any]
    article_title: str | None = None
    article_url: str | None = None
    article_source: str | None = None
    published: dt.date | None = None
    sources: tuple[SourceRef, ...] = ()
    ledger: tuple[LedgerEntry, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            **self.data,
            "sources": [s.to_json() for s in self.sources],
            "ledger": [c.to_json() for c in self.ledger],
        }

    def summary(self) -> dict[str, str]:
        return summarize(self.data)


def summarize(data: dict[str, Any]) -> dict[str, str]:
    """The one-line view of an event shared by the table, CSV and the web page."""
    loc = data.get("location") or {}
    place = ", ".join(p for p in (loc.get("name"), loc.get("admin1"), loc.get("country")) if p)
    perp = data.get("perpetrator") or {}
    who = perp.get("name") or ""
    if who and perp.get("status") not in (None, "confirmed", "unknown"):
        who = f"{who} ({perp['status']})"

    def best(key: str) -> str:
        value = (data.get(key) or {}).get("best")
        return "" if value is None else str(value)

    return {
        "date": data.get("date") or "",
        "precision": data.get("date_precision") or "",
        "place": place,
        "type": f"{data.get('event_type')} / {data.get('sub_event_type')}",
        "perpetrator": who,
        "killed": best("fatalities"),
        "wounded": best("injuries"),
    }


@dataclass(frozen=True, slots=True)
class StoredOrgDevelopment:
    """An organisational development as stored: the contract-shaped record and its source."""

    id: int
    article_id: int
    data: dict[str, Any]
    article_title: str | None
    article_url: str | None
    article_source: str | None
    published: dt.date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            **self.data,
            "source": {
                "title": self.article_title,
                "url": self.article_url,
                "source": self.article_source,
                "published": self.published.isoformat() if self.published else None,
            },
        }


@dataclass(frozen=True, slots=True)
class StoredArticle:
    id: int
    external_id: str
    title: str | None
    url: str | None
    source: str | None
    published: dt.date | None
    text: str


@dataclass(slots=True)
class IngestOutcome:
    """What one batch write did: new articles and events, and articles already present."""

    articles_added: int = 0
    events_added: int = 0
    org_developments_added: int = 0
    duplicates: int = 0
    added_ids: list[int] = field(default_factory=list)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Store:
    """Open with ``Store.open(url)``; the schema is migrated to the latest version on open."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        try:
            if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
                Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(
                    parents=True, exist_ok=True
                )
            engine = create_engine(url)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            store = cls(engine)
            if migrate:
                store.migrate()
            return store
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(f"cannot open database: {exc}", source=_safe_url(url)) from exc

    def migrate(self) -> None:
        """Bring the schema to the newest migration (a no-op when it is current)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()

    # -- writes ---------------------------------------------------------------------------

    def add_batch(
        self,
        items: Sequence[tuple[Article, ExtractResult, str | None]],
        extractor_version: str,
    ) -> IngestOutcome:
        """Store extracted articles in one transaction; already-stored articles are skipped."""
        outcome = IngestOutcome()
        now = dt.datetime.now(dt.UTC)
        try:
            with self.engine.begin() as conn:
                hashes = [article.content_hash for article, _, _ in items]
                present = set(
                    conn.scalars(
                        select(articles.c.content_hash).where(articles.c.content_hash.in_(hashes))
                    )
                )
                for article, result, input_name in items:
                    digest = article.content_hash
                    if digest in present:
                        outcome.duplicates += 1
                        continue
                    present.add(digest)
                    article_id = self._insert_article(
                        conn, article, digest, input_name, extractor_version, now
                    )
                    outcome.articles_added += 1
                    outcome.added_ids.append(article_id)
                    outcome.events_added += self._insert_events(conn, article_id, result)
                    outcome.org_developments_added += self._insert_orgs(conn, article_id, result)
        except IntegrityError as exc:
            raise StoreError(f"write refused by the database: {exc.orig}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"write failed: {exc}") from exc
        return outcome

    @staticmethod
    def _insert_article(
        conn: Any,
        article: Article,
        digest: str,
        input_name: str | None,
        extractor_version: str,
        now: dt.datetime,
    ) -> int:
        return conn.execute(
            insert(articles).values(
                external_id=article.id,
                content_hash=digest,
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

    @staticmethod
    def _insert_events(conn: Any, article_id: int, result: ExtractResult) -> int:
        for ordinal, ev in enumerate(result.events):
            data = ev.model_dump(mode="json")
            loc = ev.location
            perp = ev.perpetrator
            event_id = conn.execute(
                insert(events).values(
                    article_id=article_id,
                    ordinal=ordinal,
                    event_type=ev.event_type,
                    sub_event_type=ev.sub_event_type,
                    date=ev.date,
                    date_earliest=ev.date_earliest,
                    date_latest=ev.date_latest,
                    date_precision=ev.date_precision,
                    location_name=loc.name if loc else None,
                    admin1=loc.admin1 if loc else None,
                    admin2=loc.admin2 if loc else None,
                    country=loc.country if loc else None,
                    latitude=loc.lat if loc else None,
                    longitude=loc.lon if loc else None,
                    geo_precision=loc.geo_precision if loc else None,
                    perpetrator=perp.name if perp else None,
                    perpetrator_id=perp.actor_id if perp else None,
                    perpetrator_status=perp.status if perp else None,
                    fatalities=ev.fatalities.best if ev.fatalities else None,
                    injuries=ev.injuries.best if ev.injuries else None,
                    civilian_targeting=ev.civilian_targeting,
                    confidence=ev.confidence,
                    data=data,
                )
            ).inserted_primary_key[0]
            if ev.evidence:
                conn.execute(
                    insert(evidence),
                    [
                        {
                            "event_id": event_id,
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
                            "event_id": event_id,
                            "actor": c.by,
                            "stance": c.stance,
                            "channel": c.channel,
                        }
                        for c in ev.claims
                    ],
                )
        return len(result.events)

    @staticmethod
    def _insert_orgs(conn: Any, article_id: int, result: ExtractResult) -> int:
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

    # -- reads ----------------------------------------------------------------------------

    def has_article(self, content_hash: str) -> bool:
        with self.engine.connect() as conn:
            found = conn.scalar(
                select(articles.c.id).where(articles.c.content_hash == content_hash)
            )
        return found is not None

    def counts(self) -> dict[str, int]:
        """Row counts per table: what `watchfloor status` shows and tests compare."""
        with self.engine.connect() as conn:
            return {
                table.name: conn.scalar(select(func.count()).select_from(table)) or 0
                for table in (articles, events, evidence, claims, org_developments)
            }

    def _event_query(self, flt: EventFilter) -> Select[Any]:
        query = select(
            events.c.id,
            events.c.article_id,
            events.c.data,
            articles.c.title,
            articles.c.url,
            articles.c.source,
            articles.c.published,
        ).join(articles, articles.c.id == events.c.article_id)
        if flt.since:
            query = query.where(events.c.date >= flt.since)
        if flt.until:
            query = query.where(events.c.date <= flt.until)
        if flt.country:
            query = query.where(func.upper(events.c.country) == flt.country.upper())
        if flt.admin1:
            query = query.where(func.lower(events.c.admin1) == flt.admin1.lower())
        if flt.event_type:
            wanted = flt.event_type.lower()
            query = query.where(
                (func.lower(events.c.event_type) == wanted)
                | (func.lower(events.c.sub_event_type) == wanted)
            )
        if flt.actor:
            needle = f"%{flt.actor.lower()}%"
            query = query.where(
                func.lower(events.c.perpetrator).like(needle)
                | (func.lower(events.c.perpetrator_id) == flt.actor.lower())
            )
        query = query.order_by(events.c.date.desc().nulls_last(), events.c.id)
        if flt.limit is not None:
            query = query.limit(flt.limit)
        if flt.offset:
            query = query.offset(flt.offset)
        return query

    def events(self, flt: EventFilter | None = None) -> list[StoredEvent]:
        return list(self.iter_events(flt or EventFilter()))

    def iter_events(self, flt: EventFilter) -> Iterator[StoredEvent]:
        with self.engine.connect() as conn:
            for row in conn.execute(self._event_query(flt)):
                yield StoredEvent(
                    id=row.id,
                    article_id=row.article_id,
                    data=row.data,
                    article_title=row.title,
                    article_url=row.url,
                    article_source=row.source,
                    published=row.published,
                )

    def org_developments(
        self, *, group_id: str | None = None, until: dt.date | None = None
    ) -> list[StoredOrgDevelopment]:
        """Stored organisational developments, oldest first; ``until`` keeps those dated on or
        before that day (undated ones count from their article's publication date)."""
        query = select(
            org_developments.c.id,
            org_developments.c.article_id,
            org_developments.c.data,
            articles.c.title,
            articles.c.url,
            articles.c.source,
            articles.c.published,
        ).join(articles, articles.c.id == org_developments.c.article_id)
        if group_id:
            query = query.where(
                (org_developments.c.group_id == group_id) | (org_developments.c.parent == group_id)
            )
        effective = func.coalesce(org_developments.c.date, articles.c.published)
        if until:
            query = query.where(effective <= until)
        query = query.order_by(effective.asc().nulls_last(), org_developments.c.id)
        with self.engine.connect() as conn:
            return [
                StoredOrgDevelopment(
                    id=row.id,
                    article_id=row.article_id,
                    data=row.data,
                    article_title=row.title,
                    article_url=row.url,
                    article_source=row.source,
                    published=row.published,
                )
                for row in conn.execute(query)
            ]

    def event(self, event_id: int) -> tuple[StoredEvent, StoredArticle]:
        """One event with the article it came from; NotFound when the id does not exist."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(events.c.id, events.c.article_id, events.c.data).where(
                    events.c.id == event_id
                )
            ).first()
            if row is None:
                raise NotFound(f"no event with id {event_id}")
            art = conn.execute(select(articles).where(articles.c.id == row.article_id)).one()
        article = StoredArticle(
            id=art.id,
            external_id=art.external_id,
            title=art.title,
            url=art.url,
            source=art.source,
            published=art.published,
            text=art.text,
        )
        stored = StoredEvent(
            id=row.id,
            article_id=row.article_id,
            data=row.data,
            article_title=art.title,
            article_url=art.url,
            article_source=art.source,
            published=art.published,
        )
        return stored, article


def _safe_url(url: str) -> str:
    """The URL without a password, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown as given minus nothing secret to hide
        return url.split("@")[-1]
