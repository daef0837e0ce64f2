"""CASE-2021 task 2: fine-grained event classification of news snippets.

Each snippet carries one label: 25 ACLED sub-types ("seen"), three unseen types (organised
crime, natural and man-made disasters) in the 28-label subset, and two more (diplomacy,
claims of responsibility) in the 30-label subset. We classify a snippet by the first event
the extractor finds, mapped to the CASE label of its ACLED sub-type; a snippet with no event
gets the label ``NONE``, which is wrong for every gold label. Claims of responsibility are
scored on their own: a snippet is predicted ATTRIB when the extractor records a claim, a
denial or an official attribution of responsibility.

When the trained event classifier (``watchfloor.pipeline.classify``) is installed, two more
paths are scored beside the rules: the classifier alone (its top label) and the combined path
(``combine_label``: the classifier decides when the rules find no event or when it disagrees
with them confidently). The classifier is trained on the CASE dev half, so figures on that
file are training-set figures; ``seen_in_training`` says how many snippets the model has seen,
and the honest dev-half figures are the trainer's cross-validation.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from watchfloor.errors import MalformedLine, UnreadableInput
from watchfloor.eval.metrics import precision_recall_f1
from watchfloor.model import ExtractResult

if TYPE_CHECKING:
    from watchfloor.pipeline.classify import EventClassifier

SUBTYPE_TO_CASE = {
    "Abduction/forced disappearance": "ABDUCT_DISSAP",
    "Agreement": "AGREEMENT",
    "Air/drone strike": "AIR_STRIKE",
    "Armed clash": "ARMED_CLASH",
    "Arrests": "ARREST",
    "Shelling/artillery/missile attack": "ART_MISS_ATTACK",
    "Attack": "ATTACK",
    "Change to group/activity": "CHANGE_TO_GROUP_ACT",
    "Chemical weapon": "CHEM_WEAP",
    "Disrupted weapons use": "DISR_WEAP",
    "Excessive force against protesters": "FORCE_AGAINST_PROTEST",
    "Government regains territory": "GOV_REGAINS_TERIT",
    "Grenade": "GRENADE",
    "Headquarters or base established": "HQ_ESTABLISHED",
    "Mob violence": "MOB_VIOL",
    "Non-state actor overtakes territory": "NON_STATE_ACTOR_OVERTAKES_TER",
    "Non-violent transfer of territory": "NON_VIOL_TERRIT_TRANSFER",
    "Other": "OTHER",
    "Peaceful protest": "PEACE_PROTEST",
    "Looting/property destruction": "PROPERTY_DISTRUCT",
    "Protest with intervention": "PROTEST_WITH_INTER",
    "Remote explosive/landmine/IED": "REM_EXPLOS",
    "Sexual violence": "SEX_VIOL",
    "Suicide bomb": "SUIC_BOMB",
    "Violent demonstration": "VIOL_DEMONSTR",
}
LABELS_25 = tuple(sorted(SUBTYPE_TO_CASE.values()))
LABELS_28 = (*LABELS_25, "MAN_MADE_DISASTER", "NATURAL_DISASTER", "ORG_CRIME")
LABELS_30 = (*LABELS_28, "ATTRIB", "DIPLO")
SUBSETS = {"25": LABELS_25, "28": LABELS_28, "30": LABELS_30}
NO_EVENT = "NONE"
# the classifier overrides a rule label it disagrees with at this probability or above; chosen
# by cross-validation on the dev half (see watchfloor.train.event_classifier): with the
# label-balanced classifier, weighted F1 (25 labels, seed 13) is 75.22 at 0.1, 74.42 at 0.2 and
# 73.38 at 0.3 (the rules' sub-type is the weaker opinion wherever the two disagree)
COMBINE_THRESHOLD = 0.1
PATHS = ("rules", "classifier", "combined")


@dataclass(frozen=True, slots=True)
class Snippet:
    snippet_id: str
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class LabelScore:
    label: str
    support: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class SubsetScore:
    labels: int
    snippets: int
    accuracy: float
    weighted_f1: float
    macro_f1: float
    per_label: tuple[LabelScore, ...]


@dataclass(frozen=True, slots=True)
class CaseReport:
    """``subsets`` is the rule path; ``paths`` adds "classifier" and "combined" when a
    classifier took part (``seen_in_training`` of the snippets were in its training data)."""

    subsets: dict[str, SubsetScore]
    attrib: LabelScore
    no_event: int
    paths: dict[str, dict[str, SubsetScore]] = field(default_factory=dict)
    seen_in_training: int = 0


def load_snippets(path: Path) -> list[Snippet]:
    """The shared task's TSV: id, EventSnippet, SubType (a header line first)."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise UnreadableInput(f"cannot read: {exc.strerror or exc}", source=str(path)) from exc
    with handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"id", "EventSnippet", "SubType"} - set(reader.fieldnames or ())
        if missing:
            raise MalformedLine(f"missing column(s) {sorted(missing)}", source=str(path), line=1)
        return [
            Snippet(row["id"], row["EventSnippet"], row["SubType"].strip())
            for row in reader
            if row.get("EventSnippet")
        ]


def predicted_label(result: ExtractResult) -> str:
    if not result.events:
        return NO_EVENT
    return SUBTYPE_TO_CASE[result.events[0].sub_event_type]


def combine_label(rule: str, top: str, probability: float, threshold: float) -> str:
    """The combined path: the classifier's top label when the rules found no event, or when
    it disagrees with the rules at ``probability >= threshold``; otherwise the rules' label."""
    if rule == NO_EVENT or (top != rule and probability >= threshold):
        return top
    return rule


def claims_responsibility(result: ExtractResult) -> bool:
    """CASE's ATTRIB covers claiming, denying and officially blaming; suspicion is not one."""
    return any(c.stance != "suspected" for e in result.events for c in e.claims)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    return precision_recall_f1(tp, tp + fp, tp + fn)


def score_subset(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]
) -> SubsetScore:
    """Per-label F1 over the snippets whose gold label is in ``labels``; weighted by support
    (as scikit-learn's ``average='weighted'``) and macro over ``labels``."""
    pairs = [(g, p) for g, p in zip(gold, predicted, strict=True) if g in labels]
    support = Counter(g for g, _ in pairs)
    per_label = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == p == label)
        fp = sum(1 for g, p in pairs if p == label and g != label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        per_label.append(LabelScore(label, support[label], *_prf(tp, fp, fn)))
    total = sum(support.values())
    weighted = sum(s.f1 * s.support for s in per_label) / total if total else 0.0
    macro = sum(s.f1 for s in per_label) / len(per_label) if per_label else 0.0
    accuracy = sum(1 for g, p in pairs if g == p) / total if total else 0.0
    return SubsetScore(len(labels), total, accuracy, weighted, macro, tuple(per_label))


def score(gold: Sequence[str], predicted: Sequence[str], claims: Sequence[bool]) -> CaseReport:
    subsets = {name: score_subset(gold, predicted, labels) for name, labels in SUBSETS.items()}
    tp = sum(1 for g, c in zip(gold, claims, strict=True) if c and g == "ATTRIB")
    fp = sum(1 for g, c in zip(gold, claims, strict=True) if c and g != "ATTRIB")
    fn = sum(1 for g, c in zip(gold, claims, strict=True) if not c and g == "ATTRIB")
    attrib = LabelScore("ATTRIB", sum(1 for g in gold if g == "ATTRIB"), *_prf(tp, fp, fn))
    return CaseReport(subsets, attrib, sum(1 for p in predicted if p == NO_EVENT))


def score_paths(
    gold: Sequence[str], paths: dict[str, Sequence[str]]
) -> dict[str, dict[str, SubsetScore]]:
    return {
        name: {key: score_subset(gold, predicted, labels) for key, labels in SUBSETS.items()}
        for name, predicted in paths.items()
    }


def evaluate(
    snippets: Sequence[Snippet],
    extract: Callable[[Snippet], ExtractResult],
    classifier: EventClassifier | Literal["shipped"] | None = "shipped",
    threshold: float = COMBINE_THRESHOLD,
) -> CaseReport:
    """Score the rule path and, with a classifier (the shipped one unless ``classifier`` is
    given; None scores the rules alone), the classifier and combined paths too."""
    if classifier == "shipped":
        from watchfloor.pipeline.classify import default_classifier

        classifier = default_classifier()
    results = [extract(s) for s in snippets]
    gold = [s.label for s in snippets]
    rules = [predicted_label(r) for r in results]
    report = score(gold, rules, [claims_responsibility(r) for r in results])
    if classifier is None or not snippets:
        return report
    from watchfloor.pipeline.classify import seen_in_training

    texts = [s.text for s in snippets]
    probs = classifier.probabilities(texts)
    top = [classifier.labels[int(i)] for i in probs.argmax(axis=1)]
    best = [float(p) for p in probs.max(axis=1)]
    combined = [combine_label(r, t, p, threshold) for r, t, p in zip(rules, top, best, strict=True)]
    return CaseReport(
        report.subsets,
        report.attrib,
        report.no_event,
        score_paths(gold, {"rules": rules, "classifier": top, "combined": combined}),
        seen_in_training(classifier, texts),
    )


def report_dict(report: CaseReport) -> dict[str, Any]:
    """``subsets`` is the rule path (as before); ``paths`` holds every scored path with the
    same layout, and ``seen_in_training`` how many snippets the classifier was trained on."""

    def pct(x: float) -> float:
        return round(100 * x, 2)

    def subsets(scores: dict[str, SubsetScore]) -> dict[str, Any]:
        return {
            name: {
                "labels": s.labels,
                "snippets": s.snippets,
                "accuracy": pct(s.accuracy),
                "weighted_f1": pct(s.weighted_f1),
                "macro_f1": pct(s.macro_f1),
                "per_label": {
                    x.label: {
                        "support": x.support,
                        "precision": pct(x.precision),
                        "recall": pct(x.recall),
                        "f1": pct(x.f1),
                    }
                    for x in s.per_label
                },
            }
            for name, s in scores.items()
        }

    figures: dict[str, Any] = {
        "subsets": subsets(report.subsets),
        "attrib": {
            "support": report.attrib.support,
            "precision": pct(report.attrib.precision),
            "recall": pct(report.attrib.recall),
            "f1": pct(report.attrib.f1),
        },
        "no_event": report.no_event,
    }
    if report.paths:
        figures["paths"] = {name: subsets(scores) for name, scores in report.paths.items()}
        figures["seen_in_training"] = report.seen_in_training
    return figures


def path_rows(figures: dict[str, Any]) -> list[tuple[str, str, str, str, str, str]]:
    """Table rows (path, labels, snippets, accuracy, weighted F1, macro F1) for every scored
    path of ``report_dict`` output; the rule path alone when no classifier took part."""
    paths = figures.get("paths") or {"rules": figures["subsets"]}
    return [
        (
            name,
            str(s["labels"]),
            str(s["snippets"]),
            f"{s['accuracy']:.2f}",
            f"{s['weighted_f1']:.2f}",
            f"{s['macro_f1']:.2f}",
        )
        for name, scores in paths.items()
        for s in scores.values()
    ]
