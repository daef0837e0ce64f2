"""Scoring group-relation extraction against Mapping Militant Organizations (MMP).

Each MMP row is one description sentence with one gold relation: a type (all, riv, aff, spl,
mer) and an unordered pair of groups. A predicted relation is correct when its kind maps to
the gold type and its pair equals the gold pair under name normalisation; every other
prediction is a false positive, including true relations MMP does not list for that row, so
precision here is a lower bound.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from watchfloor.errors import EncodingError, MalformedLine, UnreadableInput
from watchfloor.eval.metrics import precision_recall_f1
from watchfloor.pipeline.relations import GroupRelation, find_relations, name_variants
from watchfloor.resolve.actors import ActorKB, fold

TYPE_TO_KIND = {
    "all": "alliance",
    "riv": "rivalry",
    "aff": "affiliation",
    "spl": "splinter",
    "mer": "merger",
}
KIND_ORDER = tuple(TYPE_TO_KIND.values())
MICRO = "micro"
_COLUMNS = ("unique_id", "type", "description", "group1_name", "group2_name")

NameMatcher = Callable[[str, str], bool]


@dataclass(frozen=True, slots=True)
class RelationExample:
    """One gold row: the sentence and its single relation (``kind`` in pipeline terms)."""

    unique_id: str
    kind: str
    group1: str
    group2: str
    description: str
    line: int


@dataclass(frozen=True, slots=True)
class KindScore:
    """Counts for one kind and the fractions (0..1) derived from them."""

    correct: int
    predicted: int
    gold: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def from_counts(cls, correct: int, predicted: int, gold: int) -> KindScore:
        p, r, f = precision_recall_f1(correct, predicted, gold)
        return cls(correct, predicted, gold, p, r, f)


@dataclass(frozen=True, slots=True)
class RelationsReport:
    """Per-kind scores (``KIND_ORDER``), the micro row, and pair-only recall (pair found with
    any kind), which separates finding the groups from naming the relation."""

    per_kind: tuple[tuple[str, KindScore], ...]
    micro: KindScore
    pair_recall: float
    examples: int


def load_relations(path: Path) -> list[RelationExample]:
    """Read the MMP relations CSV; a bad row raises naming the file and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"cannot read relations file: {exc}", source=str(path)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError("relations file is not UTF-8", source=str(path)) from exc
    reader = csv.DictReader(text.splitlines(keepends=True))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise MalformedLine(f"missing column(s) {', '.join(missing)}", source=str(path), line=1)
    out: list[RelationExample] = []
    for row in reader:
        line = reader.line_num
        code = (row.get("type") or "").strip().lower()
        if code not in TYPE_TO_KIND:
            raise MalformedLine(f"unknown relation type {code!r}", source=str(path), line=line)
        fields = {c: (row.get(c) or "").strip() for c in _COLUMNS}
        empty = [c for c in ("group1_name", "group2_name") if not fields[c]]
        if empty:
            raise MalformedLine(f"empty {', '.join(empty)}", source=str(path), line=line)
        out.append(
            RelationExample(
                unique_id=fields["unique_id"],
                kind=TYPE_TO_KIND[code],
                group1=fields["group1_name"],
                group2=fields["group2_name"],
                description=_unescape(fields["description"]),
                line=line,
            )
        )
    return out


def _unescape(text: str) -> str:
    """The cleaned CSV keeps backslash-escaped quotes (Hizbul Islam\\'s)."""
    return text.replace("\\'", "'").replace('\\"', '"')


def name_keys(name: str) -> frozenset[str]:
    """Comparable keys of a name: folded (case, accents), hyphens and apostrophes ignored,
    leading 'the' dropped, plus each parenthesised acronym or former name on its own."""
    keys = set()
    for variant in name_variants(name):
        words = re.findall(r"[^\W_]+", fold(variant).replace("'", "").replace("’", ""))
        if len(words) > 1 and words[0] == "the":
            words = words[1:]
        if words:
            keys.add(" ".join(words))
    return frozenset(keys)


def same_name(a: str, b: str) -> bool:
    """Default matcher: two names are the same group when their keys intersect."""
    return bool(name_keys(a) & name_keys(b))


def _pair_matches(rel: GroupRelation, ex: RelationExample, match: NameMatcher) -> bool:
    straight = match(rel.group_a, ex.group1) and match(rel.group_b, ex.group2)
    crossed = match(rel.group_a, ex.group2) and match(rel.group_b, ex.group1)
    return straight or crossed


def score(
    examples: Sequence[RelationExample],
    predictions: Sequence[Sequence[GroupRelation]],
    name_matcher: NameMatcher = same_name,
) -> RelationsReport:
    """Per-kind and micro P/R/F1; at most one correct prediction counts per gold row."""
    if len(examples) != len(predictions):
        raise ValueError(f"{len(examples)} examples but {len(predictions)} prediction lists")
    correct = dict.fromkeys(KIND_ORDER, 0)
    predicted = dict.fromkeys(KIND_ORDER, 0)
    gold = dict.fromkeys(KIND_ORDER, 0)
    pairs_found = 0
    for ex, preds in zip(examples, predictions, strict=True):
        gold[ex.kind] += 1
        for rel in preds:
            if rel.kind in predicted:
                predicted[rel.kind] += 1
        on_pair = [rel for rel in preds if _pair_matches(rel, ex, name_matcher)]
        pairs_found += bool(on_pair)
        if any(rel.kind == ex.kind for rel in on_pair):
            correct[ex.kind] += 1
    per_kind = tuple(
        (k, KindScore.from_counts(correct[k], predicted[k], gold[k])) for k in KIND_ORDER
    )
    micro = KindScore.from_counts(
        sum(correct.values()), sum(predicted.values()), sum(gold.values())
    )
    pair_recall = pairs_found / len(examples) if examples else 0.0
    return RelationsReport(per_kind, micro, pair_recall, len(examples))


def evaluate(examples: Sequence[RelationExample], kb: ActorKB) -> RelationsReport:
    """Run the extractor on each description, telling it the two gold group names."""
    predictions = [
        find_relations(ex.description, kb, extra_names=[ex.group1, ex.group2]) for ex in examples
    ]
    return score(examples, predictions)


def _row(s: KindScore) -> dict:
    return {
        "correct": s.correct,
        "predicted": s.predicted,
        "gold": s.gold,
        "precision": round(s.precision, 4),
        "recall": round(s.recall, 4),
        "f1": round(s.f1, 4),
    }


def report_dict(report: RelationsReport) -> dict:
    """JSON-ready figures, rounded to four decimals."""
    return {
        "examples": report.examples,
        "per_kind": {k: _row(s) for k, s in report.per_kind},
        MICRO: _row(report.micro),
        "pair_recall": round(report.pair_recall, 4),
    }
