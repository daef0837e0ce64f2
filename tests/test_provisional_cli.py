"""`watchfloor actors provisional|confirm|reject|merge`, run as a user would, and the graph
that applies the decisions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import cli

ARTICLE = """Jamaat al-Nur pledges allegiance to Islamic State

A little-known militant group calling itself Jamaat al-Nur pledged allegiance to the Islamic \
State on Tuesday, according to a statement posted online. The group said it would fight under \
the banner of the Islamic State in northern Mozambique.
"""
NUR = "provisional:jamaat-al-nur"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli(*args), env=env, capture_output=True, text=True, timeout=600)


def nodes(env: dict[str, str]) -> dict[str, dict]:
    done = run(env, "graph", "--format", "json")
    assert done.returncode == 0, done.stderr
    return {n["id"]: n for n in json.loads(done.stdout)["nodes"]}


def test_unknown_group_is_reviewed_from_the_command_line(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    story = tmp_path / "nur.txt"
    story.write_text(ARTICLE, encoding="utf-8")
    ingested = run(cli_env, "ingest", str(story), "--published", "2024-02-14")
    assert ingested.returncode == 0, ingested.stderr

    listed = run(cli_env, "actors", "provisional")
    assert listed.returncode == 0, listed.stderr
    assert NUR in listed.stdout and "2024-02-13" in listed.stdout  # "on Tuesday"
    assert "pledged allegiance" in listed.stdout and "news:" in listed.stdout
    assert nodes(cli_env)[NUR]["status"] == "provisional"

    missing = run(cli_env, "actors", "confirm", "provisional:nobody", "--by", "ana")
    assert missing.returncode == 6 and "actors provisional" in missing.stderr
    no_reviewer = run(cli_env, "actors", "confirm", NUR)
    assert no_reviewer.returncode != 0 and "--by" in no_reviewer.stderr
    bad_parent = run(cli_env, "actors", "confirm", NUR, "--parent", "nobody-at-all", "--by", "x")
    assert bad_parent.returncode == 6 and "--parent" in bad_parent.stderr

    confirmed = run(cli_env, "actors", "confirm", NUR, "--by", "ana", "--note", "two sources")
    assert confirmed.returncode == 0, confirmed.stderr
    assert "confirmed by ana" in confirmed.stdout
    node = nodes(cli_env)[NUR]
    assert (node["status"], node["kind"], node["name"]) == ("confirmed", "group", "Jamaat al-Nur")
    pending = run(cli_env, "actors", "provisional")
    assert pending.returncode == 0 and NUR not in pending.stdout
    decided = run(cli_env, "actors", "provisional", "--all")
    assert NUR in decided.stdout and "confirmed by ana" in decided.stdout

    # a second decision replaces the first: merged into a known group, then rejected
    merged = run(cli_env, "actors", "merge", NUR, "ISCAP", "--by", "ben")
    assert merged.returncode == 0, merged.stderr
    graph = run(cli_env, "graph", "--format", "json")
    data = json.loads(graph.stdout)
    assert NUR not in {n["id"] for n in data["nodes"]}
    folded = [e for e in data["edges"] if e.get("merged_from") == NUR]
    assert folded and folded[0]["kind"] == "pledge" and folded[0]["target"] == "islamic-state"
    rejected = run(cli_env, "actors", "reject", NUR, "--by", "ana")
    assert rejected.returncode == 0, rejected.stderr
    data = json.loads(run(cli_env, "graph", "--format", "json").stdout)
    assert not any(NUR in (e["source"], e["target"]) or e.get("merged_from") for e in data["edges"])
