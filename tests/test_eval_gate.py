"""Evaluation gate: accuracy on the newsroom development cases may not fall below its floors.

The floors live in tests/eval_floors.json. `--raise-floors` lifts them towards what was just
measured (less a margin, so noise does not fail the next run); nothing here ever lowers one.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli, shared_path

pytestmark = pytest.mark.slow

FLOORS = Path(__file__).parent / "eval_floors.json"
MAX_NON_EVENT_HITS = 3


def test_newsroom_dev_floors(
    tmp_path: Path, cli_env: dict[str, str], request: pytest.FixtureRequest
) -> None:
    scorer = shared_path("eval", "score_newsroom.py")
    cases = shared_path("newsroom-dev", "cases")
    config = json.loads(FLOORS.read_text(encoding="utf-8"))
    floors: dict[str, float] = config["newsroom-dev"]
    command = " ".join(cli("extract")) + " --input {input} --output {output}"
    report = tmp_path / "score.json"
    done = subprocess.run(
        [
            sys.executable,
            str(scorer),
            "--cases",
            str(cases),
            "--cmd",
            command,
            "--json-out",
            str(report),
        ],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = {
        m.group(1): float(m.group(2))
        for m in re.finditer(
            r"^(event F1|org F1|newsroom slot F1) = ([\d.]+)$", done.stdout, re.MULTILINE
        )
    }
    assert set(figures) == set(floors), done.stdout[-2000:]
    for name, floor in floors.items():
        assert figures[name] >= floor - config["epsilon"], (
            f"{name} fell to {figures[name]} (floor {floor})"
        )
    hits = re.search(r"non-event hits .*?: (\d+)", done.stdout)
    assert hits is not None and int(hits.group(1)) <= MAX_NON_EVENT_HITS
    saved = json.loads(report.read_text())
    assert not saved["schema_violations"], saved["schema_violations"]
    if request.config.getoption("--raise-floors"):
        for name, floor in floors.items():
            floors[name] = max(floor, round(figures[name] - config["margin"], 1))
        FLOORS.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


MUC4_GATE_DOCS = 40  # the first 40 TST1 documents of the dev file, always the same ones


def test_muc4_dev_subset_floor(extractor, request: pytest.FixtureRequest) -> None:
    """End-to-end MUC-4 (GTT micro F1) on a fixed dev subset; runs in well under a minute."""
    from watchfloor.eval import muc4

    gold = shared_path("data", "muc4", "gtt_processed", "dev.json")
    data_dir = gold.parent.parent.parent
    config = json.loads(FLOORS.read_text(encoding="utf-8"))
    floors: dict[str, float] = config["muc4-dev-40"]
    result = muc4.run(
        gold,
        extractor,
        raw_dir=data_dir / "muc4" / "raw_texts",
        limit=MUC4_GATE_DOCS,
        case_texts=muc4.default_case_texts(data_dir),
        lowered_texts=muc4.default_lowered_texts(gold),
    )
    assert result.documents == MUC4_GATE_DOCS and result.from_raw == MUC4_GATE_DOCS
    figures = {
        "micro F1": round(result.report.micro.f1, 2),
        "incident_type F1": round(result.report.per_category["incident_type"].f1, 2),
    }
    assert set(figures) == set(floors)
    for name, floor in floors.items():
        assert figures[name] >= floor - config["epsilon"], (
            f"MUC-4 {name} fell to {figures[name]} (floor {floor})"
        )
    if request.config.getoption("--raise-floors"):
        for name, floor in floors.items():
            floors[name] = max(floor, round(figures[name] - config["margin"], 1))
        FLOORS.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def test_fusion_benchmark_floor(extractor, request: pytest.FixtureRequest) -> None:
    """Cross-report fusion on samples/fusion, rules only (no embeddings), as ingest fuses."""
    from watchfloor.eval import fusion

    config = json.loads(FLOORS.read_text(encoding="utf-8"))
    floors: dict[str, float] = config["fusion"]
    result = fusion.run_benchmark(extractor, fusion.load_corpus())
    figures = {
        "bcubed F1": round(100 * result["bcubed"]["f1"], 1),
        "pairwise F1": round(100 * result["pairwise"]["f1"], 1),
    }
    assert set(figures) == set(floors)
    for name, floor in floors.items():
        assert figures[name] >= floor - config["epsilon"], (
            f"fusion {name} fell to {figures[name]} (floor {floor}); clusters: "
            f"{[c for c in result['clusters'] if len(c['gold']) > 1]}"
        )
    if request.config.getoption("--raise-floors"):
        for name, floor in floors.items():
            floors[name] = max(floor, round(figures[name] - config["margin"], 1))
        FLOORS.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
