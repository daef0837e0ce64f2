"""`watchfloor bench`: speed and memory of extraction, ingest, fusion and queries on this machine.

The corpus mixes the bundled sample articles with the MUC-4 training texts (when the shared
data is beside the checkout), alternating the two so a small corpus holds both kinds: modern
wire copy, and the 1989-1992 Latin American messages, re-cased because they were stored in
lower case. Repeated texts get a marker line so ingest cannot skip them as duplicates.

Stages, each timed per item so p50/p95 mean something:

- extract with 1 and 2 worker processes, each worker building its ``Extractor`` once and
  taking chunks of articles through ``extract_many``, as `watchfloor extract --input` does;
- the spaCy ceiling: spaCy's tokenizer + NER alone (``nlp.pipe``, the other components
  excluded) over the same texts in one process; our one-worker speed is reported as a ratio
  of it, which says more than seconds on a machine nobody else has;
- ingest: extract + store + fuse through ``ingest_items``, as `watchfloor ingest` does;
- fusion on the store path: the already extracted results written into a fresh database,
  where each report is matched against stored events (reports -> events);
- fusion in memory: ``eval.fusion.run_scale`` on synthetic reports, no database;
- a query mix on the filled database: filtered lists, event detail, radius, as-of, counts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import multiprocessing
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from watchfloor.errors import MalformedLine, UnreadableInput
from watchfloor.model import Article, ExtractResult
from watchfloor.settings import Settings

#: MUC-4 training texts in the shared data beside the checkout (absent in a plain install).
DEFAULT_MUC4_TRAIN = (
    Path(__file__).resolve().parents[3].parent / "shared/data/muc4/gtt_processed/train.json"
)
#: MUC-4 messages carry their date in a dateline gtt_processed drops; a nominal day of the era
#: keeps the date stage running as it would on dated news.
MUC4_PUBLISHED = dt.date(1990, 1, 15)


@dataclass(frozen=True, slots=True)
class Timing:
    name: str
    items: int
    seconds: float
    items_per_second: float
    words_per_second: float
    p50_ms: float
    p95_ms: float
    unit: str = "articles"


@dataclass(frozen=True, slots=True)
class BenchReport:
    articles: int
    words: int
    words_per_article: float  # the targets are stated for 400-word articles
    sample_articles: int  # how many corpus articles came from the samples ...
    muc4_articles: int  # ... and how many from the MUC-4 training texts
    timings: tuple[Timing, ...]
    ceiling_ratio: float  # our 1-worker extraction speed / spaCy pipeline speed, same texts
    speedup_2_workers: float  # 2-worker / 1-worker extraction throughput
    peak_rss_mib: float  # this process
    worker_peak_rss_mib: float  # the largest worker process
    gazetteer_rss_mib: float = 0.0  # peak RSS of a fresh process that geoparses the corpus
    gazetteer_load_s: float = 0.0  # opening the built index in that process
    gazetteer_entries: int = 0  # the index: places and units ...
    gazetteer_mib: float = 0.0  # ... its size on disk ...
    gazetteer_build_s: float = 0.0  # ... and how long it took to build (from its manifest)
    fusion_scale: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- corpus


def load_muc4_texts(path: Path) -> list[tuple[str, str]]:
    """(docid, doctext) of a GTT JSON Lines file; empty when the file is absent."""
    if not path.is_file():
        return []
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UnreadableInput(f"cannot read: {exc.strerror or exc}", source=str(path)) from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            out.append((str(record["docid"]), str(record["doctext"])))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise MalformedLine(
                f"not a GTT document line: {exc}", source=str(path), line=number
            ) from exc
    return out


def build_corpus(
    samples: Sequence[Article],
    size: int,
    muc4: Sequence[tuple[str, str]] = (),
    recase: Callable[[str], str] = lambda text: text,
    min_words: int = 0,
) -> list[Article]:
    """``size`` articles alternating samples and MUC-4 texts, each copy with its own text.

    With ``min_words``, an article shorter than that goes on with the texts that follow it in
    the corpus, as further paragraphs, until it is long enough (the speed target is stated
    for 400-word articles, and the samples run to about 250).

    Without MUC-4 texts the samples alone are cycled. A text used a second time gets a
    "(Copy k ...)" line, so every article has a distinct content hash. Only the MUC-4 texts
    the corpus uses are re-cased.
    """
    originals: list[list[Callable[[], Article]]] = [[lambda a=a: a for a in samples]]
    if muc4:
        originals.append(
            [
                lambda d=docid, t=text: Article(
                    id=d, text=recase(t), published=MUC4_PUBLISHED, source="MUC-4"
                )
                for docid, text in muc4
            ]
        )
    pools = [p for p in originals if p]
    made: dict[tuple[int, int], Article] = {}
    used = [0] * len(pools)
    corpus = []
    for n in range(size if pools else 0):
        k = n % len(pools)
        index, copy = used[k] % len(pools[k]), used[k] // len(pools[k])
        used[k] += 1
        if (k, index) not in made:
            made[(k, index)] = pools[k][index]()
        base = made[(k, index)]
        text = base.text if copy == 0 else f"{base.text}\n\n(Copy {copy} for benchmarking.)"
        corpus.append(base.model_copy(update={"id": f"{base.id}-{copy}", "text": text}))
    if min_words > 0 and _words(a.text for a in corpus) > 0:
        corpus = [_lengthened(corpus, i, min_words) for i in range(len(corpus))]
    return corpus


def _lengthened(corpus: Sequence[Article], i: int, min_words: int) -> Article:
    parts = [corpus[i].text]
    j = i
    while _words(parts) < min_words:
        j += 1
        parts.append(corpus[j % len(corpus)].text)
    return corpus[i].model_copy(update={"text": "\n\n".join(parts)})


def _words(texts: Iterable[str]) -> int:
    return sum(len(t.split()) for t in texts)


# --------------------------------------------------------------------------- timing


def _timing(
    name: str,
    durations: Sequence[float],
    words: int,
    *,
    wall: float | None = None,
    unit: str = "articles",
) -> Timing:
    """Figures of one stage; ``wall`` (elapsed time) replaces the sum of durations for
    throughput when items ran in parallel."""
    total = wall if wall is not None else sum(durations)
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
        unit=unit,
    )


def _each(items: Sequence[Any], work: Callable[[Any], Any]) -> list[float]:
    durations = []
    for item in items:
        started = time.perf_counter()
        work(item)
        durations.append(time.perf_counter() - started)
    return durations


# --------------------------------------------------------------------------- extraction workers

_WORKER: Any = None  # the Extractor of this worker process, built once by _init_worker


def _init_worker(settings: Settings) -> None:
    from watchfloor.pipeline.extractor import Extractor

    global _WORKER
    _WORKER = Extractor(settings)
    _WORKER.warm_up()


def _extract_timed(chunk: list[Article]) -> list[tuple[ExtractResult, float]]:
    """A chunk through ``extract_many``, as batch mode runs it; each article's latency is the
    chunk's time shared evenly (spaCy runs over the chunk at once)."""
    started = time.perf_counter()
    results = _WORKER.extract_many(chunk)
    each = (time.perf_counter() - started) / max(len(chunk), 1)
    for r in results:
        if isinstance(r, Exception):
            raise r
    return [(r, each) for r in results]


def _worker_rss(_: int) -> float:
    time.sleep(0.05)  # hold this worker so the next call lands on another one
    return _own_peak_rss_mib()  # a forked worker's VmHWM starts at its RSS when forked


def extract_parallel(
    settings: Settings, corpus: Sequence[Article], workers: int
) -> tuple[list[ExtractResult], Timing, float]:
    """Extract the corpus with ``workers`` processes; results in corpus order, the timing
    (throughput from wall time, latency per article inside the workers) and the largest
    worker's peak RSS in MiB. Model loading and a warm-up round are not timed."""
    # fork where the platform has it (no re-import of the caller's main module); each worker
    # still builds its own Extractor in _init_worker
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(settings,)) as pool:
        from watchfloor.cli import BATCH_CHUNK

        warm = [[a] for a in corpus[: 2 * workers]]
        pool.map(_extract_timed, warm, chunksize=1)
        chunks = [list(corpus[k : k + BATCH_CHUNK]) for k in range(0, len(corpus), BATCH_CHUNK)]
        started = time.perf_counter()
        done = [pair for got in pool.map(_extract_timed, chunks, chunksize=1) for pair in got]
        wall = time.perf_counter() - started
        rss = max(pool.map(_worker_rss, range(workers), chunksize=1), default=0.0)
    label = f"extract ({workers} worker{'s' if workers > 1 else ''})"
    timing = _timing(label, [d for _, d in done], _words(a.text for a in corpus), wall=wall)
    return [r for r, _ in done], timing, rss


@dataclass(frozen=True, slots=True)
class _Geoparse:
    durations: list[float]
    load_s: float
    rss_mib: float
    entries: int
    mib: float
    build_s: float


def _geoparse_timed(cache_dir: Path, texts: list[str]) -> _Geoparse:
    """Open the gazetteer (timed), warm it on a few texts, then time ``find_toponyms`` per
    text; with this process's peak RSS and the index's size and build time."""
    from watchfloor.resolve.gazetteer import Gazetteer

    started = time.perf_counter()
    gazetteer = Gazetteer.open(cache_dir)
    loaded = time.perf_counter() - started
    for text in texts[:4]:
        gazetteer.find_toponyms(text)
    durations = _each(texts, gazetteer.find_toponyms)
    info = gazetteer.info()
    return _Geoparse(
        durations,
        loaded,
        _own_peak_rss_mib(),
        int(info.get("entries", 0)),
        Path(info["path"]).stat().st_size / 2**20,
        float(info.get("build_seconds", 0.0)),
    )


def _own_peak_rss_mib() -> float:
    """This process's peak RSS since it began its program: Linux's VmHWM, which starts afresh
    at exec, where ``ru_maxrss`` keeps the high-water mark of the process it was forked from."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def geoparse_alone(settings: Settings, corpus: Sequence[Article]) -> tuple[Timing, _Geoparse]:
    """Toponym recognition and resolution on its own, in a fresh spawned process so that its
    peak RSS is the gazetteer's (plus the interpreter), not the extractor's models."""
    texts = [a.text for a in corpus]
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        run = pool.apply(_geoparse_timed, (settings.gazetteer_dir, texts))
    timing = _timing("geoparse: gazetteer toponyms (1 process)", run.durations, _words(texts))
    return timing, run


# --------------------------------------------------------------------------- store stages


def _store_fusion(url: str, corpus: Sequence[Article], results: Sequence[ExtractResult]) -> Timing:
    """Pre-extracted results into a fresh store, one article per transaction: the cost of
    writing reports and matching each against the stored events."""
    from watchfloor.pipeline.extractor import EXTRACTOR_VERSION
    from watchfloor.store import Store

    store = Store.open(url)
    durations: list[float] = []
    reports = 0
    try:
        for article, result in zip(corpus, results, strict=True):
            started = time.perf_counter()
            outcome = store.add_batch([(article, result, None)], EXTRACTOR_VERSION)
            durations.append(time.perf_counter() - started)
            reports += outcome.reports_added
    finally:
        store.close()
    total = sum(durations)
    timing = _timing("fusion, store path", durations, 0)
    # per-article latency, throughput in reports (what the fuser consumes)
    return Timing(
        name=timing.name,
        items=reports,
        seconds=timing.seconds,
        items_per_second=round(reports / total, 2) if total else 0.0,
        words_per_second=0.0,
        p50_ms=timing.p50_ms,
        p95_ms=timing.p95_ms,
        unit="reports",
    )


class _Clock:
    """Stands in for the Rich progress bar of ``ingest_items`` to time each article: the
    gaps between its updates (a batch commit lands on the article that triggered it)."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.moments: list[dt.datetime] = []

    def add_task(self, *_: Any, **__: Any) -> int:
        return 0

    def start(self) -> None:
        self.ticks.append(time.perf_counter())
        self.moments.append(dt.datetime.now(dt.UTC))

    def update(self, *_: Any, **__: Any) -> None:
        self.ticks.append(time.perf_counter())

    def stop(self) -> None:
        self.moments.append(dt.datetime.now(dt.UTC))

    def durations(self) -> list[float]:
        return [b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)]

    def wall(self) -> float:
        return self.ticks[-1] - self.ticks[0] if len(self.ticks) > 1 else 0.0

    def middle(self) -> dt.datetime:
        """Half way through the ingest: an as-of moment that sees part of the data."""
        first, last = self.moments[0], self.moments[-1]
        return first + (last - first) / 2


def _query_mix(store: Any, as_of: dt.datetime, rounds: int = 20) -> list[Timing]:
    """Timings of the reads an analyst or the API makes, on the filled database."""
    from watchfloor.store import EventFilter

    everything = store.events(EventFilter(limit=200))
    ids = [e.id for e in everything] or [1]
    points = []
    countries = []
    for e in everything:
        loc = e.data.get("location") or {}
        if loc.get("lat") is not None and loc.get("lon") is not None:
            points.append((float(loc["lat"]), float(loc["lon"])))
        if loc.get("country"):
            countries.append(str(loc["country"]))
    points = points or [(33.7, 73.1)]
    countries = sorted(set(countries)) or ["PK"]
    lists = [
        EventFilter(country=countries[n % len(countries)], limit=50)
        if n % 4 == 0
        else EventFilter(event_type="Battles", limit=50)
        if n % 4 == 1
        else EventFilter(actor="islamic state", limit=50)
        if n % 4 == 2
        else EventFilter(since=dt.date(2015, 1, 1), until=dt.date(2024, 12, 31), limit=50)
        for n in range(rounds)
    ]
    near = [EventFilter(near=(*points[n % len(points)], 100.0), limit=50) for n in range(rounds)]
    past = [EventFilter(as_of=as_of, limit=50) for _ in range(rounds)]
    counts = [EventFilter(country=countries[n % len(countries)]) for n in range(rounds)]
    detail = [ids[n % len(ids)] for n in range(rounds)]
    return [
        _timing("query: events list, filtered", _each(lists, store.events), 0, unit="queries"),
        _timing("query: event detail", _each(detail, store.event), 0, unit="queries"),
        _timing("query: radius 100 km", _each(near, store.events), 0, unit="queries"),
        _timing("query: as-of list", _each(past, store.events), 0, unit="queries"),
        _timing("query: count_events", _each(counts, store.count_events), 0, unit="queries"),
    ]


# --------------------------------------------------------------------------- the run


def run_bench(
    settings: Settings,
    samples: Sequence[Article],
    size: int = 100,
    *,
    muc4_train: Path | None = DEFAULT_MUC4_TRAIN,
    fusion_reports: int = 100_000,
    workers: Sequence[int] = (1, 2),
    min_words: int = 0,
) -> BenchReport:
    """Every stage on a corpus of ``size`` articles (see the module docstring)."""
    from watchfloor.eval.fusion import run_scale
    from watchfloor.eval.muc4 import build_recaser, default_case_texts
    from watchfloor.pipeline.extractor import Extractor
    from watchfloor.service import ingest_items
    from watchfloor.store import Store

    extractor = Extractor(settings)  # models load after the workers fork, see below
    muc4 = load_muc4_texts(muc4_train) if muc4_train is not None else []
    recase = (
        build_recaser(
            extractor,
            [*(a.text for a in samples), *default_case_texts(muc4_train.parents[2])],
            [t for _, t in muc4],
        )
        if muc4 and muc4_train is not None
        else (lambda text: text)
    )
    corpus = build_corpus(samples, size, muc4, recase, min_words)
    words = _words(a.text for a in corpus)

    timings: list[Timing] = []
    results: list[ExtractResult] = []
    worker_rss = 0.0
    by_workers: dict[int, Timing] = {}
    for n in workers:
        got, timing, rss = extract_parallel(settings, corpus, n)
        results = results or got
        by_workers[n] = timing
        timings.append(timing)
        worker_rss = max(worker_rss, rss)

    extractor.warm_up()
    import spacy

    components = spacy.load(settings.spacy_model).component_names
    ner = spacy.load(settings.spacy_model, exclude=[c for c in components if c != "ner"])
    list(ner.pipe(a.text for a in corpus[:4]))  # warm-up, not timed
    ticks = [time.perf_counter()]
    for _ in ner.pipe(a.text for a in corpus):
        ticks.append(time.perf_counter())
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    ceiling = _timing("spaCy ceiling: tokenizer + NER (1 process)", gaps, words)
    timings.append(ceiling)
    del ner
    geoparse, geo = geoparse_alone(settings, corpus)
    timings.append(geoparse)

    with tempfile.TemporaryDirectory(prefix="wf-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        store = Store.open(url)
        jsonl = Path(tmp) / "corpus.jsonl"
        jsonl.write_text(
            "\n".join(
                a.model_dump_json(include={"id", "text", "published", "title", "url", "source"})
                for a in corpus
            )
            + "\n",
            encoding="utf-8",
        )
        clock = _Clock()
        ingest_items(
            settings.model_copy(update={"database_url": url}),
            [str(jsonl)],
            store=store,
            extractor=extractor,
            progress=clock,  # type: ignore[arg-type]  # duck-typed: only the calls it makes
        )
        timings.append(
            _timing("ingest (extract+store+fuse)", clock.durations(), words, wall=clock.wall())
        )
        if results:
            timings.append(_store_fusion(f"sqlite:///{Path(tmp) / 'fuse.db'}", corpus, results))
        timings.extend(_query_mix(store, clock.middle()))
        store.close()

    scale: dict[str, Any] = {}
    if fusion_reports > 0:
        scale = run_scale(fusion_reports)
        seconds = float(scale["seconds"]) or 1e-9
        timings.append(
            Timing(
                name="fusion, in memory (synthetic)",
                items=fusion_reports,
                seconds=seconds,
                items_per_second=float(scale["reports_per_second"]),
                words_per_second=0.0,
                p50_ms=0.0,
                p95_ms=0.0,
                unit="reports",
            )
        )

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    one = by_workers.get(1)
    two = by_workers.get(2)
    ratio = (
        one.items_per_second / ceiling.items_per_second
        if one is not None and ceiling.items_per_second
        else 0.0
    )
    speedup = (
        two.items_per_second / one.items_per_second
        if one is not None and two is not None and one.items_per_second
        else 0.0
    )
    samples_used = sum(1 for a in corpus if a.source != "MUC-4")
    return BenchReport(
        articles=size,
        words=words,
        words_per_article=round(words / size, 1) if size else 0.0,
        sample_articles=samples_used,
        muc4_articles=len(corpus) - samples_used,
        timings=tuple(timings),
        ceiling_ratio=round(ratio, 3),
        speedup_2_workers=round(speedup, 2),
        peak_rss_mib=round(peak, 1),
        worker_peak_rss_mib=round(worker_rss, 1),
        gazetteer_rss_mib=round(geo.rss_mib, 1),
        gazetteer_load_s=round(geo.load_s, 3),
        gazetteer_entries=geo.entries,
        gazetteer_mib=round(geo.mib, 1),
        gazetteer_build_s=round(geo.build_s, 1),
        fusion_scale={k: v for k, v in scale.items() if k not in ("reports",)},
    )


def report_dict(report: BenchReport) -> dict[str, Any]:
    return asdict(report)
