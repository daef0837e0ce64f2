"""The fusion and review commands as a user runs them: ingest two outlets' reports of one
bombing, see why they were fused, split them, merge them back, correct a field, look back."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

from tests.conftest import ROOT, cli

FUSION = ROOT / "src" / "watchfloor" / "samples" / "fusion" / "reports-a.jsonl"


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)


def _two_reports_of_one_bombing(tmp_path: Path) -> Path:
    lines = [json.loads(line) for line in FUSION.read_text(encoding="utf-8").splitlines()]
    wanted = [line for line in lines if line["id"] in ("fa-001", "fa-004")]
    assert {line["incident"] for line in wanted} == {"a01"}  # same incident, two outlets
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in wanted), encoding="utf-8")
    return path


def _events(env: dict[str, str], *extra: str) -> list[dict]:
    done = run(cli("events", "--format", "json", *extra), env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_fuse_explain_split_merge_correct_and_look_back(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "WATCHFLOOR_FUSION_EMBEDDINGS": "false"}
    before_ingest = dt.datetime.now(dt.UTC).isoformat()
    done = run(cli("ingest", str(_two_reports_of_one_bombing(tmp_path))), env)
    assert done.returncode == 0, done.stderr
    assert "fused into known events" in done.stderr

    fused = [
        e
        for e in _events(env)
        if {s["source"] for s in e["sources"]}
        >= {
            "Frontier Ledger",
            "Indus Evening Post",
        }
    ]
    assert len(fused) == 1, "the two outlets' reports of the Quetta bombing are one event"
    event = fused[0]
    event_id = str(event["id"])
    later_report = str(event["sources"][1]["report_id"])

    done = run(cli("merges", event_id, "--format", "json"), env)
    assert done.returncode == 0, done.stderr
    trail = json.loads(done.stdout)
    assert [c["kind"] for c in trail][:2] == ["new_event", "auto_merge"]
    assert trail[1]["score"] >= 0.55 and "day_gap" in trail[1]["features"]

    done = run(cli("show", event_id), env)
    assert done.returncode == 0, done.stderr
    assert "Reports fused into this event" in done.stdout
    assert "Indus Evening Post" in done.stdout

    done = run(cli("unmerge", event_id, later_report, "--by", "tester"), env)
    assert done.returncode == 0, done.stderr
    new_id = done.stdout.split("forms event")[1].strip()
    done = run(cli("merge", event_id, new_id, "--by", "tester", "--note", "one bombing"), env)
    assert done.returncode == 0, done.stderr
    done = run(cli("correct", event_id, "location.admin2", "Quetta District", "--by", "t"), env)
    assert done.returncode == 0, done.stderr

    [now] = [e for e in _events(env) if str(e["id"]) == event_id]
    assert now["location"]["admin2"] == "Quetta District"
    assert len(now["sources"]) == 2
    # before anything was ingested the database knew no events
    assert _events(env, "--as-of", before_ingest) == []

    done = run(cli("show", new_id), env)
    assert done.returncode == 6 and f"merged into event {event_id}" in done.stderr


def test_bad_as_of_and_near_are_usage_errors(cli_env: dict[str, str]) -> None:
    done = run(cli("events", "--as-of", "last tuesday"), cli_env)
    assert done.returncode == 2 and "--as-of" in done.stderr and "W100" in done.stderr
    done = run(cli("events", "--near", "30,67"), cli_env)
    assert done.returncode == 2 and "LAT,LON,KM" in done.stderr
