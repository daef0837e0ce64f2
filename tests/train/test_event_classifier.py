"""Trainer: the optimiser, the folds, the corpora readers and a run of the command."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import shared_path
from watchfloor.errors import MalformedLine
from watchfloor.pipeline.classify import load_classifier, softmax
from watchfloor.train.corpora import (
    MUC4_TO_CASE,
    PLOVER_TO_CASE,
    muc4_examples,
    plover_examples,
)
from watchfloor.train.event_classifier import (
    FitSettings,
    example_weights,
    fit_softmax,
    main,
    stratified_folds,
)


def test_fit_softmax_separates_and_is_deterministic() -> None:
    features = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=np.float32)
    targets = np.array([0, 0, 1, 1])
    settings = FitSettings(l2=1e-4, iterations=100, learning_rate=0.1)
    w1, b1 = fit_softmax(features, targets, 2, settings)
    w2, b2 = fit_softmax(features, targets, 2, settings)
    assert np.array_equal(w1, w2) and np.array_equal(b1, b2)
    probs = softmax(features @ w1 + b1)
    assert list(probs.argmax(axis=1)) == [0, 0, 1, 1]
    assert probs[np.arange(4), targets].min() > 0.9


def test_l2_shrinks_weights() -> None:
    features = np.eye(2, dtype=np.float32)
    targets = np.array([0, 1])
    loose, _ = fit_softmax(features, targets, 2, FitSettings(l2=0.0, iterations=100))
    tight, _ = fit_softmax(features, targets, 2, FitSettings(l2=1.0, iterations=100))
    assert np.abs(tight).sum() < np.abs(loose).sum()


def test_balanced_weights_give_every_label_the_same_share() -> None:
    targets = np.array([0, 0, 0, 1, 2, 2])
    balanced = example_weights(targets, 4, balanced=True)
    assert balanced.sum() == pytest.approx(1.0)
    shares = [balanced[targets == label].sum() for label in range(3)]
    assert shares == pytest.approx([1 / 3] * 3)
    assert np.allclose(example_weights(targets, 4, balanced=False), 1 / 6)


def test_balanced_loss_lifts_the_rare_label() -> None:
    # one example of label 1 among many of label 0, on a shared feature: balancing the loss
    # raises the rare label's probability there
    features = np.array([[1.0, 0.0]] * 9 + [[1.0, 0.2]], dtype=np.float32)
    targets = np.array([0] * 9 + [1])
    rare = []
    for balanced in (False, True):
        w, b = fit_softmax(features, targets, 2, FitSettings(iterations=100, balanced=balanced))
        rare.append(softmax(features[-1:] @ w + b)[0, 1])
    assert rare[1] > rare[0]


@given(
    st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=80),
    st.integers(min_value=2, max_value=6),
    st.integers(min_value=0, max_value=2**16),
)
def test_stratified_folds_balance_every_label(labels: list[str], folds: int, seed: int) -> None:
    fold_of = stratified_folds(labels, folds, seed)
    assert np.array_equal(fold_of, stratified_folds(labels, folds, seed))
    sizes = Counter(fold_of.tolist())
    assert max(sizes.values()) - min(sizes.get(f, 0) for f in range(folds)) <= 1
    for label in set(labels):
        per_fold = Counter(f for f, x in zip(fold_of, labels, strict=True) if x == label)
        counts = [per_fold.get(f, 0) for f in range(folds)]
        assert max(counts) - min(counts) <= 1


PLOVER_SAMPLE = """[
{
    "id": "X-1",
    "event": "ASSAULT",
    "mode": "suicide-attack",
    "text": "A suicide bomber killed five people in Baghdad.",
},
{
    "id": "X-2",
    "event": "FIGHT",
    "mode": "heavy-weapons",
    "text": "Troops shelled the town.",
},
{
    "id": "X-3",
    "event": "PROTEST",
    "mode": "riot-spon",
    "text": "{Prisoners rioted at the jail.}",
},
]
"""


def test_plover_records_mapped_and_unmapped(tmp_path: Path) -> None:
    path = tmp_path / "gsr.txt"
    path.write_text(PLOVER_SAMPLE, encoding="utf-8")
    examples = plover_examples(path)
    # FIGHT has no clean ACLED counterpart and is left out; braces are stripped
    assert [(e.label, e.text) for e in examples] == [
        ("SUIC_BOMB", "A suicide bomber killed five people in Baghdad."),
        ("VIOL_DEMONSTR", "Prisoners rioted at the jail."),
    ]


def test_plover_bad_record_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "gsr.txt"
    path.write_text('[\n{\n    "id": "X-1",\n    "event": oops\n}\n]\n', encoding="utf-8")
    with pytest.raises(MalformedLine, match=r"gsr\.txt:4"):
        plover_examples(path)


def test_muc4_keeps_single_mapped_incidents(tmp_path: Path) -> None:
    path = tmp_path / "train.json"
    docs = [
        '{"docid": "1", "doctext": "terrorists kidnapped a mayor", '
        '"templates": [{"incident_type": "kidnapping"}]}',
        '{"docid": "2", "doctext": "a bomb and a kidnapping", "templates": '
        '[{"incident_type": "bombing"}, {"incident_type": "kidnapping"}]}',
        '{"docid": "3", "doctext": "soldiers attacked", "templates": '
        '[{"incident_type": "attack"}]}',
        '{"docid": "4", "doctext": "nothing happened", "templates": []}',
    ]
    path.write_text("\n".join(docs) + "\n", encoding="utf-8")
    assert [(e.label, e.text) for e in muc4_examples(path)] == [
        ("ABDUCT_DISSAP", "terrorists kidnapped a mayor")
    ]
    path.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(MalformedLine, match=r"train\.json:1"):
        muc4_examples(path)


def test_shared_extra_corpora_read() -> None:
    plover = plover_examples(shared_path("data", "plover_gsr", "PLOVER_GSR_CAMEO.txt"))
    muc4 = muc4_examples(shared_path("data", "muc4", "gtt_processed", "train.json"))
    assert len(plover) >= 30 and {e.label for e in plover} <= set(PLOVER_TO_CASE.values())
    assert len(muc4) >= 100 and {e.label for e in muc4} == set(MUC4_TO_CASE.values())


def test_command_trains_and_writes_a_loadable_model(tmp_path: Path, capsys) -> None:
    rows = ["id\tEventSnippet\tSubType"]
    phrases = {
        "ARREST": "police arrested {} suspects in the city",
        "PEACE_PROTEST": "{} people marched peacefully to demand reforms",
        "SUIC_BOMB": "a suicide bomber killed {} people at a market",
    }
    for label, phrase in phrases.items():
        rows += [
            f"{label}{n}\t{phrase.format(word)}\t{label}"
            for n, word in enumerate(["two", "ten", "many", "several", "five"])
        ]
    data = tmp_path / "case"
    data.mkdir()
    (data / "dev_half.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "model"
    assert main(["--data", str(data), "--out", str(out), "--iterations", "60"]) == 0
    printed = capsys.readouterr().out
    assert "5-fold cross-validation" in printed and "classifier" in printed
    classifier = load_classifier(out)
    assert classifier is not None
    assert classifier.labels == ("ARREST", "PEACE_PROTEST", "SUIC_BOMB")
    assert classifier.info["snippets"] == 15 and len(classifier.info["text_digests"]) == 15
    assert classifier.classify("a suicide bomber struck a bus")[0][0] == "SUIC_BOMB"
