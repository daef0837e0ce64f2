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


def hold_floors(
    section: str, figures: dict[str, float], request: pytest.FixtureRequest, context: str = ""
) -> None:
    """Fail when a figure fell below its floor in ``section``; with --raise-floors, lift each
    floor to (measured - margin) when that is higher and save the file."""
    config = json.loads(FLOORS.read_text(encoding="utf-8"))
    floors: dict[str, float] = config[section]
    assert set(figures) == set(floors), (sorted(figures), sorted(floors), context)
    for name, floor in floors.items():
        assert figures[name] >= floor - config["epsilon"], (
            f"{section} {name} fell to {figures[name]} (floor {floor}) {context}"
        )
    if request.config.getoption("--raise-floors"):
        for name, floor in floors.items():
            floors[name] = max(floor, round(figures[name] - config["margin"], 1))
        FLOORS.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def test_newsroom_dev_floors(
    tmp_path: Path, cli_env: dict[str, str], request: pytest.FixtureRequest
) -> None:
    scorer = shared_path("eval", "score_newsroom.py")
    cases = shared_path("newsroom-dev", "cases")
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
    hits = re.search(r"non-event hits .*?: (\d+)", done.stdout)
    assert hits is not None and int(hits.group(1)) <= MAX_NON_EVENT_HITS
    saved = json.loads(report.read_text())
    assert not saved["schema_violations"], saved["schema_violations"]
    hold_floors("newsroom-dev", figures, request, done.stdout[-2000:])


MUC4_GATE_DOCS = 40  # the first 40 TST1 documents of the dev file, always the same ones


def test_muc4_dev_subset_floor(extractor, request: pytest.FixtureRequest) -> None:
    """End-to-end MUC-4 (GTT micro F1) on a fixed dev subset; runs in well under a minute."""
    from watchfloor.eval import muc4

    gold = shared_path("data", "muc4", "gtt_processed", "dev.json")
    data_dir = gold.parent.parent.parent
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
    hold_floors("muc4-dev-40", figures, request)


def test_fusion_benchmark_floor(extractor, request: pytest.FixtureRequest) -> None:
    """Cross-report fusion on samples/fusion, rules only (no embeddings), as ingest fuses."""
    from watchfloor.eval import fusion

    result = fusion.run_benchmark(extractor, fusion.load_corpus())
    figures = {
        "bcubed F1": round(100 * result["bcubed"]["f1"], 1),
        "pairwise F1": round(100 * result["pairwise"]["f1"], 1),
    }
    clusters = [c for c in result["clusters"] if len(c["gold"]) > 1]
    hold_floors("fusion", figures, request, f"clusters: {clusters}")


def test_geoparsing_floors(cache_dir: Path, request: pytest.FixtureRequest) -> None:
    """Toponym recognition and resolution on LGL and GeoVirus (a few seconds each)."""
    from watchfloor.eval import geo
    from watchfloor.resolve.gazetteer import Gazetteer

    gazetteer = Gazetteer.open(cache_dir / "gazetteer")
    figures = {}
    for corpus in ("lgl", "GeoVirus"):
        docs = geo.load_corpus(shared_path("data", "geoparsing", f"{corpus}.xml"))
        report = geo.evaluate(docs, gazetteer)
        figures[f"{corpus} F1"] = round(100 * report.f1, 1)
        figures[f"{corpus} Acc@161"] = round(100 * (report.acc_161 or 0.0), 1)
        if report.admin1_accuracy is not None:
            figures[f"{corpus} admin1"] = round(100 * report.admin1_accuracy, 1)
    hold_floors("geoparsing", figures, request)
