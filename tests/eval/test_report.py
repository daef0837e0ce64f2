"""docs/benchmarks.md rendering: every figure printed comes from a figures file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from watchfloor.errors import MalformedLine, UnreadableInput
from watchfloor.eval.report import load_results, render

CASE = {
    "subsets": {
        "25": {
            "labels": 25,
            "snippets": 4,
            "accuracy": 50.0,
            "weighted_f1": 41.5,
            "macro_f1": 12.25,
        }
    },
    "attrib": {"precision": 100.0, "recall": 50.0, "f1": 66.67},
    "no_event": 1,
}
NEWSROOM = {
    "headline": {"event_f1": 97.4, "org_f1": 100.0, "newsroom_slot_f1": 91.8},
    "run": {"articles_per_second": 2.5},
}


def test_render_orders_sections_and_prints_figures(tmp_path: Path) -> None:
    (tmp_path / "case.json").write_text(json.dumps(CASE))
    (tmp_path / "newsroom.json").write_text(json.dumps(NEWSROOM))
    page = render(load_results(tmp_path), "abc1234", dt.date(2026, 11, 25))
    assert "at commit `abc1234`" in page and "2026-11-25" in page
    assert page.index("Newsroom development") < page.index("CASE-2021")
    assert "| 97.4 | 100.0 | 91.8 | 2.5 |" in page
    assert "| 25 | 4 | 50.0 | 41.5 | 12.25 |" in page
    assert "F1 66.67" in page
    assert "watchfloor eval case --data" in page


def test_missing_folder_and_broken_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput):
        load_results(tmp_path / "absent")
    (tmp_path / "bench.json").write_text("{not json")
    with pytest.raises(MalformedLine, match="bench"):
        load_results(tmp_path)
