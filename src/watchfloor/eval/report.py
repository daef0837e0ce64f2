"""Render docs/benchmarks.md from the JSON figures that `make eval` collects.

Every table row is printed from a figures file written by one command, and the command, the
date and the commit are printed beside it, so the page cannot drift from what was measured.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from watchfloor.errors import MalformedLine, UnreadableInput

# file stem in the results folder -> (title, command that produced it, published reference)
SECTIONS: dict[str, tuple[str, str, str]] = {
    "newsroom": (
        "Newsroom development articles (extraction contract)",
        ".venv/bin/watchfloor eval newsroom --cases ../shared/newsroom-dev/cases "
        "--json-out build/eval/newsroom.json (same figures as ../shared/eval/score_newsroom.py)",
        "none published; these articles were read while writing the rules",
    ),
    "case": (
        "CASE-2021 task 2 (event type of a news snippet), dev half",
        ".venv/bin/watchfloor eval case --data ../shared/data/case2021_task2/dev_half.tsv "
        "--json-out build/eval/case.json",
        "weighted F1 83.9 (25 labels), 79.7 (28), 77.1 (30), trained transformers",
    ),
    "geo-lgl": (
        "Geoparsing: LGL",
        ".venv/bin/watchfloor eval geo --data ../shared/data/geoparsing/lgl.xml "
        "--json-out build/eval/geo-lgl.json",
        "voting ensemble mean Acc@161 0.86 over 12 corpora",
    ),
    "geo-geovirus": (
        "Geoparsing: GeoVirus",
        ".venv/bin/watchfloor eval geo --data ../shared/data/geoparsing/GeoVirus.xml "
        "--json-out build/eval/geo-geovirus.json",
        "voting ensemble mean Acc@161 0.86 over 12 corpora",
    ),
    "wikievents": (
        "WikiEvents dev, end to end (attack, die, injure events and their arguments)",
        ".venv/bin/watchfloor eval wikievents --data ../shared/data/wikievents/dev.jsonl "
        "--json-out build/eval/wikievents.json",
        "argument head F1 with gold triggers: BART-Gen 64.57, TSAR 69.70 (ours has no gold "
        "triggers)",
    ),
    "relations": (
        "Mapping Militant Organizations: relation type and group pair per sentence",
        ".venv/bin/watchfloor eval relations --data ../shared/data/mmp_militant_relations "
        "--json-out build/eval/relations.json",
        "none published",
    ),
    "muc4": (
        "MUC-4 dev (TST1+TST2), end to end: our extractor, events mapped to MUC templates",
        ".venv/bin/watchfloor eval muc4 --gold ../shared/data/muc4/gtt_processed/dev.json "
        "--full-slots ../shared/data/muc4/full_slots/dev_tst1_tst2.jsonl "
        "--json-out build/eval/muc4.json",
        "GTT micro F1 on the test split (TST3+TST4): IterX (T5-large) 53.0, GTT 50.23; "
        "trained on MUC-4 train",
    ),
    "muc4-check": (
        "MUC-4 GTT metric check (our scorer on the check file with dropped templates)",
        ".venv/bin/watchfloor eval muc4 --gold ../shared/data/muc4/gtt_processed/dev.json "
        "--pred ../shared/data/muc4/metric_check/pred_b_dropped.json "
        "--json-out build/eval/muc4-check.json",
        "reference scorer: micro F1 43.14 on this file",
    ),
    "fusion": (
        "Cross-report fusion: hand-written reports of 20 incidents and 8 distractors",
        ".venv/bin/watchfloor eval fusion --json-out build/eval/fusion.json",
        "goal B-cubed F1 >= 0.90 (issue 8); none published on this corpus",
    ),
    "fusion-scale": (
        "Fusion scale run: synthetic reports blocked and fused in memory",
        ".venv/bin/watchfloor eval fusion --scale 1000000 --json-out build/eval/fusion-scale.json",
        "goal: 1 million events in <= 10 minutes with <= 2 GiB on 2 cores (issue 8)",
    ),
    "actors": (
        "Actor resolution: mention -> knowledge-base actor",
        ".venv/bin/watchfloor eval actors --data tests/resolve/data/mentions.tsv "
        "--json-out build/eval/actors.json",
        "none published; the test set is UCDP GED Pakistan side names, the newsroom-dev gold "
        "actors and our own period, branch and state-force cases",
    ),
    "bench": (
        "Speed and memory",
        ".venv/bin/watchfloor bench --articles 96 --min-words 400 --json-out build/eval/bench.json",
        "ratio to spaCy's own en_core_web_sm pipeline on the same texts",
    ),
}


NOTES: dict[str, str] = {
    "newsroom": "The rules were written while reading these 15 articles, so expect less on "
    "unseen text; the CI gate holds the floors in tests/eval_floors.json.",
    "case": "The table is the rule path: a snippet is classified by the first event found; "
    "there are no rule classes for crime, disasters or diplomacy, so its 28- and 30-label "
    "figures are lower bounds. The classifier that make train fits on this file scores, by "
    "5-fold cross-validation, weighted F1 78.77 / 80.82 / 81.19 on 25 / 28 / 30 labels with "
    "the shipped folds (seed 13) and 79.57 / 81.50 / 82.02 as the mean over seeds 13-15 "
    "(python -m watchfloor.train.event_classifier [--seed N], see the Makefile's train target); "
    "scored on this file itself it would be a training-set figure.",
    "geo-lgl": "Each article is read twice: the second time with its outlet's local lexicon, "
    "the places of the same site's other articles in the first reading (no gold is read), so "
    "a local paper's Alexandria is the one near its readers and its small towns stand alone. "
    "Of the 242 resolved toponyms still more than 161 km off, 158 are a namesake in the right "
    "country (Logan, Arlington), 35 a namesake abroad (London, Lancaster), and 49 the right "
    "GeoNames entry whose point differs: provinces get the centre of their settled extent, not "
    "GeoNames' own point (Virginia's is Richmond, Ontario's lies farther north). Countries use "
    "the World Factbook point that countryinfo ships, the US the contiguous states' centre. "
    "With only half the corpus (fewer sibling articles per outlet) F1 is about 0.82 and "
    "admin1 accuracy about 0.89.",
    "geo-geovirus": "GeoVirus is one outlet, Wikinews, with no home region, so no local "
    "lexicon applies. Its gold points come from Wikipedia, whose country points often differ "
    "from GeoNames' by more than 161 km: China 35N 103E against 35N 105E (46 of the 300 misses), "
    "Australia 24, Sudan 15, DR Congo 21, and Europe (GeoNames' point is in Germany) 18. "
    "Provinces get the centre of their settled extent (Queensland 14, Ontario 12), and "
    "Wikipedia puts England at London (12). With LGL's GeoNames points, a change that wins "
    "on one corpus loses on the other.",
    "wikievents": "A predicted event may align with several gold events (an attack and its "
    "deaths); arguments are scored per gold event.",
    "relations": "Every prediction beyond the row's one gold relation counts as wrong, even "
    "when true.",
    "muc4": "Ours is dev, not test. Incident types come from our ACLED-style events (rules); "
    "the role fillers from a linear model over noun-phrase features trained on MUC-4 train "
    "(`make train`, thresholds from 2-fold cross-validation on train), applied to every noun "
    "phrase of the document, each filler going to the template (one per incident: events of "
    "one type in adjacent sentences) whose events' sentences are nearest; a message where no "
    "event fires gets a template from a document-level incident model trained on MUC-4 train; "
    "`--roles rules` gives the untrained baseline. Extra "
    "slots are scored on the template pairs the GTT metric chose; accuracy counts agreeing "
    "pairs (both empty included), P/R/F1 also count values on unpaired templates.",
    "muc4-check": "This checks our implementation of the metric, not our extractor.",
    "fusion": "Each article's report of its incident is the one matching the gold country, "
    "date (±1 day) and family; articles whose incident the extractor missed count as "
    "singletons. Most remaining splits come from extraction (a dateline city taken for the "
    "place, an air strike coded as a bomb), not from the fusion rules.",
    "fusion-scale": "Uniformly spread synthetic incidents told 1 to 5 times with jittered "
    "dates, places and tolls; no text, so no embeddings. Real news is clumpier.",
    "actors": "The newsroom rows were read while the knowledge base was written, so expect "
    "less on unseen names; tests/resolve/test_mentions.py holds the floor.",
    "bench": "Samples and re-cased MUC-4 train texts alternate in the corpus; with "
    "--min-words 400 an article shorter than 400 words goes on with the texts after it, so "
    "every article is at least as long as the speed target's. Extraction runs "
    "in worker processes that each load the models once (loading is not timed); the 2-core "
    "machine is shared, so the 2-worker figure is a floor. Ingest includes extraction; "
    "'fusion, store path' writes already extracted reports into a fresh database; the "
    "in-memory run fuses synthetic reports with no text. Queries run on the ingested database. "
    "Geoparsing runs alone in a fresh process: its peak RSS is the loaded gazetteer's plus the "
    "interpreter's.",
}


MEASURED = "_measured"  # key load_results adds: the day (UTC) the figures file was written


def stamp(figures: Mapping[str, Any]) -> dict[str, Any]:
    """The figures with ``measured`` (today, UTC) and ``commit`` (short HEAD of the checkout,
    with ``+dirty`` when files are modified) added, for the page to print beside the section.
    A figures writer calls this just before writing; outside a git checkout commit is None."""
    import subprocess

    root = Path(__file__).resolve().parents[3]
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            timeout=10,
        ).stdout.strip()
        commit: str | None = head + ("+dirty" if dirty else "") if head else None
    except (OSError, subprocess.SubprocessError):
        commit = None
    today = dt.datetime.now(dt.UTC).date().isoformat()
    return {**figures, "measured": figures.get("measured") or today, "commit": commit}


def load_results(folder: Path) -> dict[str, dict[str, Any]]:
    """Every ``<name>.json`` in the folder, by name; a broken file is an error naming it.

    Each figures dict gets ``_measured``: its own ``measured`` field when the command wrote one,
    else the day the file was last written, so a page rendered from files of several runs says
    which figure comes from when."""
    if not folder.is_dir():
        raise UnreadableInput("no such results folder (run `make eval`)", source=str(folder))
    results = {}
    for path in sorted(folder.glob("*.json")):
        try:
            figures = json.loads(path.read_text(encoding="utf-8"))
            written = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).date()
        except (OSError, json.JSONDecodeError) as exc:
            raise MalformedLine(f"not a figures file: {exc}", source=str(path)) from exc
        if not isinstance(figures, dict):
            raise MalformedLine("not a figures file: not a JSON object", source=str(path))
        figures[MEASURED] = str(figures.get("measured") or written.isoformat())
        results[path.stem] = figures
    return results


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def _body(name: str, figures: Mapping[str, Any]) -> list[str]:
    if name == "actors":
        rows = [
            [origin, row["total"], row["right"], row["accuracy"]]
            for origin, row in [*figures["by_origin"].items(), ("all", figures["overall"])]
        ]
        return [
            *_table(["origin", "mentions", "right", "accuracy %"], rows),
            "",
            f"Answers marked unresolved (generic classes such as gunmen): "
            f"{figures['unresolved']}; wrong or no answer: {len(figures['misses'])}.",
        ]
    if name == "newsroom":
        h = figures["headline"]
        return _table(
            ["event F1", "org F1", "newsroom slot F1", "articles/s"],
            [
                [
                    h["event_f1"],
                    h["org_f1"],
                    h["newsroom_slot_f1"],
                    figures["run"]["articles_per_second"],
                ]
            ],
        )
    if name == "case":
        rows = [
            [s["labels"], s["snippets"], s["accuracy"], s["weighted_f1"], s["macro_f1"]]
            for s in figures["subsets"].values()
        ]
        a = figures["attrib"]
        return [
            *_table(["labels", "snippets", "accuracy", "weighted F1", "macro F1"], rows),
            "",
            f"Claims of responsibility (ATTRIB): P {a['precision']}, R {a['recall']}, "
            f"F1 {a['f1']}; snippets with no event: {figures['no_event']}.",
        ]
    if name.startswith("geo-"):

        def r(key: str) -> Any:
            value = figures.get(key)
            return "–" if value is None else round(value, 3) if isinstance(value, float) else value

        return _table(
            ["articles", "P", "R", "F1", "Acc@161", "median km", "AUC", "country", "admin1"],
            [
                [
                    r("docs"),
                    r("precision"),
                    r("recall"),
                    r("f1"),
                    r("acc_161"),
                    r("median_error_km"),
                    r("auc"),
                    r("country_accuracy"),
                    r("admin1_accuracy"),
                ]
            ],
        )
    if name == "wikievents":
        head, coref = figures["arguments"]["head"], figures["arguments"]["coref"]
        rows = [
            [
                "event detection",
                *(round(figures["event_detection"][k], 3) for k in ("precision", "recall", "f1")),
                "–",
            ]
        ]
        rows += [
            [
                role,
                *(round(head[role][k], 3) for k in ("precision", "recall", "f1")),
                round(coref[role]["f1"], 3),
            ]
            for role in head
        ]
        return _table(["", "P", "R", "F1 (head)", "F1 (coref)"], rows)
    if name == "relations":
        rows = [
            [kind, v["precision"], v["recall"], v["f1"]]
            for kind, v in {**figures["per_kind"], "micro": figures["micro"]}.items()
        ]
        return _table(["relation", "P", "R", "F1"], rows)
    if name == "muc4":
        rows = [
            [row, v["precision"], v["recall"], v["f1"]]
            for row, v in figures.items()
            if isinstance(v, dict) and "f1" in v and "p_num" in v
        ]
        lines = [
            *_table(["category", "P", "R", "F1"], rows),
            "",
            f"{figures['documents']} documents ({figures['from_raw']} from the original "
            f"upper-case messages, truecased: {figures['truecased']}; roles filled by the "
            f"{figures.get('roles', 'rules')}), {figures['seconds']} s.",
        ]
        slots = figures.get("full_slots")
        if slots:
            slot_rows = [
                [slot, v["pairs"], v["accuracy"], v["precision"], v["recall"], v["f1"]]
                for slot, v in slots.items()
            ]
            lines += [
                "",
                "Extra slots (full_slots) over the template pairs the metric chose:",
                "",
                *_table(["slot", "pairs", "accuracy", "P", "R", "F1"], slot_rows),
            ]
        return lines
    if name == "muc4-check":
        rows = [
            [row, v["precision"], v["recall"], v["f1"]]
            for row, v in figures.items()
            if isinstance(v, dict) and "f1" in v
        ]
        return _table(["category", "P", "R", "F1"], rows)
    if name in ("fusion", "fusion-scale"):
        rows = [
            [kind, *(round(figures[kind][k], 3) for k in ("precision", "recall", "f1"))]
            for kind in ("pairwise", "bcubed")
        ]
        if name == "fusion":
            tail = (
                f"{figures['reports']} reports of {figures['incidents']} incidents -> "
                f"{figures['predicted_events']} events; embeddings "
                f"{'on' if figures['embeddings'] else 'off'}; extraction missed "
                f"{len(figures['extraction_missed'])} reports; {figures['seconds']} s."
            )
        else:
            tail = (
                f"{figures['reports']} reports -> {figures['events']} events in "
                f"{figures['seconds']} s ({figures['reports_per_second']} reports/s); "
                f"peak RSS {figures['peak_rss_mib']} MiB."
            )
        return [*_table(["measure", "P", "R", "F1"], rows), "", tail]
    if name == "bench":
        return bench_lines(figures)
    return ["```", json.dumps(figures, indent=2)[:2000], "```"]


def bench_lines(figures: Mapping[str, Any]) -> list[str]:
    """The bench table and its summary line (the summary is also what `watchfloor bench`
    prints under its table)."""

    def cell(value: Any) -> Any:
        return value if value else "–"

    rows = [
        [
            t["name"],
            t["items"],
            t.get("unit", "articles"),
            t["items_per_second"],
            cell(t["words_per_second"]),
            cell(t["p50_ms"]),
            cell(t["p95_ms"]),
        ]
        for t in figures["timings"]
    ]
    corpus = f"{figures['articles']} articles, {figures['words']} words"
    if "muc4_articles" in figures:
        corpus += f" ({figures['sample_articles']} samples, {figures['muc4_articles']} MUC-4 train)"
    summary = (
        f"Extraction speed (1 worker) / spaCy pipeline speed: {figures['ceiling_ratio']}; "
        f"2 workers / 1 worker: {figures.get('speedup_2_workers', '–')}; peak RSS "
        f"{figures['peak_rss_mib']} MiB (largest worker "
        f"{figures.get('worker_peak_rss_mib', '–')} MiB); {corpus}."
    )
    if figures.get("gazetteer_rss_mib"):
        summary += (
            f" Geoparsing alone: peak RSS {figures['gazetteer_rss_mib']} MiB in a fresh process"
            f" (index opened in {figures['gazetteer_load_s']} s)."
        )
    if figures.get("gazetteer_entries"):
        summary += (
            f" The gazetteer index: {figures['gazetteer_entries']:,} entries,"
            f" {figures['gazetteer_mib']} MiB on disk, built in {figures['gazetteer_build_s']} s."
        )
    header = ["stage", "items", "unit", "items/s", "words/s", "p50 ms", "p95 ms"]
    return [*_table(header, rows), "", summary]


def _measured_line(figures: Mapping[str, Any]) -> str:
    commit = figures.get("commit")
    return f"Measured on {figures[MEASURED]}" + (f" at commit `{commit}`." if commit else ".")


def render(results: Mapping[str, Mapping[str, Any]], commit: str, day: dt.date) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `make eval` on {day.isoformat()} at commit `{commit}` on the project's "
        "2-core machine, with `../shared` beside the checkout. Each section names the command "
        "that wrote its figures and the published reference figure to compare with.",
    ]
    ordered = [n for n in SECTIONS if n in results] + [n for n in results if n not in SECTIONS]
    days = sorted({str(results[n].get(MEASURED)) for n in ordered if results[n].get(MEASURED)})
    if len(days) > 1:
        lines += [
            "",
            f"> The figures files come from runs on {len(days)} different days "
            f"({days[0]} to {days[-1]}); each section says when its figures were measured.",
        ]
    for name in ordered:
        figures = results[name]
        title, command, reference = SECTIONS.get(name, (name, "(unknown)", "–"))
        lines += [
            "",
            f"## {title}",
            "",
            f"    {command}",
            "",
            *([_measured_line(figures), ""] if figures.get(MEASURED) else []),
            *_body(name, figures),
            "",
            f"Reference: {reference}. {NOTES.get(name, '')}".rstrip(),
        ]
    return "\n".join(lines) + "\n"
