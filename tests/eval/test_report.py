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


ACTORS = {
    "overall": {"right": 3, "total": 4, "accuracy": 75.0},
    "by_origin": {"own": {"right": 3, "total": 4, "accuracy": 75.0}},
    "unresolved": 1,
    "misses": [{"mention": "x", "expected": "a", "got": None, "origin": "own"}],
}


def test_each_section_says_when_it_was_measured(tmp_path: Path) -> None:
    import os

    (tmp_path / "case.json").write_text(json.dumps(CASE))
    (tmp_path / "actors.json").write_text(json.dumps(ACTORS))
    (tmp_path / "newsroom.json").write_text(json.dumps({**NEWSROOM, "measured": "2026-01-02"}))
    old = dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC).timestamp()
    os.utime(tmp_path / "case.json", (old, old))
    page = render(load_results(tmp_path), "abc1234", dt.date(2026, 11, 25))
    case = page[page.index("## CASE-2021") :]
    assert "Measured on 2026-03-04." in case.split("## ")[1]
    assert "Measured on 2026-01-02." in page[page.index("## Newsroom") : page.index("## CASE")]
    assert "runs on 3 different days (2026-01-02 to " in page
    assert "| own | 4 | 3 | 75.0 |" in page and "| all | 4 | 3 | 75.0 |" in page
    assert "wrong or no answer: 1" in page


def test_one_day_needs_no_note(tmp_path: Path) -> None:
    (tmp_path / "case.json").write_text(json.dumps({**CASE, "measured": "2026-05-05"}))
    page = render(load_results(tmp_path), "abc1234", dt.date(2026, 11, 25))
    assert "different days" not in page and "Measured on 2026-05-05." in page


def test_figures_file_must_be_an_object(tmp_path: Path) -> None:
    (tmp_path / "case.json").write_text("[1, 2]")
    with pytest.raises(MalformedLine, match="case"):
        load_results(tmp_path)


# Sections whose command `make eval` does not run (none: every section is regenerated).
NOT_YET_IN_MAKEFILE: set[str] = set()


def _makefile_eval_commands() -> set[str]:
    text = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    body = text.split("\neval:", 1)[1].split("\n\n", 1)[0].replace("\\\n", " ")
    commands = set()
    for line in body.splitlines()[1:]:
        line = " ".join(line.split())
        line = line.replace("$(BIN)", ".venv/bin").replace("$(EVAL_DIR)", "build/eval")
        if "--json-out" in line:
            commands.add(line)
    return commands


def test_page_commands_are_what_make_eval_runs() -> None:
    """The command printed above each section is the one the Makefile runs for it."""
    from watchfloor.eval.report import SECTIONS

    made = _makefile_eval_commands()
    assert made, "no eval commands found in the Makefile"
    for name, (_, command, _) in SECTIONS.items():
        if name in NOT_YET_IN_MAKEFILE:
            continue
        shown = command.split(" (")[0]
        assert shown in made, f"{name}: page says {shown!r}; make eval runs {sorted(made)}"
    outputs = {c.split("--json-out ")[1].split()[0] for c in made}
    assert outputs == {f"build/eval/{n}.json" for n in SECTIONS if n not in NOT_YET_IN_MAKEFILE}


def test_stamp_records_day_and_commit_and_the_page_prints_them(tmp_path: Path) -> None:
    from watchfloor.eval.report import stamp

    stamped = stamp({"x": 1})
    assert stamped["x"] == 1
    assert stamped["measured"] == dt.datetime.now(dt.UTC).date().isoformat()
    # this test runs from the checkout: a short hash, with +dirty when files are modified
    assert stamped["commit"] and len(stamped["commit"].split("+")[0]) >= 7
    assert stamp({"measured": "2026-01-02"})["measured"] == "2026-01-02"
    (tmp_path / "case.json").write_text(
        json.dumps({**CASE, "measured": "2026-01-02", "commit": "abc1234+dirty"})
    )
    page = render(load_results(tmp_path), "fff0000", dt.date(2026, 11, 25))
    assert "Measured on 2026-01-02 at commit `abc1234+dirty`." in page
