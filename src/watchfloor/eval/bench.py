"""`watchfloor bench`: speed and memory of extraction, ingest and queries on this machine.

The corpus is the bundled sample articles repeated (each copy made distinct so ingest cannot
skip it as a duplicate). The ceiling is spaCy's own tokenizer + tagger + parser + NER over the
same texts: our extraction speed is reported as a ratio of it, which says more than seconds on
a machine nobody else has.
"""

from __future__ import annotations

import datetime as dt
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from watchfloor.model import Article
from watchfloor.settings import Settings


@dataclass(frozen=True, slots=True)
class Timing:
    name: str
    items: int
    seconds: float
    items_per_second: float
    words_per_second: float
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True, slots=True)
class BenchReport:
    articles: int
    words: int
    timings: tuple[Timing, ...]
    ceiling_ratio: float  # our extraction speed / spaCy pipeline speed, same texts
    peak_rss_mib: float


def build_corpus(samples: Sequence[Article], size: int) -> list[Article]:
    """``size`` articles cycling through the samples, each copy with its own text."""
    corpus = []
    for n in range(size):
        base = samples[n % len(samples)]
        copy = n // len(samples)
        text = base.text if copy == 0 else f"{base.text}\n\n(Copy {copy} for benchmarking.)"
        corpus.append(base.model_copy(update={"id": f"{base.id}-{copy}", "text": text}))
    return corpus


def _timing(name: str, durations: Sequence[float], words: int) -> Timing:
    total = sum(durations)
    ordered = sorted(durations)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0
    return Timing(
        name=name,
        items=len(durations),
        seconds=round(total, 3),
        items_per_second=round(len(durations) / total, 2) if total else 0.0,
        words_per_second=round(words / total, 1) if total else 0.0,
        p50_ms=round(1000 * statistics.median(ordered), 2) if ordered else 0.0,
        p95_ms=round(1000 * p95, 2),
    )


def _each(items: Sequence[Any], work: Callable[[Any], Any]) -> list[float]:
    durations = []
    for item in items:
        started = time.perf_counter()
        work(item)
        durations.append(time.perf_counter() - started)
    return durations


def run_bench(settings: Settings, samples: Sequence[Article], size: int = 100) -> BenchReport:
    from watchfloor.pipeline.extractor import Extractor
    from watchfloor.service import ingest_items
    from watchfloor.store import EventFilter, Store

    corpus = build_corpus(samples, size)
    words = sum(len(a.text.split()) for a in corpus)
    extractor = Extractor(settings)
    extractor.warm_up()
    extract = _timing("extract", _each(corpus, extractor.extract), words)

    import spacy

    full = spacy.load(settings.spacy_model)  # the whole installed pipeline, NER included
    ceiling = _timing("spacy ceiling", _each([a.text for a in corpus], full), words)

    with tempfile.TemporaryDirectory() as tmp:
        store_settings = settings.model_copy(
            update={"database_url": f"sqlite:///{Path(tmp) / 'bench.db'}"}
        )
        store = Store.open(store_settings.resolved_database_url)
        jsonl = Path(tmp) / "corpus.jsonl"
        jsonl.write_text(
            "\n".join(
                a.model_dump_json(include={"id", "text", "published", "title", "url", "source"})
                for a in corpus
            )
            + "\n",
            encoding="utf-8",
        )
        started = time.perf_counter()
        ingest_items(store_settings, [str(jsonl)], store=store, extractor=extractor)
        ingest_seconds = time.perf_counter() - started
        ingest = _timing("ingest", [ingest_seconds / size] * size, words)
        filters = [
            EventFilter(),
            EventFilter(country="PK"),
            EventFilter(event_type="Battles"),
            EventFilter(actor="islamic state"),
            EventFilter(since=dt.date(2019, 1, 1), until=dt.date(2020, 12, 31)),
        ] * 20
        queries = _timing("query mix", _each(filters, store.events), 0)
        store.close()

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    ratio = extract.items_per_second / ceiling.items_per_second if ceiling.items_per_second else 0
    return BenchReport(
        articles=size,
        words=words,
        timings=(extract, ceiling, ingest, queries),
        ceiling_ratio=round(ratio, 3),
        peak_rss_mib=round(peak, 1),
    )


def report_dict(report: BenchReport) -> dict[str, Any]:
    return asdict(report)
