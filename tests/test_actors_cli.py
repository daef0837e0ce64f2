"""`watchfloor actors search|show` and `watchfloor graph`, run as a user would."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import networkx as nx

from tests.conftest import SAMPLES, cli


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli(*args), env=env, capture_output=True, text=True, timeout=600)


def graph_json(env: dict[str, str], *args: str) -> dict:
    done = run(env, "graph", "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_sample_article_adds_the_2019_provinces(cli_env: dict[str, str], tmp_path: Path) -> None:
    sample = tmp_path / "wf-001.jsonl"
    sample.write_text(SAMPLES.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert json.loads(sample.read_text(encoding="utf-8"))["id"] == "wf-001"
    ingested = run(cli_env, "ingest", str(sample))
    assert ingested.returncode == 0, ingested.stderr

    before = graph_json(cli_env, "--as-of", "2019-05-01")
    after = graph_json(cli_env, "--as-of", "2019-06-01")
    ids_before = {n["id"] for n in before["nodes"]}
    ids_after = {n["id"] for n in after["nodes"]}
    assert "ispp" not in ids_before and "ishp" not in ids_before
    assert {"ispp", "ishp"} <= ids_after
    edges = [e for e in after["edges"] if e["target"] == "islamic-state"]
    pakistan = [e for e in edges if e["source"] == "ispp" and e["kind"] == "branch_of"]
    hind = [e for e in edges if e["source"] == "ishp" and e["kind"] == "branch_of"]
    assert hind and hind[0]["start"] == "2019-05-10"
    # edges from the article carry its id and its sentence; the KB's own edges carry neither
    news = [e for e in pakistan if e.get("article_id") is not None and e["evidence"]]
    assert news, pakistan  # the article's quote is the evidence of the new branch
    assert "Pakistan Province" in news[0]["evidence"]
    assert news[0]["start"].startswith("2019-05")
    hind_news = [e for e in hind if e.get("article_id") is not None and e["evidence"]]
    assert len(hind_news) == 1, hind  # the India branch comes from the article too
    assert "Wilayat al-Hind" in hind_news[0]["evidence"]
    assert "branch for India" in hind_news[0]["evidence"]
    assert hind_news[0]["start"] == "2019-05-10"  # "five days earlier" than Wednesday 15 May
    assert hind_news[0]["url"].endswith("wf-001")

    shown = run(cli_env, "actors", "show", "ISPP")
    assert shown.returncode == 0, shown.stderr
    assert "Islamic State Pakistan Province" in shown.stdout
    assert "news:" in shown.stdout and "Timeline" in shown.stdout


def test_graph_formats_and_output_file(cli_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    done = run(cli_env, "graph", "--as-of", "2020-01-01", "--format", "graphml", "-o", str(out))
    assert done.returncode == 0, done.stderr
    graph = nx.read_graphml(out, force_multigraph=True)
    assert graph.nodes["iskp"]["name"] == "Islamic State Khorasan Province"
    dot = run(cli_env, "graph", "--as-of", "2020-01-01", "--format", "dot")
    assert dot.returncode == 0 and dot.stdout.startswith("digraph organisations {")
    assert '"iskp" -> "islamic-state"' in dot.stdout


def test_graph_rejects_bad_options(cli_env: dict[str, str]) -> None:
    bad_day = run(cli_env, "graph", "--as-of", "2019-13-01")
    assert bad_day.returncode == 2 and "--as-of" in bad_day.stderr
    bad_format = run(cli_env, "graph", "--format", "svg")
    assert bad_format.returncode == 2 and "--format" in bad_format.stderr


def test_actors_search_and_show(cli_env: dict[str, str]) -> None:
    found = run(cli_env, "actors", "search", "khorasan")
    assert found.returncode == 0, found.stderr
    assert "iskp" in found.stdout and "AF, PK" in found.stdout
    alias = run(cli_env, "actors", "search", "Daesh")
    assert "islamic-state" in alias.stdout
    shown = run(cli_env, "actors", "show", "Jabhat Fateh al-Sham")
    assert shown.returncode == 0, shown.stderr
    assert "nusra-front" in shown.stdout and "2016-07-28" in shown.stdout
    assert "Relations" in shown.stdout and "MMP:" in shown.stdout
    missing = run(cli_env, "actors", "show", "No Such Group Anywhere")
    assert missing.returncode == 6 and "actors search" in missing.stderr
