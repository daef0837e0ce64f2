"""The watch loop: poll due sources, ingest what is new, raise alerts, deliver them.

One cycle (``Watcher.cycle``) is what ``watchfloor watch --once`` runs; ``run`` repeats cycles
until its stop event is set (SIGTERM and SIGINT set it through ``stop_on_signals``), finishing
the cycle in progress so no batch is left half-written.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

import httpx

from watchfloor.errors import InputError, WatchfloorError
from watchfloor.model import Article, ExtractResult
from watchfloor.settings import Settings
from watchfloor.store import EventFilter, Store, open_store
from watchfloor.store.watch import SourceState, WatchStore
from watchfloor.watch import sources as polling
from watchfloor.watch.alerts import Alert, EventView, Knowledge, OrgView, evaluate
from watchfloor.watch.config import WatchConfig
from watchfloor.watch.sinks import Sink, build_sinks

log = logging.getLogger(__name__)


@dataclass(slots=True)
class SourceOutcome:
    name: str
    status: str
    polled: bool
    new_items: int = 0
    articles_added: int = 0
    failed_items: int = 0
    error: str | None = None


@dataclass(slots=True)
class CycleReport:
    """What one cycle did, per source, and the alerts it raised (already deduplicated)."""

    sources: list[SourceOutcome] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    sink_errors: list[str] = field(default_factory=list)

    @property
    def articles_added(self) -> int:
        return sum(s.articles_added for s in self.sources)


class Watcher:
    """Long-lived state of `watchfloor watch`: store, extractor, HTTP client, sinks.

    Everything with I/O can be handed in (tests pass a clock, a seeded RNG, an extractor).
    """

    def __init__(
        self,
        settings: Settings,
        config: WatchConfig,
        *,
        store: Store | None = None,
        extractor: Any | None = None,
        client: httpx.Client | None = None,
        stdout: TextIO | None = None,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        rng: random.Random | None = None,
        knowledge: Knowledge | None = None,
    ):
        self.settings = settings
        self.config = config
        self.store = store or open_store(settings, writing=True)
        self.state = WatchStore(self.store)
        self._extractor = extractor
        self.client = client or httpx.Client()
        self.clock = clock
        self.rng = rng or random.Random()
        self._knowledge = knowledge
        self.sinks: list[Sink] = build_sinks(config.sinks, self.client, stdout)

    @property
    def extractor(self) -> Any:
        if self._extractor is None:
            from watchfloor.pipeline.extractor import Extractor

            self._extractor = Extractor(self.settings)
        return self._extractor

    @property
    def knowledge(self) -> Knowledge:
        if self._knowledge is None:
            from watchfloor.resolve.actors import ActorKB
            from watchfloor.watch.alerts import knowledge_from_kb

            self._knowledge = knowledge_from_kb(ActorKB.load())
        return self._knowledge

    # -- one cycle ------------------------------------------------------------------------

    def cycle(self, *, force: bool = False) -> CycleReport:
        """Poll every due source (every source with ``force``), then raise and deliver alerts."""
        report = CycleReport()
        fresh: set[int] = set()
        for cfg in self.config.sources:
            outcome, added = self._poll(cfg, force)
            report.sources.append(outcome)
            fresh.update(added)
        if fresh:
            report.alerts = self._alerts(fresh, report)
        return report

    def _poll(self, cfg: Any, force: bool) -> tuple[SourceOutcome, list[int]]:
        now = self.clock()
        state = self.state.source(cfg.name) or polling.initial_state(cfg)
        if not force and not polling.is_due(state, now):
            return SourceOutcome(cfg.name, state.status, polled=False), []
        try:
            result = polling.fetch(cfg, state, self.client)
        except InputError as exc:
            failed = polling.after_failure(state, cfg, exc, now, self.rng)
            self.state.save_source(failed)
            log.warning("%s (retry after %s)", exc.one_line(), failed.next_due)
            return SourceOutcome(cfg.name, failed.status, True, error=exc.one_line()), []
        fresh = self.state.unseen(cfg.name, [h for h, _ in result.items])
        wanted = set(fresh)
        items = []
        for digest, item in result.items:
            if digest in wanted:
                items.append(item)
                wanted.discard(digest)
        added, failed_items = self._ingest(items)
        self.state.mark_seen(cfg.name, fresh, now)
        done = polling.after_success(
            state, cfg, result, now, new_items=len(fresh), articles_added=len(added)
        )
        self.state.save_source(done)
        outcome = SourceOutcome(
            cfg.name, done.status, True, len(fresh), len(added), failed_items=failed_items
        )
        return outcome, added

    def _ingest(self, items: Sequence[Any]) -> tuple[list[int], int]:
        """Extract and store new articles in batches; returns the new article ids and failures."""
        from watchfloor.pipeline.extractor import EXTRACTOR_VERSION

        added: list[int] = []
        failed = 0
        pending: list[tuple[Article, ExtractResult, str | None]] = []
        hashes: set[str] = set()
        for item in items:
            if isinstance(item, WatchfloorError):
                failed += 1
                log.warning("skipped: %s", item.one_line())
                continue
            if item.content_hash in hashes or self.store.has_article(item.content_hash):
                continue
            try:
                result = self.extractor.extract(item)
            except WatchfloorError as exc:
                failed += 1
                log.warning("extraction failed: %s", exc.one_line())
                continue
            pending.append((item, result, "watch"))
            hashes.add(item.content_hash)
            if len(pending) >= self.settings.batch_size:
                added += self.store.add_batch(pending, EXTRACTOR_VERSION).added_ids
                pending.clear()
        if pending:
            added += self.store.add_batch(pending, EXTRACTOR_VERSION).added_ids
        return added, failed

    def _alerts(self, fresh: set[int] | None, report: CycleReport) -> list[Alert]:
        found = self.evaluate(fresh)
        new = self.state.record_alerts(found, self.clock())
        for sink in self.sinks:
            try:
                sink.deliver(new, self.clock())
            except WatchfloorError as exc:
                report.sink_errors.append(exc.one_line())
                log.warning("alert sink failed: %s", exc.one_line())
        return new

    def evaluate(self, fresh: set[int] | None = None) -> list[Alert]:
        """The alerts the stored history supports (``fresh``: only those new articles raised)."""
        events = [
            view
            for stored in self.store.iter_events(EventFilter())
            if (view := EventView.from_stored(stored)) is not None
        ]
        orgs = [OrgView.from_stored(o) for o in self.store.org_developments()]
        return evaluate(events, orgs, self.knowledge, self.config.rules, fresh)

    def backfill(self) -> list[Alert]:
        """Raise (and log) alerts over the whole history, not only this cycle's articles."""
        return self._alerts(None, CycleReport())

    # -- the loop -------------------------------------------------------------------------

    def run(self, stop: threading.Event, *, once: bool = False) -> list[CycleReport]:
        """Cycle until ``stop`` is set; a failing cycle is logged and the loop goes on."""
        reports = []
        while not stop.is_set():
            try:
                reports.append(self.cycle(force=once))
            except WatchfloorError as exc:
                if once:
                    raise
                log.error("cycle failed: %s", exc.one_line())
            if once:
                break
            stop.wait(self._sleep_seconds())
        return reports

    def _sleep_seconds(self) -> float:
        """Until the next source is due, at most the configured tick."""
        now = self.clock()
        waits = [
            (s.next_due - now).total_seconds()
            for s in (self.state.source(c.name) for c in self.config.sources)
            if s is not None and s.next_due is not None
        ]
        return max(1.0, min([self.config.tick, *waits]))

    def health(self) -> list[SourceState]:
        return self.state.sources()

    def close(self) -> None:
        self.client.close()
        self.store.close()


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM (systemd, docker stop) and SIGINT end the loop after the current cycle."""

    def handler(signum: int, _frame: object) -> None:
        log.info("signal %s: stopping after this cycle", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
