"""`watchfloor eval fusion`: cross-report fusion on the bundled benchmark, and the scale run.

**Benchmark.** samples/fusion holds reports, written for the project, of about twenty
incidents by different outlets, with distractor incidents on the same day and in the same
place. Each report carries the gold incident it describes. The reports are extracted and
stored in a fresh database in publication order, as they would arrive; each article's own
report of its incident is the one that matches the gold country, date (±1 day) and event
family best. The clustering of those reports by the store is scored against the gold
incidents with pairwise and B-cubed precision, recall and F1 (eval.fusion_metrics). Articles
whose incident the extractor missed are counted and scored as singletons, so extraction
misses lower recall rather than disappear.

**Scale run.** A synthetic stream of reports (incidents in many countries and provinces, each
told one to five times with jittered dates, places and tolls) goes through the same blocking
and scoring in memory. It reports reports/s, peak memory and, because the synthetic stream
knows its incidents, the same clustering scores.
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from watchfloor.errors import MalformedLine
from watchfloor.eval.fusion_metrics import bcubed_prf, pairwise_prf
from watchfloor.fuse.across import FAMILIES, InMemoryFuser, ReportSignal
from watchfloor.model import Article

CORPUS = Path(__file__).resolve().parent.parent / "samples" / "fusion"


@dataclass(frozen=True, slots=True)
class GoldReport:
    article: Article
    incident: str
    gold: dict[str, Any]


def load_corpus(folder: Path = CORPUS) -> list[GoldReport]:
    """Every ``*.jsonl`` in the folder, in publication order (then id): the arrival order."""
    found: list[GoldReport] = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                raw = orjson.loads(line)
                article = Article(
                    id=raw["id"],
                    text=raw["text"],
                    published=dt.date.fromisoformat(raw["published"]),
                    title=raw.get("title"),
                    source=raw.get("source"),
                )
                found.append(GoldReport(article, raw["incident"], raw["gold"]))
            except (orjson.JSONDecodeError, KeyError, ValueError) as exc:
                raise MalformedLine(
                    f"not a fusion benchmark report: {exc}", source=str(path), line=number
                ) from exc
    return sorted(found, key=lambda r: (r.article.published, r.article.id))


def _fit(event: dict[str, Any], gold: dict[str, Any]) -> tuple[int, ...]:
    """How well a stored report matches the gold incident (higher is better)."""
    loc = event.get("location") or {}
    country = loc.get("country") == gold.get("country")
    day = event.get("date")
    gold_day = dt.date.fromisoformat(gold["date"])
    gap = abs((dt.date.fromisoformat(day) - gold_day).days) if day else 99
    family = FAMILIES.get(event.get("event_type", "")) == FAMILIES.get(gold.get("event_type", ""))
    same_type = event.get("event_type") == gold.get("event_type")
    return (int(country), int(gap <= 1), int(family), int(same_type), -gap)


def run_benchmark(
    extractor: Any,
    reports: Sequence[GoldReport],
    *,
    embedder: Any | None = None,
    database_url: str | None = None,
) -> dict[str, Any]:
    """Extract, store and fuse the reports in a fresh database; score the clustering.

    The database is a throwaway SQLite file unless ``database_url`` names one to keep (for
    looking at the merges with `watchfloor merges`).
    """
    from watchfloor.pipeline.extractor import EXTRACTOR_VERSION
    from watchfloor.store import Store

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wf-fusion-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'fusion.db'}"
        store = Store.open(url, embedder=embedder)
        for item in reports:
            result = extractor.extract(item.article)
            store.add_batch([(item.article, result, None)], EXTRACTOR_VERSION)
        reports_of = _reports_by_article(store)
        store.close()
    gold: dict[str, str] = {}
    predicted: dict[str, str] = {}
    missed = []
    for item in reports:
        gold[item.article.id] = item.incident
        candidates = reports_of.get(item.article.id, [])
        fitting = [(c, _fit(c[1], item.gold)) for c in candidates]
        fitting = [f for f in fitting if f[1][0] and f[1][1]]
        if fitting:
            (event_id, _), _ = max(fitting, key=lambda f: f[1])
            predicted[item.article.id] = f"event-{event_id}"
        else:
            missed.append(item.article.id)
            predicted[item.article.id] = f"missed-{item.article.id}"
    seconds = time.monotonic() - started
    return {
        "reports": len(reports),
        "incidents": len(set(gold.values())),
        "extraction_missed": missed,
        "predicted_events": len(set(predicted.values())),
        "pairwise": pairwise_prf(gold, predicted),
        "bcubed": bcubed_prf(gold, predicted),
        "embeddings": embedder is not None,
        "seconds": round(seconds, 1),
        "clusters": _clusters(gold, predicted),
    }


def _reports_by_article(store: Any) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """article's own id -> [(current event id, report's contract data)] from the store."""
    from sqlalchemy import select

    from watchfloor.store.schema import articles, memberships, reports

    query = (
        select(articles.c.external_id, memberships.c.event_id, reports.c.data)
        .join(reports, reports.c.article_id == articles.c.id)
        .join(memberships, memberships.c.report_id == reports.c.id)
        .where(memberships.c.valid_to.is_(None))
        .order_by(reports.c.id)
    )
    found: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            found.setdefault(row.external_id, []).append((row.event_id, row.data))
    return found


def _clusters(gold: dict[str, str], predicted: dict[str, str]) -> list[dict[str, Any]]:
    """The predicted clusters with the gold incidents they hold: the error analysis view."""
    groups: dict[str, list[str]] = {}
    for item, label in predicted.items():
        groups.setdefault(label, []).append(item)
    return [
        {"event": label, "reports": items, "gold": sorted({gold[i] for i in items})}
        for label, items in sorted(groups.items())
    ]


# -- scale run ---------------------------------------------------------------------------

_SUB_TYPES = (
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Explosions/Remote violence", "Suicide bomb"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Violence against civilians", "Abduction/forced disappearance"),
    ("Protests", "Peaceful protest"),
    ("Riots", "Violent demonstration"),
    ("Strategic developments", "Arrests"),
)


def synthetic_reports(
    count: int, *, seed: int = 7, countries: int = 60, provinces: int = 12, days: int = 1095
) -> Iterator[tuple[ReportSignal, int]]:
    """``count`` synthetic reports with their true incident, in arrival order.

    Incidents are spread uniformly over ``countries`` x ``provinces`` x ``days``; each is told
    by 1 to 5 reports whose date may be off by a day, whose place is jittered by a few
    kilometres (or given only at province level), whose perpetrator is sometimes unknown and
    whose toll drifts. Real news is clumpier; uniform spread is the honest middle ground for a
    throughput figure.
    """
    rng = random.Random(seed)
    start = dt.date(2022, 1, 1).toordinal()
    produced = 0
    incident = 0
    while produced < count:
        incident += 1
        country = f"C{rng.randrange(countries):02d}"
        province = f"{country}-P{rng.randrange(provinces):02d}"
        day = start + rng.randrange(days)
        lat = rng.uniform(-40, 50)
        lon = rng.uniform(-100, 120)
        event_type, sub_type = _SUB_TYPES[rng.randrange(len(_SUB_TYPES))]
        actor = frozenset({f"group-{rng.randrange(300)}"}) if rng.random() < 0.6 else frozenset()
        toll = rng.randrange(0, 30)
        for _ in range(min(count - produced, rng.randint(1, 5))):
            produced += 1
            shifted = dt.date.fromordinal(day + rng.choice((0, 0, 0, 1, -1)))
            coarse = rng.random() < 0.15
            yield (
                ReportSignal(
                    report_id=produced,
                    article_id=produced,
                    event_type=event_type,
                    sub_event_type=sub_type,
                    date_earliest=shifted,
                    date_latest=shifted,
                    country=country,
                    admin1=province,
                    place=None if coarse else f"{province}-town",
                    lat=None if coarse else lat + rng.uniform(-0.02, 0.02),
                    lon=None if coarse else lon + rng.uniform(-0.02, 0.02),
                    geo_precision=3 if coarse else 1,
                    actor_ids=actor if rng.random() < 0.7 else frozenset(),
                    fatalities=max(0, toll + rng.randint(-2, 4)),
                ),
                incident,
            )


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_scale(count: int, *, seed: int = 7) -> dict[str, Any]:
    """Block and fuse ``count`` synthetic reports in memory; time, memory and accuracy."""
    fuser = InMemoryFuser()
    gold: dict[str, int] = {}
    started = time.monotonic()
    for signal, incident in synthetic_reports(count, seed=seed):
        fuser.add(signal)
        gold[str(signal.report_id)] = incident
    seconds = time.monotonic() - started
    predicted = {str(k): v for k, v in fuser.clusters.items()}
    return {
        "reports": count,
        "events": len(fuser.members),
        "seconds": round(seconds, 1),
        "reports_per_second": round(count / seconds, 1) if seconds else 0.0,
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "pairwise": pairwise_prf(gold, predicted),
        "bcubed": bcubed_prf(gold, predicted),
    }
