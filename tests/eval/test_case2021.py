"""CASE-2021 scorer: figures worked out by hand, and a run on real snippets."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.conftest import shared_path
from watchfloor.errors import MalformedLine
from watchfloor.eval.case2021 import (
    LABELS_25,
    LABELS_30,
    NO_EVENT,
    evaluate,
    load_snippets,
    report_dict,
    score,
    score_subset,
)
from watchfloor.model import Article


def test_weighted_and_macro_f1_by_hand() -> None:
    gold = ["ATTACK", "ATTACK", "GRENADE", "DIPLO"]
    pred = ["ATTACK", "GRENADE", "GRENADE", "ATTACK"]
    s = score_subset(gold, pred, LABELS_25)
    # DIPLO is outside the 25 labels: three snippets count. ATTACK: tp 1, fp 0, fn 1 -> F1 2/3.
    # GRENADE: tp 1, fp 1, fn 0 -> F1 2/3. Weighted: (2/3*2 + 2/3*1) / 3 = 2/3.
    assert s.snippets == 3
    assert math.isclose(s.weighted_f1, 2 / 3)
    assert math.isclose(s.macro_f1, (2 / 3 + 2 / 3) / 25)
    assert math.isclose(s.accuracy, 2 / 3)
    wide = score_subset(gold, pred, LABELS_30)
    assert wide.snippets == 4 and math.isclose(wide.accuracy, 0.5)


def test_no_event_is_always_wrong_and_attrib_is_binary() -> None:
    report = score(
        ["ATTRIB", "ATTACK", "ATTRIB"], [NO_EVENT, NO_EVENT, "ATTACK"], [True, True, False]
    )
    assert report.no_event == 2
    assert report.subsets["25"].weighted_f1 == 0.0
    # claims: tp 1 (first), fp 1 (second), fn 1 (third)
    assert math.isclose(report.attrib.f1, 0.5)
    assert report_dict(report)["attrib"]["f1"] == 50.0


def test_load_and_bad_header(tmp_path: Path) -> None:
    good = tmp_path / "s.tsv"
    good.write_text(
        "id\tEventSnippet\tSubType\n1\tTroops clashed.\tARMED_CLASH\n", encoding="utf-8"
    )
    [snippet] = load_snippets(good)
    assert (snippet.snippet_id, snippet.label) == ("1", "ARMED_CLASH")
    bad = tmp_path / "b.tsv"
    bad.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(MalformedLine, match=r"b\.tsv"):
        load_snippets(bad)


@pytest.mark.slow
def test_real_snippets_run_end_to_end(extractor) -> None:
    snippets = load_snippets(shared_path("data", "case2021_task2", "dev_half.tsv"))[:60]
    report = evaluate(snippets, lambda s: extractor.extract(Article(id=s.snippet_id, text=s.text)))
    figures = report_dict(report)
    assert figures["subsets"]["25"]["snippets"] > 0
    for subset in figures["subsets"].values():
        assert 0 <= subset["macro_f1"] <= 100 and 0 <= subset["weighted_f1"] <= 100
    # the rules must get a fair share of the seen ACLED types right
    assert figures["subsets"]["25"]["accuracy"] >= 30
