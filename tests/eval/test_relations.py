"""MMP relation scoring: loader errors, the matching rules, and one run on the real CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import shared_path
from watchfloor.errors import InputError, MalformedLine
from watchfloor.eval.relations import (
    KIND_ORDER,
    RelationExample,
    evaluate,
    load_relations,
    report_dict,
    same_name,
    score,
)
from watchfloor.pipeline.relations import GroupRelation
from watchfloor.resolve.actors import ActorKB

HEADER = "unique_id,type,group1_id,group2_id,date,description,group1_name,group2_name\n"


def _ex(kind: str, g1: str, g2: str) -> RelationExample:
    return RelationExample("1", kind, g1, g2, f"{g1} and {g2}.", 2)


def _rel(kind: str, a: str, b: str) -> GroupRelation:
    return GroupRelation(kind, a, b, 0, 1, "x")


def test_load_relations(tmp_path: Path) -> None:
    path = tmp_path / "rel.csv"
    path.write_text(
        HEADER + '7,spl,1,2,1/1/99,"A split from B, they said.",Alpha Front,Beta (BB)\n'
        "8,mer,1,2,1/1/99,Hizbul Islam\\'s units merged,Alpha Front,Beta (BB)\n",
        encoding="utf-8",
    )
    rows = load_relations(path)
    assert [(r.unique_id, r.kind, r.group1, r.group2, r.line) for r in rows] == [
        ("7", "splinter", "Alpha Front", "Beta (BB)", 2),
        ("8", "merger", "Alpha Front", "Beta (BB)", 3),
    ]
    assert rows[0].description == "A split from B, they said."
    assert rows[1].description == "Hizbul Islam's units merged"


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("7,xyz,1,2,1/1/99,text,A,B\n", 2),
        ("7,all,1,2,1/1/99,text,A,B\n8,riv,1,2,1/1/99,text,,B\n", 3),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path: Path, body: str, line: int) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(MalformedLine) as info:
        load_relations(path)
    assert isinstance(info.value, InputError)
    assert info.value.source == str(path) and info.value.line == line
    assert f"{path}:{line}" in str(info.value)


def test_missing_column_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("unique_id,type\n1,all\n", encoding="utf-8")
    with pytest.raises(MalformedLine, match="description"):
        load_relations(path)
    with pytest.raises(InputError):
        load_relations(tmp_path / "absent.csv")


def test_same_name_normalisation() -> None:
    assert same_name("the Islamic Front", "Islamic Front")
    assert same_name("Al-Qaeda", "al qaeda")
    assert same_name("Ejército Popular", "EJERCITO popular")
    assert same_name("JRTN", "Jaysh Rijal al-Tariqa al-Naqshbandia (JRTN)")
    assert same_name("Hay'at Tahrir al-Sham", "Hayat Tahrir al-Sham")
    assert not same_name("Islamic Front", "Islamic State")


def test_perfect_score_is_one() -> None:
    examples = [_ex(k, f"G{i}a", f"G{i}b") for i, k in enumerate(KIND_ORDER)]
    preds = [[_rel(e.kind, e.group1, e.group2)] for e in examples]
    report = score(examples, preds)
    assert report.micro.f1 == 1.0 and report.pair_recall == 1.0
    assert all(s.f1 == 1.0 for _, s in report.per_kind)


def test_reversed_pair_is_correct_and_names_normalised() -> None:
    ex = _ex("rivalry", "The Alpha Front", "Beta Brigade (BB)")
    report = score([ex], [[_rel("rivalry", "BB", "alpha-front")]])
    assert report.micro.correct == 1


def test_wrong_kind_and_wrong_pair() -> None:
    ex = _ex("alliance", "Alpha Front", "Beta Brigade")
    wrong_kind = score([ex], [[_rel("rivalry", "Alpha Front", "Beta Brigade")]])
    assert wrong_kind.micro.correct == 0 and wrong_kind.micro.predicted == 1
    assert wrong_kind.pair_recall == 1.0
    rivalry = dict(wrong_kind.per_kind)["rivalry"]
    assert (rivalry.precision, rivalry.recall) == (0.0, 0.0) and rivalry.predicted == 1
    wrong_pair = score([ex], [[_rel("alliance", "Alpha Front", "Gamma Army")]])
    assert wrong_pair.micro.correct == 0 and wrong_pair.pair_recall == 0.0


def test_partial_counts() -> None:
    examples = [_ex("alliance", "A1", "B1"), _ex("alliance", "A2", "B2"), _ex("merger", "C", "D")]
    preds = [
        [_rel("alliance", "A1", "B1"), _rel("alliance", "A1", "Z")],  # one right, one extra
        [],
        [_rel("merger", "D", "C"), _rel("merger", "C", "D")],  # a duplicate counts once right
    ]
    report = report_dict(score(examples, preds))
    assert report["per_kind"]["alliance"] == {
        "correct": 1,
        "predicted": 2,
        "gold": 2,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
    }
    assert report["micro"]["correct"] == 2 and report["micro"]["predicted"] == 4
    assert report["micro"]["recall"] == round(2 / 3, 4)


def test_length_mismatch() -> None:
    with pytest.raises(ValueError):
        score([_ex("alliance", "A", "B")], [])


def test_evaluate_runs_extractor() -> None:
    ex = RelationExample(
        "1",
        "splinter",
        "Red Falcon Front",
        "Green Dawn Army",
        "The Green Dawn Army broke away from the Red Falcon Front.",
        2,
    )
    report = evaluate([ex], ActorKB.load())
    assert report.micro.correct == 1 and report.micro.f1 == 1.0


def test_real_mmp_csv() -> None:
    path = shared_path("data", "mmp_militant_relations", "Militant-Group-Relationships-clean.csv")
    examples = load_relations(path)
    assert len(examples) > 500
    assert {e.kind for e in examples} == set(KIND_ORDER)
    report = evaluate(examples, ActorKB.load())
    out = report_dict(report)
    assert out["examples"] == len(examples)
    assert sum(row["gold"] for row in out["per_kind"].values()) == len(examples)
    for row in [*out["per_kind"].values(), out["micro"]]:
        assert 0 <= row["correct"] <= min(row["predicted"], row["gold"])
        assert all(0.0 <= row[k] <= 1.0 for k in ("precision", "recall", "f1"))
    assert out["micro"]["correct"] > 0
    assert 0.0 <= out["pair_recall"] <= 1.0
