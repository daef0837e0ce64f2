"""The Spark jobs against the single-machine code, on local[2] in .venv-spark.

pyspark lives in its own virtualenv (`make spark`), not in the test interpreter, so one
session-scoped fixture runs tests/spark/driver.py there and the tests compare its JSON dump
with the extractor and InMemoryFuser running here. Without .venv-spark the tests skip, unless
REQUIRE_SPARK_TESTS=1, when they fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, text

from tests.spark.inputs import ROOT, write_inputs

SPARK_PYTHON = ROOT / ".venv-spark" / "bin" / "python"


@pytest.fixture(scope="session")
def spark_run(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> dict:
    if not SPARK_PYTHON.exists():
        message = f"needs {SPARK_PYTHON} with pyspark (run `make spark`)"
        if os.environ.get("REQUIRE_SPARK_TESTS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    work = tmp_path_factory.mktemp("spark")
    write_inputs(work / "input")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WATCHFLOOR_", "PYSPARK"))}
    env.update(WATCHFLOOR_CACHE_DIR=str(cache_dir), WATCHFLOOR_CONFIG=str(work / "none.toml"))
    url = f"sqlite:///{work / 'wf.db'}"
    done = subprocess.run(
        [str(SPARK_PYTHON), str(Path(__file__).parent / "driver.py"), str(work), url],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    results = json.loads((work / "results.json").read_text())
    results["database_url"] = url
    results["work"] = work
    return results


def _row(values: dict) -> SimpleNamespace:
    import datetime as dt

    fixed = dict(values)
    for name in ("date_earliest", "date_latest", "published"):
        if fixed.get(name):
            fixed[name] = dt.date.fromisoformat(fixed[name])
    if fixed.get("embedding"):
        fixed["embedding"] = bytes.fromhex(fixed["embedding"])
    return SimpleNamespace(**fixed)


def test_extract_equals_single_machine(spark_run: dict, extractor) -> None:
    from watchfloor.ingest.readers import read_paths
    from watchfloor.model import Article
    from watchfloor.spark import readers

    work: Path = spark_run["work"]
    articles = [
        i for i in read_paths([str(work / "input" / "articles.jsonl")]) if isinstance(i, Article)
    ]
    warc = work / "input" / "crawl.warc.gz"
    articles += [
        i.article
        for i in readers.read_file(str(warc), warc.read_bytes())
        if isinstance(i, readers.Arrival)
    ]
    assert len(articles) == 14
    spark_results = {a["article_key"]: json.loads(a["result"]) for a in spark_run["articles"]}
    for article in articles:
        expected = extractor.extract(article).to_contract()
        got = spark_results[article.content_hash]
        assert got == expected, article.id
    assert any(r["events"] for r in spark_results.values())
    # one report row per event, org developments likewise
    assert len(spark_run["reports"]) == sum(len(r["events"]) for r in spark_results.values())
    assert len(spark_run["org_developments"]) == sum(
        len(r["org_developments"]) for r in spark_results.values()
    )


def test_retried_task_leaves_no_duplicates(spark_run: dict) -> None:
    keys = [a["article_key"] for a in spark_run["articles"]]
    assert len(keys) == len(set(keys)) == spark_run["extract"]["articles"] == 12 + 16 + 2
    report_keys = [r["report_key"] for r in spark_run["reports"]]
    assert len(report_keys) == len(set(report_keys))


def test_bad_input_is_counted_and_located(spark_run: dict) -> None:
    rejects = spark_run["rejects"]
    assert spark_run["extract"]["rejects"] == len(rejects) == 2
    by_code = {r["code"]: r for r in rejects}
    assert by_code["W202"]["input"].endswith("articles.jsonl")
    assert by_code["W202"]["position"] == 6
    assert by_code["W205"]["input"].endswith("crawl.warc.gz")
    assert "byte" in by_code["W205"]["message"] and by_code["W205"]["position"] > 0


def test_fuse_equals_in_memory_fuser(spark_run: dict) -> None:
    from watchfloor.fuse.across import InMemoryFuser
    from watchfloor.spark import rows

    reports = [_row(r) for r in spark_run["reports"]]
    reports.sort(key=lambda r: (*rows.arrival_key(r.published, r.input, r.position), r.ordinal))
    fuser = InMemoryFuser()
    clusters = fuser.add_all(rows.signal_from_report(r) for r in reports)
    key_of = {r.report_id: r.report_key for r in reports}
    expected: dict[int, set[str]] = {}
    for report_id, event_id in clusters.items():
        expected.setdefault(event_id, set()).add(key_of[report_id])
    got: dict[str, set[str]] = {}
    for m in spark_run["memberships"]:
        got.setdefault(m["event_key"], set()).add(m["report_key"])
    assert sorted(map(sorted, got.values())) == sorted(map(sorted, expected.values()))
    assert any(len(c) > 1 for c in got.values()), "the corpus should contain merges"
    assert len(spark_run["events"]) == len(got)


def test_load_twice_equals_load_once_and_matches_spark_fuse(spark_run: dict) -> None:
    first, second = spark_run["loads"]
    assert first["articles_added"] == len(spark_run["articles"])
    assert first["reports_added"] == len(spark_run["reports"])
    assert second["articles_added"] == second["reports_added"] == 0
    assert second["duplicates"] == len(spark_run["articles"])
    engine = create_engine(spark_run["database_url"])
    with engine.connect() as conn:
        stored = conn.execute(
            text(
                "SELECT a.content_hash, r.ordinal, m.event_id FROM memberships m "
                "JOIN reports r ON r.id = m.report_id JOIN articles a ON a.id = r.article_id "
                "WHERE m.valid_to IS NULL"
            )
        ).all()
        counts = {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("articles", "reports", "org_developments")
        }
    engine.dispose()
    assert counts == {
        "articles": len(spark_run["articles"]),
        "reports": len(spark_run["reports"]),
        "org_developments": len(spark_run["org_developments"]),
    }
    in_store: dict[int, set[str]] = {}
    for digest, ordinal, event_id in stored:
        in_store.setdefault(event_id, set()).add(f"{digest}:{ordinal}")
    in_spark: dict[str, set[str]] = {}
    for m in spark_run["memberships"]:
        in_spark.setdefault(m["event_key"], set()).add(m["report_key"])
    assert sorted(map(sorted, in_store.values())) == sorted(map(sorted, in_spark.values()))


def test_commands_name_the_fix_without_pyspark(tmp_path: Path) -> None:
    """The main test interpreter has no pyspark: the command says how to get it, in one line."""
    pytest.importorskip("typer")
    if _has_pyspark():
        pytest.skip("pyspark is importable here; this checks the message when it is not")
    code = (
        "import typer; from watchfloor.commands import spark; app = typer.Typer(); "
        "spark.register(app); app()"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", code, "spark", "fuse", str(tmp_path), str(tmp_path / "o")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "make spark" in lines[0] and "watchfloor[spark]" in lines[0]


def _has_pyspark() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyspark") is not None


def test_load_of_a_fuse_output_says_which_folder_to_give(spark_run: dict) -> None:
    """`watchfloor load` on the wrong folder: one line naming the fix, checked before reading."""
    assert spark_run["exists"] == [True, False]
    assert "no articles table here" in spark_run["load_fused"]
    assert "spark extract" in spark_run["load_fused"]
