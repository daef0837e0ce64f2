"""Ingest reliability (issue 8): a killed run resumes to the same database; parallel runs
neither duplicate nor lose anything; a repeated run adds nothing.

Everything goes through the real CLI in subprocesses, with small batches so that a run makes
many commits. The input is the fusion benchmark (several outlets per incident), so fusion
really merges reports and a resumed run has to attach new reports to events it did not make.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from collections import defaultdict
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.conftest import ROOT, cli

REPORTS = ROOT / "src" / "watchfloor" / "samples" / "fusion" / "reports-a.jsonl"
#: Input subsets as 1-based inclusive line ranges of REPORTS.
SPANS = {"all": (1, 16), "head": (1, 12), "tail": (5, 16)}
TOTAL = 16
BATCH = "2"
RUN_TIMEOUT = 300.0

# -- helpers ------------------------------------------------------------------------------


def _env(cli_env: dict[str, str], *, url: str | None = None, embeddings: bool = False) -> dict:
    env = dict(cli_env)
    env["WATCHFLOOR_BATCH_SIZE"] = BATCH
    env["WATCHFLOOR_FUSION_EMBEDDINGS"] = "true" if embeddings else "false"
    if url is not None:
        env["WATCHFLOOR_DATABASE_URL"] = url
    return env


def _db_file(env: dict[str, str]) -> Path:
    return Path(env["WATCHFLOOR_DATABASE_URL"].removeprefix("sqlite:///"))


def _ingest(env: dict[str, str], path: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        cli("ingest", str(path)), env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _start(env: dict[str, str], path: Path, log: Path) -> subprocess.Popen[bytes]:
    """An ingest in the background; its stderr goes to ``log`` (a pipe could fill and stall)."""
    with log.open("wb") as sink:
        return subprocess.Popen(
            cli("ingest", str(path)), env=env, stdout=subprocess.DEVNULL, stderr=sink
        )


def _finish(proc: subprocess.Popen[bytes], log: Path) -> str:
    try:
        proc.wait(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail(f"ingest still running after {RUN_TIMEOUT:.0f} s: {log.read_text()[-2000:]}")
    return log.read_text(errors="replace")


def _loads(value: Any) -> Any:
    """JSON columns read through text(): a string on SQLite, already decoded on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def snapshot(url: str) -> dict[str, Any]:
    """The database content with every surrogate id and timestamp replaced by stable keys.

    Articles are keyed by content hash, reports by (article external id, ordinal), events by
    the set of report keys they currently hold. Two runs over the same input in the same order
    must give equal snapshots however often they were interrupted.
    """
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return _snapshot(conn)
    finally:
        engine.dispose()


def _snapshot(conn: Any) -> dict[str, Any]:
    def rows(sql: str) -> list[dict[str, Any]]:
        return [dict(r._mapping) for r in conn.execute(text(sql))]

    article_rows = rows("SELECT * FROM articles")
    by_article = {a["id"]: a for a in article_rows}
    articles = sorted(
        (
            a["content_hash"],
            a["external_id"],
            a["title"],
            a["url"],
            a["source"],
            str(a["published"]),
            a["text"],
            a["input_name"],
            a["extractor_version"],
        )
        for a in article_rows
    )
    report_key: dict[int, tuple[str, int]] = {}
    reports: dict[tuple[str, int], str] = {}
    for r in rows("SELECT * FROM reports"):
        key = (by_article[r["article_id"]]["external_id"], r["ordinal"])
        report_key[r["id"]] = key
        body = {k: v for k, v in r.items() if k not in ("id", "article_id")}
        body["data"] = _loads(body["data"])
        body["embedding"] = bytes(body["embedding"]).hex() if body["embedding"] else None
        reports[key] = _dumps(body)
    evidence = sorted(
        (report_key[e["report_id"]], e["field"], e["start"], e["end"], e["text"])
        for e in rows("SELECT * FROM evidence")
    )
    claims = sorted(
        (report_key[c["report_id"]], c["actor"], c["stance"], c["channel"] or "")
        for c in rows("SELECT * FROM claims")
    )
    orgs = sorted(
        (by_article[o["article_id"]]["external_id"], o["ordinal"], _dumps(_loads(o["data"])))
        for o in rows("SELECT * FROM org_developments")
    )
    members: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for m in rows("SELECT report_id, event_id FROM memberships WHERE valid_to IS NULL"):
        members[m["event_id"]].add(report_key[m["report_id"]])
    event_key = {event_id: tuple(sorted(keys)) for event_id, keys in members.items()}
    versions = {
        event_key.get(v["event_id"], ("retired", v["event_id"])): (
            v["version"],
            v["report_count"],
            _dumps(_loads(v["data"])),
        )
        for v in rows("SELECT * FROM event_versions WHERE valid_to IS NULL")
    }

    def decision(c: dict[str, Any]) -> str:
        features = _loads(c["features"]) or {}
        if "member" in features:  # a report id: name the report instead
            features["member"] = report_key.get(features["member"], features["member"])
        return _dumps(
            [
                c["kind"],
                report_key.get(c["report_id"]),
                event_key.get(c["event_id"]),
                c["score"],
                features,
                c["by"],
            ]
        )

    return {
        "articles": articles,
        "reports": reports,
        "evidence": evidence,
        "claims": claims,
        "org_developments": orgs,
        "partition": sorted(event_key.values()),
        "current_versions": versions,
        "changes": sorted(decision(c) for c in rows("SELECT * FROM changes")),
        "live_events": conn.scalar(text("SELECT count(*) FROM events WHERE retired_at IS NULL")),
    }


def assert_same(got: dict[str, Any], want: dict[str, Any]) -> None:
    """Compare part by part, so a failure names what differs instead of dumping everything."""
    assert got.keys() == want.keys()
    for part in want:
        assert got[part] == want[part], f"{part} differs from the uninterrupted run"


def assert_consistent(url: str, reference: dict[str, Any]) -> None:
    """Every article once, every report once and in exactly one live event, nothing missing."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:

            def one(sql: str) -> Any:
                return conn.scalar(text(sql))

            def listed(sql: str) -> list[tuple[Any, ...]]:
                return [tuple(r) for r in conn.execute(text(sql))]

            assert one("SELECT count(*) FROM articles") == TOTAL
            assert one("SELECT count(DISTINCT content_hash) FROM articles") == TOTAL
            external = {r[0] for r in listed("SELECT external_id FROM articles")}
            assert external == {a[1] for a in reference["articles"]}, "articles lost"
            assert not listed(
                "SELECT article_id, ordinal FROM reports GROUP BY article_id, ordinal"
                " HAVING count(*) > 1"
            ), "duplicate reports"
            assert one("SELECT count(*) FROM reports") == len(reference["reports"])
            assert one("SELECT count(*) FROM evidence") == len(reference["evidence"])
            assert one("SELECT count(*) FROM claims") == len(reference["claims"])
            assert not listed(
                "SELECT r.id FROM reports r LEFT JOIN memberships m"
                " ON m.report_id = r.id AND m.valid_to IS NULL"
                " GROUP BY r.id HAVING count(m.id) <> 1"
            ), "a report is in no current event, or in several"
            assert not listed(
                "SELECT m.id FROM memberships m JOIN events e ON e.id = m.event_id"
                " WHERE m.valid_to IS NULL AND e.retired_at IS NOT NULL"
            ), "a report belongs to a retired event"
            # one fusion decision per report: none fused twice, none skipped
            decided = listed(
                "SELECT report_id, count(*) FROM changes"
                " WHERE kind IN ('new_event', 'auto_merge') GROUP BY report_id"
            )
            assert len(decided) == len(reference["reports"])
            assert all(n == 1 for _, n in decided)
            # each live event: one current version whose report count matches its members
            assert not listed(
                "SELECT e.id FROM events e"
                " LEFT JOIN event_versions v ON v.event_id = e.id AND v.valid_to IS NULL"
                " WHERE e.retired_at IS NULL GROUP BY e.id HAVING count(v.id) <> 1"
            ), "a live event without exactly one current version"
            assert not listed(
                "SELECT v.event_id FROM event_versions v"
                " JOIN memberships m ON m.event_id = v.event_id AND m.valid_to IS NULL"
                " WHERE v.valid_to IS NULL GROUP BY v.event_id, v.report_count"
                " HAVING count(m.id) <> v.report_count"
            ), "an event's report count disagrees with its members"
    finally:
        engine.dispose()


class _Watcher:
    """Reads an ingest's SQLite database from outside while it runs."""

    def __init__(self, db: Path):
        self.db = db
        self.conn: sqlite3.Connection | None = None

    def committed(self) -> int | None:
        """Articles committed so far; None until the schema exists."""
        try:
            if self.conn is None:
                # rw (no create) only to be able to probe the write lock; nothing is written
                self.conn = sqlite3.connect(
                    f"file:{self.db}?mode=rw", uri=True, timeout=0, isolation_level=None
                )
            return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            return None

    def writer_busy(self) -> bool:
        """True while another connection holds the write lock: a batch is being stored/fused."""
        assert self.conn is not None
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return True
            raise
        self.conn.execute("ROLLBACK")
        return False

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def close_leaving_wal(self) -> int:
        """Close, and return the committed article count, without checkpointing.

        The last connection to close would checkpoint and delete the killed writer's WAL; a
        read-only one cannot, so it stays open meanwhile and the re-run meets the WAL as the
        dead process left it.
        """
        with closing(sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)) as reader:
            self.close()
            return reader.execute("SELECT count(*) FROM articles").fetchone()[0]


# -- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """JSONL files holding slices of the fusion benchmark."""
    folder = tmp_path_factory.mktemp("inputs")
    lines = REPORTS.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= TOTAL
    made = {}
    for name, (first, last) in SPANS.items():
        made[name] = folder / f"{name}.jsonl"
        made[name].write_text("\n".join(lines[first - 1 : last]) + "\n", encoding="utf-8")
    return made


@pytest.fixture(scope="module")
def _reference_cache(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return {"dir": tmp_path_factory.mktemp("reference")}


@pytest.fixture
def reference(
    cli_env: dict[str, str], inputs: dict[str, Path], _reference_cache: dict[str, Any]
) -> dict[str, Any]:
    """One uninterrupted run over all inputs (made once per module): its env and snapshot."""
    if "snapshot" not in _reference_cache:
        url = f"sqlite:///{_reference_cache['dir'] / 'reference.db'}"
        env = _env(cli_env, url=url)
        _ingest(env, inputs["all"])
        _reference_cache.update(env=env, url=url, snapshot=snapshot(url))
        got = _reference_cache["snapshot"]
        assert len(got["articles"]) == TOTAL
        # the input really exercises fusion: some events hold several reports
        assert len(got["partition"]) < len(got["reports"])
    return _reference_cache


# -- tests --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at_least", "inside_write"),
    [(4, False), (8, True)],
    ids=["after-4-committed", "inside-a-write-after-8"],
)
def test_kill_9_then_rerun_gives_the_same_database(
    cli_env: dict[str, str],
    inputs: dict[str, Path],
    reference: dict[str, Any],
    tmp_path: Path,
    at_least: int,
    inside_write: bool,
) -> None:
    """SIGKILL mid-run (between commits, or while a batch holds the write lock and is being
    fused), then the same command again: the result equals the uninterrupted run."""
    env = _env(cli_env)
    db = _db_file(env)
    log = tmp_path / "killed.log"
    proc = _start(env, inputs["all"], log)
    watcher = _Watcher(db)
    seen_busy = False
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        while proc.poll() is None and time.monotonic() < deadline:
            count = watcher.committed()
            if count is not None and count >= at_least:
                if not inside_write:
                    proc.send_signal(signal.SIGKILL)
                    break
                # committed enough: now wait for the next batch to take the write lock
                while proc.poll() is None and not watcher.writer_busy():
                    time.sleep(0.001)
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    seen_busy = True
                break
            time.sleep(0.02)
        stderr = _finish(proc, log)
        at_kill = watcher.close_leaving_wal()
    finally:
        watcher.close()
    assert proc.returncode == -signal.SIGKILL, f"ingest was not killed: {stderr[-2000:]}"
    if inside_write:
        assert seen_busy
    assert at_least <= at_kill < TOTAL, f"{at_kill} articles committed when killed"
    assert Path(f"{db}-wal").exists()

    resumed = _ingest(env, inputs["all"])
    assert f"{at_kill} already stored" in resumed.stderr
    assert_same(snapshot(env["WATCHFLOOR_DATABASE_URL"]), reference["snapshot"])


def _run_two_at_once(env: dict[str, str], inputs: dict[str, Path], tmp_path: Path) -> None:
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    procs = [
        _start(env, inputs[name], log) for name, log in zip(("head", "tail"), logs, strict=True)
    ]
    outputs = [_finish(proc, log) for proc, log in zip(procs, logs, strict=True)]
    for proc, output in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, output[-3000:]
        assert "locked" not in output, output[-3000:]
    # the overlap (lines 5-12) was stored once between them, whichever got there first
    added = [int(o.rsplit(" new article(s)", 1)[0].split()[-1]) for o in outputs]
    assert sum(added) == TOTAL, outputs


def test_two_ingests_at_once_on_sqlite(
    cli_env: dict[str, str], inputs: dict[str, Path], reference: dict[str, Any], tmp_path: Path
) -> None:
    """Overlapping inputs ingested concurrently: no duplicates, nothing lost.

    Embeddings stay on here: they are computed between the duplicate check and the write
    lock, which widens the window in which the other process can store the same article.
    """
    env = _env(cli_env, embeddings=True)
    _run_two_at_once(env, inputs, tmp_path)
    assert_consistent(env["WATCHFLOOR_DATABASE_URL"], reference["snapshot"])
    with closing(sqlite3.connect(f"file:{_db_file(env)}?mode=ro", uri=True)) as conn:
        missing = conn.execute("SELECT count(*) FROM reports WHERE embedding IS NULL").fetchone()
    assert missing[0] == 0, "embeddings were not computed"


def test_two_ingests_at_once_on_postgresql(
    cli_env: dict[str, str],
    inputs: dict[str, Path],
    reference: dict[str, Any],
    tmp_path: Path,
    pg_url: str,
) -> None:
    """The same on PostgreSQL, where writers queue on an advisory lock."""
    env = _env(cli_env, url=pg_url)
    _run_two_at_once(env, inputs, tmp_path)
    assert_consistent(pg_url, reference["snapshot"])


def _table_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            return {n: conn.scalar(text(f'SELECT count(*) FROM "{n}"')) for n in names}
    finally:
        engine.dispose()


def test_rerunning_a_finished_ingest_adds_nothing(
    inputs: dict[str, Path], reference: dict[str, Any]
) -> None:
    env, url = reference["env"], reference["url"]
    status = subprocess.run(cli("status"), env=env, capture_output=True, text=True, timeout=120)
    assert status.returncode == 0, status.stderr
    assert f"articles: {TOTAL}" in status.stdout
    before = _table_counts(url)

    again = _ingest(env, inputs["all"])

    assert "0 new article(s), 0 report(s)" in again.stderr
    assert f"{TOTAL} already stored" in again.stderr
    assert _table_counts(url) == before
    after = subprocess.run(cli("status"), env=env, capture_output=True, text=True, timeout=120)
    assert after.stdout == status.stdout
    assert_same(snapshot(url), reference["snapshot"])
