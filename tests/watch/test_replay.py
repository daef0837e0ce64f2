"""A week of articles replayed day by day through a JSONL drop: exactly the expected alerts."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.watch.conftest import FIXTURES, Clock
from watchfloor.settings import Settings
from watchfloor.store import Store
from watchfloor.watch.config import parse_config
from watchfloor.watch.runner import Watcher

#: (publication day of the article that raises it, alert key)
EXPECTED = [
    ("2019-05-14", "org_development:branch_announced:ispp:islamic state:2019-05-14"),
    ("2019-05-16", "first_in_admin2:ttp:PK:Lakki Marwat District"),
    ("2019-05-17", "branch_first_event:ispp"),
    ("2019-05-17", "first_clash:iskp:taliban"),
    ("2019-05-18", "claim_contradicts_attribution:{event}:bla:ttp"),
    ("2019-05-19", "fatality_spike:PK:Khyber Pakhtunkhwa:2019-05-19"),
]


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory, extractor) -> dict:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("replay")
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'wf.db'}", cache_dir=tmp, fusion_embeddings=False
    )
    drop = tmp / "drop"
    drop.mkdir()
    cfg = parse_config(
        {
            "sources": [{"name": "drop", "kind": "jsonl", "path": str(drop)}],
            "sinks": {"stdout": True, "jsonl": str(tmp / "alerts.jsonl")},
        }
    )
    stdout = io.StringIO()
    watcher = Watcher(
        settings,
        cfg,
        store=Store.open(settings.resolved_database_url),
        extractor=extractor,
        stdout=stdout,
        clock=Clock(),
        rng=random.Random(0),
    )
    lines = (FIXTURES / "week.jsonl").read_text(encoding="utf-8").splitlines()
    days: dict[str, list[str]] = {}
    for line in lines:
        days.setdefault(json.loads(line)["published"], []).append(line)
    fired: list[tuple[str, str]] = []
    for day in sorted(days):  # time order: one drop file and one cycle per day
        (drop / f"{day}.jsonl").write_text("\n".join(days[day]) + "\n", encoding="utf-8")
        report = watcher.cycle(force=True)
        fired += [(day, a.key) for a in report.alerts]
    again = watcher.cycle(force=True)
    return {
        "watcher": watcher,
        "fired": fired,
        "again": again,
        "stdout": stdout.getvalue(),
        "log": tmp / "alerts.jsonl",
        "settings": settings,
    }


def _expected(watcher: Watcher) -> list[tuple[str, str]]:
    [kech] = [
        e.id
        for e in watcher.store.events()
        if (e.data.get("location") or {}).get("admin2") == "Kech District"
        and e.data["date"] == "2019-05-18"
    ]
    return [(day, key.format(event=kech)) for day, key in EXPECTED]


def test_exactly_the_expected_alerts_fire_in_time_order(replay: dict) -> None:
    assert replay["fired"] == _expected(replay["watcher"])


def test_nothing_fires_twice(replay: dict) -> None:
    again = replay["again"]
    assert again.alerts == [] and again.articles_added == 0
    watcher = replay["watcher"]
    # evaluating the whole history finds the same alerts, all already logged
    assert {a.key for a in watcher.evaluate()} == {k for _, k in replay["fired"]}
    # so a backfill over the whole history has nothing left to raise
    assert watcher.backfill() == []
    logged = replay["log"].read_text(encoding="utf-8").splitlines()
    assert len(logged) == len(replay["fired"])


def test_alerts_cite_events_and_evidence(replay: dict) -> None:
    logged = [json.loads(line) for line in replay["log"].read_text(encoding="utf-8").splitlines()]
    by_rule = {a["rule"]: a for a in logged}
    branch = by_rule["branch_first_event"]
    assert branch["details"]["days_after"] == 3 and branch["org_ids"]
    assert any("Mastung" in e["quote"] for e in branch["evidence"])
    spike = by_rule["fatality_spike"]
    assert spike["details"]["fatalities"] >= 25 and spike["event_ids"]
    for alert in logged:
        assert alert["evidence"], alert["key"]
    assert "[first_clash]" in replay["stdout"]


def test_coverage_and_alert_commands(replay: dict, tmp_path: Path) -> None:
    import typer

    from watchfloor.commands.watch import register

    app = typer.Typer()
    register(app)
    url = replay["settings"].resolved_database_url
    runner = CliRunner()
    result = runner.invoke(app, ["alerts", "--format", "json", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert sorted(a["key"] for a in json.loads(result.output)) == sorted(
        k for _, k in _expected(replay["watcher"])
    )
    result = runner.invoke(
        app,
        ["coverage", "--format", "json", "--country", "PK", "--database-url", url],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["since"], report["until"]) == ("2019-05-13", "2019-05-19")
    regions = {r["name"]: r for r in report["regions"]}
    kp = regions["Khyber Pakhtunkhwa"]
    kp_days = {
        e.data["date"]
        for e in replay["watcher"].store.events()
        if (e.data.get("location") or {}).get("admin1") == "Khyber Pakhtunkhwa"
    }
    # Bannu's checkpoint attack and market bombing were each told by two outlets
    assert kp["days_with_events"] == len(kp_days) >= 3 and kp["single_source_share"] < 1.0
    # Balochistan had no events on the 13th, 15th, 16th and 19th although Pakistan was reported
    assert regions["Balochistan"]["quiet_days"] == 4 and regions["Balochistan"]["silent_days"] == 0
    sources = {r["name"]: r for r in report["sources"]}
    assert sources["Northern Courier"]["single_source_share"] == 0.0
    assert sources["Northern Courier"]["silent_days"] == 5
