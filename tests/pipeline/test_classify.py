"""Event classifier: features, a tiny model trained in the test, files, fallback, combining."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchfloor.errors import ConfigError
from watchfloor.eval.case2021 import (
    NO_EVENT,
    Snippet,
    combine_label,
    evaluate,
    path_rows,
    report_dict,
)
from watchfloor.model import ExtractResult
from watchfloor.pipeline.classify import (
    LEXICON,
    MODEL_DIR,
    EventClassifier,
    FeatureSpec,
    actor_typed_text,
    embedding_views,
    lexicon_features,
    load_classifier,
    save_classifier,
    seen_in_training,
    text_digest,
    text_features,
    words,
)
from watchfloor.train.corpora import Example
from watchfloor.train.event_classifier import FitSettings, train

TOY = [
    Example("Protesters marched peacefully through the capital", "PEACE_PROTEST", "t"),
    Example("Thousands marched in a peaceful rally", "PEACE_PROTEST", "t"),
    Example("Crowds rallied and marched against the law", "PEACE_PROTEST", "t"),
    Example("A suicide bomber blew himself up at a checkpoint", "SUIC_BOMB", "t"),
    Example("The suicide bomber detonated his vest in a mosque", "SUIC_BOMB", "t"),
    Example("Police said a suicide bomber killed 12", "SUIC_BOMB", "t"),
    Example("Police arrested four suspects on Monday", "ARREST", "t"),
    Example("Officers arrested the leader of the cell", "ARREST", "t"),
    Example("Security forces arrested 30 people overnight", "ARREST", "t"),
]
LABELS = ("ARREST", "PEACE_PROTEST", "SUIC_BOMB")
SPEC = FeatureSpec(word_ngrams=2, char_ngrams=(3, 4), min_df=1)


@pytest.fixture(scope="module")
def toy() -> EventClassifier:
    return train(TOY, LABELS, SPEC, FitSettings(l2=1e-3, iterations=150, learning_rate=0.1))


def test_words_lowercase_and_digits_folded() -> None:
    assert words("Gunmen KILLED 12, it's 2020!") == ["gunmen", "killed", "00", "it's", "0000"]


def test_text_features_counted_by_hand() -> None:
    counts = text_features("Bomb bomb go", FeatureSpec(word_ngrams=2, char_ngrams=(4, 4)))
    assert counts["w:bomb"] == 2 and counts["w:go"] == 1
    assert counts["w:bomb bomb"] == 1 and counts["w:bomb go"] == 1
    # "<bomb>" has the 4-grams <bom, bomb, omb>; "<go>" has only <go>
    assert counts["c:<bom"] == 2 and counts["c:omb>"] == 2 and counts["c:<go>"] == 1
    assert "c:<go" not in counts


def test_actors_read_as_their_kind() -> None:
    typed = actor_typed_text("Al-Shabaab militants seized the town after Somali troops withdrew")
    assert typed.startswith("rebel militants seized the town after ")
    assert "Shabaab" not in typed and "Somali" not in typed
    assert actor_typed_text("Nothing here at all") == "Nothing here at all"
    texts = ["Police arrested two men", "Rain fell"]
    assert embedding_views(texts, FeatureSpec()) == [texts]
    typed = embedding_views(texts, FeatureSpec(embed_actor_kinds=True))
    assert typed == [texts, [actor_typed_text(texts[0]), "Rain fell"]]


class _FakeEmbedder:
    """Counts its calls; a fixed unit vector per text length stands in for MiniLM."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        out[np.arange(len(texts)), [len(t) % 384 for t in texts]] = 1.0
        return out


def test_two_views_train_as_rows_and_average_in_use() -> None:
    spec = dataclasses.replace(SPEC, use_embedding=True, embed_actor_kinds=True)
    fake = _FakeEmbedder()
    views = [fake.embed(v) for v in embedding_views([e.text for e in TOY], spec)]
    classifier = train(TOY, LABELS, spec, FitSettings(iterations=50), views)
    assert classifier.model.weights.shape[0] == len(classifier.vectorizer.vocabulary) + 384
    classifier._embedder = fake
    text = "Police arrested the gunmen"
    probs = classifier.probabilities([text])
    assert fake.calls[-2:] == [[text], [actor_typed_text(text)]]
    rows = classifier.features([text], [fake.embed([text]), fake.embed([actor_typed_text(text)])])
    each = [classifier.model.predict_proba(r) for r in rows]
    assert np.allclose(probs, (each[0] + each[1]) / 2)


def test_lexicon_features_mark_the_codebook_groups() -> None:
    groups = list(LEXICON)
    rows = lexicon_features(
        [
            "Police fired tear gas at protesters who threw stones",
            "Government troops recaptured the town",
            "Nothing here",
        ]
    )
    assert rows.shape == (3, len(LEXICON))
    marked = [{groups[i] for i in np.flatnonzero(row)} for row in rows]
    assert {"protest", "riot", "disperse", "state"} <= marked[0]
    assert {"retake", "state"} <= marked[1] and "protest" not in marked[1]
    assert marked[2] == set()
    assert np.allclose(np.linalg.norm(rows[:2], axis=1), 1.0)


def test_lexicon_block_widens_every_row(toy: EventClassifier) -> None:
    spec = dataclasses.replace(toy.spec, lexicon_weight=0.5)
    widened = dataclasses.replace(toy, spec=spec)
    plain, wide = toy.features(["A riot"])[0], widened.features(["A riot"])[0]
    assert wide.shape[1] == plain.shape[1] + len(LEXICON)
    assert np.allclose(wide[:, -len(LEXICON) :], 0.5 * lexicon_features(["A riot"]))


def test_spec_json_round_trip_and_old_specs() -> None:
    spec = FeatureSpec(use_embedding=True, embed_actor_kinds=True)
    assert FeatureSpec.from_json(json.loads(json.dumps(spec.to_json()))) == spec
    old = spec.to_json()
    del old["embed_actor_kinds"], old["lexicon_weight"]
    assert FeatureSpec.from_json(old).embed_actor_kinds is False
    assert FeatureSpec.from_json(old).lexicon_weight == 0.0


def test_toy_model_learns_its_classes(toy: EventClassifier) -> None:
    ranked = toy.classify_many(
        [
            "A suicide bomber struck a market",
            "Students marched in a peaceful rally",
            "Police arrested two men",
        ]
    )
    assert [r[0][0] for r in ranked] == ["SUIC_BOMB", "PEACE_PROTEST", "ARREST"]
    assert all(r[0][1] > 0.5 for r in ranked)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_distribution(toy: EventClassifier, text: str) -> None:
    ranked = toy.classify(text)
    assert sorted(label for label, _ in ranked) == sorted(LABELS)
    probs = [p for _, p in ranked]
    assert math.isclose(sum(probs), 1.0, rel_tol=1e-4)
    assert probs == sorted(probs, reverse=True)


def test_save_and_load_round_trip(toy: EventClassifier, tmp_path: Path) -> None:
    save_classifier(
        dataclasses.replace(toy, info={"text_digests": [text_digest(TOY[0].text)]}), tmp_path
    )
    loaded = load_classifier(tmp_path)
    assert loaded is not None and loaded.labels == LABELS and loaded.spec == SPEC
    texts = ["Police arrested a protester", "a bomber"]
    assert np.allclose(loaded.probabilities(texts), toy.probabilities(texts), atol=2e-3)
    # digests ignore whitespace differences
    assert seen_in_training(loaded, ["  " + TOY[0].text.replace(" ", "\n"), "new text"]) == 1


def test_missing_weights_mean_no_classifier(tmp_path: Path) -> None:
    assert load_classifier(tmp_path / "nowhere") is None
    assert load_classifier(tmp_path) is None


def test_broken_files_raise_config_error(toy: EventClassifier, tmp_path: Path) -> None:
    save_classifier(toy, tmp_path)
    (tmp_path / "weights.npz").write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="make train"):
        load_classifier(tmp_path)
    save_classifier(toy, tmp_path)
    meta = json.loads((tmp_path / "meta.json").read_text())
    meta["vocabulary"] = meta["vocabulary"][:-1]
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ConfigError, match="do not fit"):
        load_classifier(tmp_path)


def test_combine_label() -> None:
    assert combine_label(NO_EVENT, "ARREST", 0.1, 0.5) == "ARREST"
    assert combine_label("ATTACK", "ARREST", 0.49, 0.5) == "ATTACK"
    assert combine_label("ATTACK", "ARREST", 0.5, 0.5) == "ARREST"
    assert combine_label("ATTACK", "ATTACK", 0.9, 0.5) == "ATTACK"


def test_evaluate_scores_three_paths(toy: EventClassifier) -> None:
    snippets = [
        Snippet("1", "A suicide bomber struck a market", "SUIC_BOMB"),
        Snippet("2", TOY[6].text, "ARREST"),
    ]
    seen = dataclasses.replace(toy, info={"text_digests": [text_digest(TOY[6].text)]})
    # rules that find nothing: the combined path is the classifier's
    report = evaluate(snippets, lambda s: ExtractResult(id=s.snippet_id), seen)
    figures = report_dict(report)
    assert figures["subsets"]["25"]["accuracy"] == 0.0
    assert figures["paths"]["classifier"]["25"]["accuracy"] == 100.0
    assert figures["paths"]["combined"]["25"]["accuracy"] == 100.0
    assert figures["seen_in_training"] == 1
    rows = path_rows(figures)
    assert [r[0] for r in rows] == ["rules"] * 3 + ["classifier"] * 3 + ["combined"] * 3
    without = report_dict(evaluate(snippets, lambda s: ExtractResult(id="x"), None))
    assert "paths" not in without and len(path_rows(without)) == 3


@pytest.mark.slow
def test_shipped_classifier_if_installed() -> None:
    classifier = load_classifier(MODEL_DIR)
    if classifier is None:
        pytest.skip("no trained weights installed; run `make train`")
    assert len(classifier.labels) >= 25
    ranked = classifier.classify(
        "A suicide bomber blew himself up at a crowded market in Kabul, killing 12 people."
    )
    assert ranked[0][0] == "SUIC_BOMB"
    ranked = classifier.classify("Police arrested four suspected militants in Lahore on Monday.")
    assert ranked[0][0] == "ARREST"


def test_prototypes_blend_and_survive_a_round_trip(tmp_path: Path) -> None:
    spec = FeatureSpec(
        word_ngrams=1, min_df=1, use_embedding=True, embed_actor_kinds=True, prototype_weight=0.1
    )
    fake = _FakeEmbedder()
    views = [fake.embed(v) for v in embedding_views([e.text for e in TOY], spec)]
    definitions = ["Police arrested suspects", "A peaceful protest", "A suicide bomber"]
    prototypes = np.stack([fake.embed(v) for v in embedding_views(definitions, spec)])
    classifier = train(TOY, LABELS, spec, FitSettings(iterations=50), views, prototypes)
    text = ["Police arrested the gunmen"]
    emb = [fake.embed(text), fake.embed([actor_typed_text(text[0])])]
    rows = classifier.features(text, emb)
    trained = sum(classifier.model.predict_proba(r) for r in rows) / 2
    prior = classifier.prototype_probabilities(emb)
    assert np.isclose(prior.sum(), 1.0)
    assert np.allclose(classifier.probabilities(text, emb), 0.9 * trained + 0.1 * prior)
    save_classifier(classifier, tmp_path)
    loaded = load_classifier(tmp_path)
    assert loaded is not None and loaded.spec == spec
    assert loaded.prototypes is not None and loaded.prototypes.shape == (2, 3, 384)
    assert np.allclose(
        loaded.probabilities(text, emb), classifier.probabilities(text, emb), atol=2e-3
    )


def test_codebook_defines_every_case_label() -> None:
    from watchfloor.eval.case2021 import LABELS_30
    from watchfloor.train.codebook import codebook_examples

    examples = codebook_examples(LABELS_30)
    assert [e.label for e in examples] == list(LABELS_30)
    assert all(e.source == "codebook" and e.text.endswith(".") for e in examples)
    with pytest.raises(KeyError):
        codebook_examples(["NO_SUCH_LABEL"])
