"""Application services: the pipeline wired end to end (ingest -> extract -> store).

The CLI and the HTTP API call these; they hold no SQL and no parsing of their own.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rich.progress import Progress

from watchfloor.errors import WatchfloorError
from watchfloor.ingest import IngestItem, is_feed_url, read_paths
from watchfloor.model import Article, ExtractResult
from watchfloor.pipeline.extractor import EXTRACTOR_VERSION, Extractor
from watchfloor.resolve.gazetteer import LocalLexicon, OutletLexicons, PlaceShares
from watchfloor.settings import Settings
from watchfloor.store import Store, open_store


@dataclass(slots=True)
class IngestReport:
    articles_added: int = 0
    reports_added: int = 0
    events_added: int = 0
    merged: int = 0
    org_developments_added: int = 0
    duplicates: int = 0
    failed: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        seen = self.articles_added + self.duplicates + self.failed
        return seen / self.seconds if self.seconds > 0 else 0.0


def ingest_items(
    settings: Settings,
    paths: Iterable[str],
    published: dt.date | None = None,
    *,
    progress: Progress | None = None,
    on_error: Callable[[WatchfloorError], None] = lambda _e: None,
    store: Store | None = None,
    extractor: Extractor | None = None,
) -> IngestReport:
    """Ingest every article under ``paths``; commit every ``settings.batch_size`` articles.

    Articles already in the store (same text and date) are skipped before extraction, so a
    re-run after a crash only does the work that was not yet committed. With
    ``settings.outlet_context`` the input is read twice: first to learn each outlet's usual
    places, then to extract with them (a feed URL is fetched once and its items kept).
    """
    store = store or open_store(settings, writing=True)
    extractor = extractor or Extractor(settings)
    paths = list(paths)
    items = _fetched_once(paths, published)
    local_for = _outlet_context(items(), extractor) if settings.outlet_context else None
    report = IngestReport()
    started = time.monotonic()
    pending: list[tuple[Article, ExtractResult, str | None]] = []
    pending_hashes: set[str] = set()

    def flush() -> None:
        if not pending:
            return
        outcome = store.add_batch(pending, EXTRACTOR_VERSION)
        report.articles_added += outcome.articles_added
        report.reports_added += outcome.reports_added
        report.events_added += outcome.events_added
        report.merged += outcome.merged
        report.org_developments_added += outcome.org_developments_added
        report.duplicates += outcome.duplicates
        pending.clear()
        pending_hashes.clear()

    task = progress.add_task("ingesting", total=None, rate="") if progress else None
    if progress:
        progress.start()
    try:
        for item in items():
            if isinstance(item, WatchfloorError):
                report.failed += 1
                on_error(item)
            else:
                digest = item.content_hash
                if digest in pending_hashes or store.has_article(digest):
                    report.duplicates += 1
                else:
                    try:
                        local = local_for(item) if local_for is not None else None
                        result = extractor.extract(item, local)
                    except WatchfloorError as exc:
                        report.failed += 1
                        on_error(exc)
                    else:
                        pending.append((item, result, None))
                        pending_hashes.add(digest)
                        if len(pending) >= settings.batch_size:
                            flush()
            if progress and task is not None:
                elapsed = max(time.monotonic() - started, 1e-9)
                seen = report.articles_added + len(pending) + report.duplicates + report.failed
                progress.update(task, advance=1, rate=f"{seen / elapsed:.1f} articles/s")
        flush()
    finally:
        if progress:
            progress.stop()
    report.seconds = time.monotonic() - started
    return report


def _fetched_once(
    paths: list[str], published: dt.date | None
) -> Callable[[], Iterator[IngestItem]]:
    """The input, readable twice: files are read again from disk, while a feed URL's items are
    fetched on the first reading and kept (a second fetch costs a request and may differ)."""
    fetched: dict[str, list[IngestItem]] = {}

    def items() -> Iterator[IngestItem]:
        for raw in paths:
            if not is_feed_url(raw):
                yield from read_paths([raw], published)
            elif raw in fetched:
                yield from fetched[raw]
            else:
                fetched[raw] = list(read_paths([raw], published))
                yield from fetched[raw]

    return items


def _outlet_context(
    items: Iterable[IngestItem], extractor: Extractor
) -> Callable[[Article], LocalLexicon | None]:
    """First pass of an outlet-aware ingest: each distinct article's place names, read on
    their own, counted for its outlet; returns the lexicon to give each article after it."""
    lexicons = OutletLexicons()
    own: dict[str, PlaceShares] = {}
    for item in items:
        if isinstance(item, WatchfloorError) or item.content_hash in own:
            continue  # a bad item is reported by the second pass; a repeat counts once
        own[item.content_hash] = lexicons.add(
            item.outlet, extractor.gazetteer.find_toponyms(item.text)
        )

    def local_for(article: Article) -> LocalLexicon | None:
        shares = own.get(article.content_hash)
        return lexicons.lexicon(article.outlet, shares) if shares is not None else None

    return local_for
