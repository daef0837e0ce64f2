"""The event store: articles, their events with evidence and claims, and org developments.

SQLite by default, any SQLAlchemy URL otherwise. The schema is created and upgraded by the
Alembic migrations shipped in ``watchfloor/store/migrations`` when a Store is opened. Writes
are idempotent by the article's content hash: storing the same article twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, Select, create_engine, event, func, or_, select, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from watchfloor.errors import NotFound, StoreError
from watchfloor.fuse.across import haversine_km
from watchfloor.model import Article, Event, ExtractResult
from watchfloor.store import writes
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
    admin2: str | None = None
    #: (latitude, longitude, kilometres): events within that distance of the point.
    near: tuple[float, float, float] | None = None
    min_confidence: float | None = None
    #: What the database knew at this moment (None: now).
    as_of: dt.datetime | None = None
    #: "date" (newest first) or "confidence" (least confident first).
    order: str | None = None
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


@dataclass(frozen=True, slots=True)
class EventVersion:
    """One state of an event: what the database showed from ``valid_from`` to ``valid_to``."""

    version: int
    valid_from: dt.datetime
    valid_to: dt.datetime | None
    change: str | None
    by: str | None
    report_count: int
    fatalities: tuple[int | None, int | None, int | None]
    injuries: int | None
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """One entry of the audit trail: a fusion decision or a reviewer's action."""

    id: int
    at: dt.datetime
    kind: str
    event_id: int
    other_event_id: int | None
    report_id: int | None
    score: float | None
    features: dict[str, Any]
    by: str
    note: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "event_id": self.event_id,
            "other_event_id": self.other_event_id,
            "report_id": self.report_id,
            "score": self.score,
            "features": self.features,
            "by": self.by,
            "note": self.note,
        }


@dataclass(slots=True)
class IngestOutcome:
    """What one batch write did: new articles and events, and articles already present."""

    articles_added: int = 0
    reports_added: int = 0
    events_added: int = 0
    merged: int = 0
    org_developments_added: int = 0
    duplicates: int = 0
    added_ids: list[int] = field(default_factory=list)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the driver, opens transactions (see _sqlite_begin), so that writers can
    # take the write lock up front and two processes never deadlock on a lock upgrade.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()
    dbapi_connection.create_function("wf_km", 4, _km_or_none, deterministic=True)


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("watchfloor_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _unit_key(name: str) -> str:
    """An admin-unit name without case, accents, apostrophes or punctuation."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"[\u2018\u2019\u02bb\u02bc'`.]", "", plain)
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def _actor_ids(name: str) -> list[str]:
    """The knowledge-base actor a name or alias denotes (Daesh, ISIS, Pakistani Taliban), with
    its branches, so that ``--actor Daesh`` finds Islamic State Khorasan Province's attacks."""
    from watchfloor.errors import WatchfloorError
    from watchfloor.resolve.actors import ActorKB

    try:
        kb = ActorKB.load()
    except WatchfloorError:
        return []
    actor = kb.get(name.strip().lower()) or kb.resolve(name)
    if actor is None or actor.generic:
        return []
    return [actor.actor_id, *(d.actor_id for d in kb.descendants(actor.actor_id))]


def _km_or_none(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> float | None:
    if None in (lat1, lon1, lat2, lon2):
        return None
    return haversine_km(lat1, lon1, lat2, lon2)


#: Key of the PostgreSQL advisory lock that serialises writers (fusion reads then writes).
_PG_WRITE_LOCK = 0x77666C6F6F72  # "wfloor"


class Store:
    """Open with ``Store.open(url)``; the schema is migrated to the latest version on open.

    Events are fused across articles as they are stored. Reads take ``as_of`` to see the
    database as it was at that moment.
    """

    def __init__(self, engine: Engine, embedder: Any | None = None):
        self.engine = engine
        self.embedder = embedder

    @classmethod
    def open(cls, url: str, *, migrate: bool = True, embedder: Any | None = None) -> Store:
        """Open (and migrate) a database; ``embedder`` turns report text into vectors."""
        try:
            if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
                Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(
                    parents=True, exist_ok=True
                )
            engine = create_engine(url)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_connect)
                event.listen(engine, "begin", _sqlite_begin)
            store = cls(engine, embedder)
            if migrate:
                store.migrate()
            return store
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(f"cannot open database: {exc}", source=_safe_url(url)) from exc

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction; writers queue for each other instead of failing."""
        with self.engine.connect() as conn:
            conn.execution_options(watchfloor_write=True)
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK}
                    )
                yield conn

    def migrate(self) -> None:
        """Bring the schema to the newest migration (a no-op when it is current)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._write() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()

    # -- writes ---------------------------------------------------------------------------

    def _embeddings(self, result: ExtractResult) -> list[bytes | None]:
        if self.embedder is None or not result.events:
            return [None] * len(result.events)
        from watchfloor.fuse.embed import to_bytes

        vectors = self.embedder.embed([report_text(ev) for ev in result.events])
        return [to_bytes(v) for v in vectors]

    def add_batch(
        self,
        items: Sequence[tuple[Article, ExtractResult, str | None]],
        extractor_version: str,
    ) -> IngestOutcome:
        """Store extracted articles in one transaction and fuse their events.

        Already-stored articles are skipped, so a batch cut short by a crash can simply be
        run again: it either committed whole or left nothing behind.
        """
        outcome = IngestOutcome()
        hashes = [article.content_hash for article, _, _ in items]
        try:
            with self.engine.connect() as conn:
                known = set(
                    conn.scalars(
                        select(articles.c.content_hash).where(articles.c.content_hash.in_(hashes))
                    )
                )
            vectors = {
                article.content_hash: self._embeddings(result)
                for article, result, _ in items
                if article.content_hash not in known
            }
            with self._write() as conn:
                now = dt.datetime.now(dt.UTC)
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
                    article_id = writes.insert_article(
                        conn, article, input_name, extractor_version, now
                    )
                    outcome.articles_added += 1
                    outcome.added_ids.append(article_id)
                    embeddings = vectors.get(digest) or self._embeddings(result)
                    report_ids = writes.insert_reports(conn, article_id, result, embeddings)
                    outcome.reports_added += len(report_ids)
                    for report_id in report_ids:
                        _, match = writes.fuse_report(conn, report_id, now)
                        if match is None:
                            outcome.events_added += 1
                        else:
                            outcome.merged += 1
                    outcome.org_developments_added += writes.insert_org_developments(
                        conn, article_id, result
                    )
        except IntegrityError as exc:
            raise StoreError(f"write refused by the database: {exc.orig}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"write failed: {exc}") from exc
        return outcome

    def merge_events(self, keep_id: int, other_id: int, *, by: str, note: str | None = None) -> int:
        """Fold event ``other_id`` into ``keep_id`` (a reviewer decision); returns the change."""
        return self._review(writes.merge_events, keep_id, other_id, by, note)

    def unmerge(self, event_id: int, report_id: int, *, by: str, note: str | None = None) -> int:
        """Split one report out of an event into a new event; returns the new event's id."""
        return self._review(writes.unmerge_report, event_id, report_id, by, note)

    def correct_field(
        self, event_id: int, field: str, value: Any, *, by: str, note: str | None = None
    ) -> int:
        """Override one field of an event (dotted path); returns the change id."""
        return self._review(writes.correct_field, event_id, field, value, by, note)

    def _review(self, operation: Any, *args: Any) -> int:
        try:
            with self._write() as conn:
                return operation(conn, *args, dt.datetime.now(dt.UTC))
        except SQLAlchemyError as exc:
            raise StoreError(f"review change failed: {exc}") from exc

    # -- reads ----------------------------------------------------------------------------

    def has_article(self, content_hash: str) -> bool:
        with self.engine.connect() as conn:
            found = conn.scalar(
                select(articles.c.id).where(articles.c.content_hash == content_hash)
            )
        return found is not None

    def counts(self) -> dict[str, int]:
        """Row counts: what `watchfloor status` shows and tests compare (events = live ones)."""
        with self.engine.connect() as conn:
            counted = {
                table.name: conn.scalar(select(func.count()).select_from(table)) or 0
                for table in (articles, reports, evidence, claims, org_developments, changes)
            }
            counted["events"] = (
                conn.scalar(select(func.count()).where(events.c.retired_at.is_(None))) or 0
            )
        return counted

    def _event_query(self, flt: EventFilter) -> Select[Any]:
        v = event_versions
        query = select(v.c.event_id, v.c.data).where(writes.history_filter(v, flt.as_of))
        if flt.since:
            query = query.where(v.c.date >= flt.since)
        if flt.until:
            query = query.where(v.c.date <= flt.until)
        if flt.country:
            query = query.where(func.upper(v.c.country) == flt.country.upper())
        if flt.admin1:
            query = query.where(v.c.admin1.in_(self._unit_spellings(v.c.admin1, flt.admin1, flt)))
        if flt.admin2:
            query = query.where(v.c.admin2.in_(self._unit_spellings(v.c.admin2, flt.admin2, flt)))
        if flt.event_type:
            wanted = flt.event_type.lower()
            query = query.where(
                (func.lower(v.c.event_type) == wanted) | (func.lower(v.c.sub_event_type) == wanted)
            )
        if flt.actor:
            needle = f"%{flt.actor.lower()}%"
            query = query.where(
                func.lower(v.c.perpetrator).like(needle)
                | (func.lower(v.c.perpetrator_id) == flt.actor.lower())
                | v.c.perpetrator_id.in_(_actor_ids(flt.actor))
            )
        if flt.near is not None:
            query = query.where(*self._within(flt.near))
        if flt.min_confidence is not None:
            query = query.where(v.c.confidence >= flt.min_confidence)
        order = flt.order or "date"
        if order == "confidence":
            query = query.order_by(v.c.confidence.asc(), v.c.event_id)
        else:
            query = query.order_by(v.c.date.desc().nulls_last(), v.c.event_id)
        if flt.limit is not None:
            query = query.limit(flt.limit)
        if flt.offset:
            query = query.offset(flt.offset)
        return query

    def _unit_spellings(self, column: Any, name: str, flt: EventFilter) -> list[str]:
        """The stored names of an admin unit that fold to the one asked for: GeoNames writes
        Paktīkā, Jammu and Kashmīr or Ţarābulus, a user types Paktika, jammu and kashmir or
        Tarabulus. Only the country filter narrows the names looked at."""
        wanted = _unit_key(name)
        query = select(column).where(column.is_not(None)).distinct()
        if flt.country:
            query = query.where(func.upper(event_versions.c.country) == flt.country.upper())
        with self.engine.connect() as conn:
            names = conn.scalars(query).all()
        return [n for n in names if _unit_key(n) == wanted]

    def _within(self, near: tuple[float, float, float]) -> list[Any]:
        """Radius filter: a bounding box the indexes can use, then the exact distance."""
        lat, lon, km = near
        v = event_versions
        dlat = km / 111.0
        box = [v.c.latitude.between(lat - dlat, lat + dlat)]
        if abs(lat) + dlat < 89.0:  # near a pole every longitude can be within reach
            dlon = km / (111.0 * math.cos(math.radians(abs(lat) + dlat)))
            west, east = lon - dlon, lon + dlon
            if dlon >= 180.0:
                pass
            elif west < -180.0:  # the circle crosses the antimeridian: two longitude ranges
                box.append(or_(v.c.longitude >= west + 360.0, v.c.longitude <= east))
            elif east > 180.0:
                box.append(or_(v.c.longitude <= east - 360.0, v.c.longitude >= west))
            else:
                box.append(v.c.longitude.between(west, east))
        if self.dialect == "sqlite":
            distance = func.wf_km(v.c.latitude, v.c.longitude, lat, lon)
        else:
            distance = (
                2
                * 6371.0
                * func.asin(
                    func.sqrt(
                        func.power(func.sin(func.radians(v.c.latitude - lat) / 2), 2)
                        + func.cos(func.radians(lat))
                        * func.cos(func.radians(v.c.latitude))
                        * func.power(func.sin(func.radians(v.c.longitude - lon) / 2), 2)
                    )
                )
            )
        return [*box, distance <= km]

    def count_events(self, flt: EventFilter | None = None) -> int:
        """How many events match, ignoring limit and offset (for pagination)."""
        flt = replace(flt or EventFilter(), limit=None, offset=0)
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(self._event_query(flt).subquery()))

    def events(self, flt: EventFilter | None = None) -> list[StoredEvent]:
        return list(self.iter_events(flt or EventFilter()))

    def iter_events(self, flt: EventFilter, *, chunk: int = 500) -> Iterator[StoredEvent]:
        """Events in filter order, with their sources and claim ledger, streamed in chunks."""
        with self.engine.connect() as conn:
            rows = conn.execute(self._event_query(flt))
            while batch := rows.fetchmany(chunk):
                yield from self._with_sources(conn, batch, flt.as_of)

    def _with_sources(
        self, conn: Connection, rows: Sequence[Any], as_of: dt.datetime | None
    ) -> list[StoredEvent]:
        ids = [row.event_id for row in rows]
        query = (
            select(
                memberships.c.event_id,
                reports.c.id.label("report_id"),
                reports.c.fatalities,
                reports.c.injuries,
                articles.c.id.label("article_id"),
                articles.c.title,
                articles.c.url,
                articles.c.source,
                articles.c.published,
                articles.c.ingested_at,
            )
            .join(reports, reports.c.id == memberships.c.report_id)
            .join(articles, articles.c.id == reports.c.article_id)
            .where(memberships.c.event_id.in_(ids), writes.history_filter(memberships, as_of))
            .order_by(reports.c.id)
        )
        sources: dict[int, list[SourceRef]] = {i: [] for i in ids}
        for r in conn.execute(query):
            sources[r.event_id].append(
                SourceRef(
                    report_id=r.report_id,
                    article_id=r.article_id,
                    title=r.title,
                    url=r.url,
                    source=r.source,
                    published=r.published,
                    ingested_at=r.ingested_at,
                    fatalities=r.fatalities,
                    injuries=r.injuries,
                )
            )
        report_ids = {s.report_id: (e, s) for e, refs in sources.items() for s in refs}
        ledger: dict[int, list[LedgerEntry]] = {i: [] for i in ids}
        if report_ids:
            claim_rows = conn.execute(
                select(claims)
                .where(claims.c.report_id.in_(list(report_ids)))
                .order_by(claims.c.report_id, claims.c.id)
            )
            for c in claim_rows:
                event_id, ref = report_ids[c.report_id]
                ledger[event_id].append(
                    LedgerEntry(
                        by=c.actor,
                        stance=c.stance,
                        channel=c.channel,
                        report_id=c.report_id,
                        source=ref.source,
                        published=ref.published,
                    )
                )
        stored = []
        for row in rows:
            refs = sources[row.event_id]
            first = refs[0] if refs else None
            stored.append(
                StoredEvent(
                    id=row.event_id,
                    article_id=first.article_id if first else 0,
                    data=row.data,
                    article_title=first.title if first else None,
                    article_url=first.url if first else None,
                    article_source=first.source if first else None,
                    published=first.published if first else None,
                    sources=tuple(refs),
                    ledger=tuple(ledger[row.event_id]),
                )
            )
        return stored

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

    def event(
        self, event_id: int, *, as_of: dt.datetime | None = None
    ) -> tuple[StoredEvent, StoredArticle]:
        """One event with the article of its first report; NotFound for an unknown id.

        An event merged into another is NotFound too, with the id it was merged into.
        """
        with self.engine.connect() as conn:
            if as_of is None:
                writes.live_event(conn, event_id)
            row = conn.execute(
                select(event_versions.c.event_id, event_versions.c.data).where(
                    event_versions.c.event_id == event_id,
                    writes.history_filter(event_versions, as_of),
                )
            ).first()
            if row is None:
                raise NotFound(f"no event with id {event_id} at {as_of}")
            [stored] = self._with_sources(conn, [row], as_of)
        return stored, self.article(stored.article_id)

    def article(self, article_id: int) -> StoredArticle:
        with self.engine.connect() as conn:
            art = conn.execute(select(articles).where(articles.c.id == article_id)).first()
        if art is None:
            raise NotFound(f"no article with id {article_id}")
        return StoredArticle(
            id=art.id,
            external_id=art.external_id,
            title=art.title,
            url=art.url,
            source=art.source,
            published=art.published,
            text=art.text,
        )

    def history(self, event_id: int) -> list[EventVersion]:
        """Every version of an event, oldest first: how its toll and fields were revised."""
        v = event_versions
        query = (
            select(v, changes.c.kind, changes.c.by)
            .join(changes, changes.c.id == v.c.change_id, isouter=True)
            .where(v.c.event_id == event_id)
            .order_by(v.c.version)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            raise NotFound(f"no event with id {event_id}")
        return [
            EventVersion(
                version=r.version,
                valid_from=r.valid_from,
                valid_to=r.valid_to,
                change=r.kind,
                by=r.by,
                report_count=r.report_count,
                fatalities=(r.fatalities_low, r.fatalities, r.fatalities_high),
                injuries=r.injuries,
                data=r.data,
            )
            for r in rows
        ]

    def changes(self, event_id: int) -> list[ChangeRecord]:
        """The audit trail of an event: fusion decisions and reviewer actions, oldest first."""
        query = (
            select(changes)
            .where((changes.c.event_id == event_id) | (changes.c.other_event_id == event_id))
            .order_by(changes.c.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            raise NotFound(f"no event with id {event_id}")
        return [
            ChangeRecord(
                id=r.id,
                at=r.at,
                kind=r.kind,
                event_id=r.event_id,
                other_event_id=r.other_event_id,
                report_id=r.report_id,
                score=r.score,
                features=r.features or {},
                by=r.by,
                note=r.note,
            )
            for r in rows
        ]

    def review_queue(self, limit: int = 50) -> list[StoredEvent]:
        """Live events a person should check first: the least confident ones."""
        return self.events(EventFilter(order="confidence", limit=limit))


def open_store(settings: Any, *, writing: bool = False) -> Store:
    """The configured database; a store that will fuse new reports gets the embedder
    (loaded on first use) when ``settings.fusion_embeddings`` is on."""
    embedder = None
    if writing and settings.fusion_embeddings:
        from watchfloor.fuse.embed import SentenceEmbedder

        embedder = SentenceEmbedder(threads=1)
    return Store.open(settings.resolved_database_url, embedder=embedder)


def report_text(ev: Event) -> str:
    """The words that describe an event in its article: what the embedding compares."""
    sentences = [s.text for s in ev.evidence if s.field == "event"]
    return " ".join(dict.fromkeys(sentences)) or " ".join(s.text for s in ev.evidence)


def _safe_url(url: str) -> str:
    """The URL without a password, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown as given minus nothing secret to hide
        return url.split("@")[-1]
