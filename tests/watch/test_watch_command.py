"""`watchfloor watch --once` as a user runs it: a YAML config, one good and one dead source."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.watch.conftest import FIXTURES
from watchfloor.cli import app
from watchfloor.store import Store

pytestmark = pytest.mark.slow


def _config(tmp_path: Path, *, dead_feed: bool) -> Path:
    drop = tmp_path / "drop"
    drop.mkdir(exist_ok=True)
    lines = (FIXTURES / "week.jsonl").read_text(encoding="utf-8").splitlines()
    (drop / "day1.jsonl").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    sources = [f"  - name: drop\n    kind: jsonl\n    path: {drop}\n"]
    if dead_feed:
        # port 9 (discard) is closed on a test machine: the connection is refused at once
        sources.append("  - name: dead wire\n    kind: rss\n    url: http://127.0.0.1:9/feed\n")
    path = tmp_path / "watch.yaml"
    path.write_text(
        "sources:\n" + "".join(sources) + f"sinks:\n  stdout: true\n  jsonl: {tmp_path}/a.jsonl\n",
        encoding="utf-8",
    )
    return path


def test_watch_once_ingests_reports_health_and_is_idempotent(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WATCHFLOOR_FUSION_EMBEDDINGS", "false")
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    runner = CliRunner()
    args = ["watch", "--once", "--database-url", url, "--config"]

    healthy = runner.invoke(app, [*args, str(_config(tmp_path, dead_feed=False))])
    assert healthy.exit_code == 0, healthy.output
    assert "drop" in healthy.output and "ok" in healthy.output
    store = Store.open(url)
    first = store.counts()
    assert first["articles"] == 2 and first["events"] >= 1

    # the same drop again plus a dead feed: nothing new is stored, the dead source is named
    # in the health table, and --once exits 7 so a cron job notices
    degraded = runner.invoke(app, [*args, str(_config(tmp_path, dead_feed=True))])
    assert degraded.exit_code == 7, degraded.output
    assert "dead wire" in degraded.output
    assert store.counts() == first


def test_watch_with_a_bad_config_says_which_file(tmp_path) -> None:
    path = tmp_path / "watch.yaml"
    path.write_text("sources: []\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["watch", "--once", "--config", str(path)])
    assert result.exit_code != 0
    assert str(path) in result.output and "sources" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
