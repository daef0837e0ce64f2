"""A trained second opinion on the event type of a text: CASE-2021 / ACLED sub-type labels.

The rule-based triggers decide whether an event happened and where its span is; their sub-type
choice stumbles on snippets phrased unlike the trigger lexicon. This classifier reads the whole
snippet and returns a probability for every label it was trained on (the 25 ACLED sub-types
plus the CASE-2021 "unseen" types), so a caller can use it when the rules find nothing or when
it disagrees with them confidently.

The model is a softmax regression over TF-IDF weighted word n-grams and character n-grams
(optionally joined by the MiniLM sentence vector of ``watchfloor.fuse.embed``, of the snippet
and of the snippet with its actors replaced by their kind: ``embedding_views``), trained by
``python -m watchfloor.train.event_classifier`` and shipped as package data in
``data/event_classifier/``: ``meta.json`` (labels, vocabulary, feature settings, training
figures) and ``weights.npz``. When those files are absent the classifier is simply unavailable
(``load_classifier`` returns None, ``classify`` returns ``[]``) and the rule path is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from watchfloor.errors import ConfigError

MODEL_DIR = Path(__file__).parent / "data" / "event_classifier"
META_FILE = "meta.json"
WEIGHTS_FILE = "weights.npz"
FORMAT_VERSION = 1

_Model = TypeVar("_Model")

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """How a text becomes features; stored with the weights so training and use agree."""

    word_ngrams: int = 2
    char_ngrams: tuple[int, int] = (3, 5)
    min_df: int = 2
    use_embedding: bool = False
    embedding_weight: float = 1.0
    embed_actor_kinds: bool = False
    # share of the label-prototype opinion in the probabilities (``EventClassifier.prototypes``)
    prototype_weight: float = 0.0
    prototype_temperature: float = 0.05
    # weight of the codebook keyword groups (``lexicon_features``) in every row; 0 leaves them out
    lexicon_weight: float = 0.0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["char_ngrams"] = list(self.char_ngrams)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeatureSpec:
        lo, hi = data.get("char_ngrams", (0, 0))
        return cls(
            word_ngrams=int(data["word_ngrams"]),
            char_ngrams=(int(lo), int(hi)),
            min_df=int(data["min_df"]),
            use_embedding=bool(data["use_embedding"]),
            embedding_weight=float(data["embedding_weight"]),
            embed_actor_kinds=bool(data.get("embed_actor_kinds", False)),
            prototype_weight=float(data.get("prototype_weight", 0.0)),
            prototype_temperature=float(data.get("prototype_temperature", 0.05)),
            lexicon_weight=float(data.get("lexicon_weight", 0.0)),
        )


# the plain phrase that stands for an actor of each kind (state forces by role) in the text the
# sentence embedder reads
KIND_PHRASES = {
    "state_forces": "government forces",
    "state_forces/military": "government troops",
    "state_forces/police": "police",
    "armed_group": "rebel militants",
    "identity_militia": "ethnic militia",
    "generic_armed": "gunmen",
    "external": "foreign forces",
    "political": "political party",
    "protesters": "protesters",
    "rioters": "rioters",
    "civilians": "civilians",
}


def actor_typed_text(text: str) -> str:
    """``text`` with every actor the knowledge base (``watchfloor.resolve.actors``) finds
    replaced by the phrase for its kind: "Al-Shabaab militants seized" and "Houthi rebels
    seized" then read alike, as do "Puntland forces" and "the Iraqi army". The territory and
    protest labels turn on who acts (state forces, rebels, protesters), which the names alone
    leave to a few training snippets; the n-grams still read the original names."""
    from watchfloor.resolve.actors import ActorKB

    parts, position = [], 0
    for mention in ActorKB.load().find_mentions(text):
        kind = mention.actor.kind
        role = f"{kind}/{mention.actor.role}" if mention.actor.role else kind
        parts += [text[position : mention.start], KIND_PHRASES.get(role, KIND_PHRASES[kind])]
        position = mention.end
    parts.append(text[position:])
    return "".join(parts)


def embedding_views(texts: Sequence[str], spec: FeatureSpec) -> list[list[str]]:
    """The texts the sentence embedder reads, one list per view: the snippets as written, and
    with ``spec.embed_actor_kinds`` also their ``actor_typed_text``. Each view is a row of its
    own in training and the views' probabilities are averaged in use; on the CASE dev half
    (5-fold CV, seeds 13-18) that lifts weighted F1 (25 labels) from 75.76 to 76.92, where
    reading only the typed text gets 76.39 and joining both vectors in one row 76.66."""
    views = [list(texts)]
    if spec.embed_actor_kinds:
        views.append([actor_typed_text(t) for t in texts])
    return views


# keyword groups for the distinctions of the ACLED codebook that the n-grams blur on a few
# hundred snippets: a protest that turns violent (riot, stones) or meets the police (tear gas,
# dispersal) or lethal force; who takes territory (retaking, seizing, withdrawal or handover);
# shelling against fighting; weapons defused or seized against an explosion
LEXICON: dict[str, str] = {
    "protest": r"protest|demonstrat|rall(y|ies|ied)|march(ed|es|ing)?\b|sit-in|gilets|yellow vest",
    "riot": (
        r"clash|riot|stones?\b|stone-?throw|throw|hurl|torch|tyres?|tires?\b|vandal|scuffle"
        r"|barricade|petrol bomb|molotov|set fire|burn"
    ),
    "disperse": r"tear ?gas|water cannon|dispers|rubber bullet|baton|pepper spray|charged",
    "detain": r"arrest|detain|custody",
    "lethal": r"\bkill|\bdead\b|shot dead|live (ammunition|rounds|bullets)|\bdied\b|death",
    "retake": r"recaptur|re-?took|retak|regain|liberat|cleared",
    "capture": r"seiz|captur|overr[au]n|took (over|control)|take (over|control)|fell to|control of",
    "withdraw": (
        r"withdr[ae]w|handed over|hand(ed|ing)? over|without (a fight|resistance|any)|vacat"
        r"|pull(ed)? out|retreat"
    ),
    "shelling": r"shell|mortar|artillery|rocket|missile|tanks?\b|howitzer|projectile",
    "air": r"air ?strike|air ?raid|warplane|jets?\b|drones?\b|helicopter|aircraft|bomber|air force",
    "ied": (
        r"\bied|roadside|landmine|\bmines?\b|improvised|car bomb|explosive device|detonat"
        r"|planted"
    ),
    "suicide": r"suicide|blew (himself|herself|themselves)|explosive vest|suicide vest",
    "grenade": r"grenade",
    "disrupt": (
        r"defus|cache|intercept|foil|dismantl|shot down"
        r"|seized (weapons|arms|explosives|ammunition)"
    ),
    "claim": r"claim|responsib|blam|accus",
    "diplo": r"minister|talks\b|visit|summit|diplomat|counterpart|bilateral",
    "attack": r"gunmen|attack|ambush|opened fire|shot",
    "fight": r"clash|fight|battle|exchange of fire|gunfight|firefight",
    "civilian": r"civilian|villager|resident|farmer|passer",
    "state": r"\barmy|troops|soldiers|military|government forces|police|security forces",
    "rebel": (
        r"rebel|militant|insurgent|jihadi|fighters|militia|terrorist|islamic state|\bis\b|isis"
        r"|al-shabaab|boko haram|taliban"
    ),
    "agree": r"agree|ceasefire|cease-fire|truce|deal|accord|signed|prisoner exchange|swap",
    "deploy": r"deploy|recruit|train(ed|ing)|appoint|reinforce|join(ed)?\b|defect|split|merg",
    "base": r"\bbase|headquarter|camp|outpost|establish|set up",
    "loot": r"loot|plunder|ransack|destroy|demolish|raze|burn(ed|t)? down|vandal",
    "mob": r"\bmob\b|lynch|vigilante|angry (crowd|residents|villagers)",
    "abduct": r"abduct|kidnap|hostage|disappear",
    "sex": r"rape|sexual",
    "chem": r"chemical|chlorine|sarin|mustard|toxic|gas attack",
    "disaster": r"earthquake|flood|storm|cyclone|landslide|hurricane|typhoon|drought|rain",
    "accident": r"accident|collaps|derail|crash|fire broke|factory|blast|leak|spill",
    "crime": r"drug|cartel|trafficker|smuggl|gang|cocaine|heroin|narco",
}
_LEXICON = [re.compile(pattern, re.IGNORECASE) for pattern in LEXICON.values()]


def lexicon_features(texts: Sequence[str]) -> np.ndarray:
    """(n, groups): which ``LEXICON`` groups each text mentions, each row scaled to unit length.
    A dense block beside the TF-IDF rather than inside it, so its weight does not shrink with
    the thousands of n-grams; read from the actor-typed view too, where "state" and "rebel"
    also catch the actors the knowledge base names. On the CASE dev half (5-fold CV, 25
    labels, seeds 13/14/15) weighted F1 78.90/79.08/79.26 -> 78.77/80.28/79.66 at weight 0.5."""
    out = np.zeros((len(texts), len(_LEXICON)), dtype=np.float32)
    for row, text in enumerate(texts):
        for column, pattern in enumerate(_LEXICON):
            if pattern.search(text):
                out[row, column] = 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)


def words(text: str) -> list[str]:
    """Lower-cased word tokens; every digit becomes 0 so "12 killed" and "30 killed" agree."""
    return [_DIGITS.sub("0", w.lower()) for w in _WORD.findall(text)]


def text_features(text: str, spec: FeatureSpec) -> Counter[str]:
    """Counts of the named features of ``text``: word n-grams ("w:") and character n-grams
    inside each word ("c:"), the latter so unseen inflections ("shelled", "shelling") share
    evidence with the training data."""
    tokens = words(text)
    counts: Counter[str] = Counter()
    for n in range(1, spec.word_ngrams + 1):
        for i in range(len(tokens) - n + 1):
            counts["w:" + " ".join(tokens[i : i + n])] += 1
    lo, hi = spec.char_ngrams
    if lo > 0:
        for token in tokens:
            padded = f"<{token}>"
            for n in range(lo, min(hi, len(padded)) + 1):
                for i in range(len(padded) - n + 1):
                    counts["c:" + padded[i : i + n]] += 1
    return counts


@dataclass(frozen=True)
class Vectorizer:
    """Sublinear TF-IDF over a fixed vocabulary, each row scaled to unit length."""

    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def fit(cls, texts: Sequence[str], spec: FeatureSpec) -> Vectorizer:
        df: Counter[str] = Counter()
        for text in texts:
            df.update(text_features(text, spec).keys())
        kept = sorted(f for f, n in df.items() if n >= spec.min_df)
        n_docs = len(texts)
        idf = np.array([math.log((1 + n_docs) / (1 + df[f])) + 1.0 for f in kept], np.float32)
        return cls({f: i for i, f in enumerate(kept)}, idf)

    def transform(self, texts: Sequence[str], spec: FeatureSpec) -> np.ndarray:
        out = np.zeros((len(texts), len(self.vocabulary)), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, count in text_features(text, spec).items():
                column = self.vocabulary.get(feature)
                if column is not None:
                    out[row, column] = 1.0 + math.log(count)
        out *= self.idf
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def adam_descent(
    params: Sequence[np.ndarray],
    gradients: Callable[[], Sequence[np.ndarray]],
    iterations: int,
    learning_rate: float,
) -> None:
    """Full-batch Adam on ``params`` in place; ``gradients()`` returns the gradient of each
    parameter at its current value. No randomness: the same start gives the same result."""
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, iterations + 1):
        for p, g, m, v in zip(params, gradients(), first, second, strict=True):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            p -= learning_rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + eps)


@dataclass(frozen=True)
class SoftmaxModel:
    """Multinomial logistic regression: ``softmax(x @ weights + bias)`` over ``labels``."""

    labels: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        return softmax(features @ self.weights + self.bias)


@dataclass
class EventClassifier:
    """Vectorizer + model + feature settings, as trained; ``info`` holds the training record.

    ``prototypes`` (views, labels, 384), when present, are the sentence vectors of a one-line
    definition of each label (``watchfloor.train.codebook``), one set per embedding view: a
    snippet's cosine with them is a zero-shot opinion that ``spec.prototype_weight`` of the
    probabilities comes from."""

    spec: FeatureSpec
    vectorizer: Vectorizer
    model: SoftmaxModel
    info: dict[str, Any] = field(default_factory=dict)
    prototypes: np.ndarray | None = None
    _embedder: Any = None

    @property
    def labels(self) -> tuple[str, ...]:
        return self.model.labels

    def features(
        self,
        texts: Sequence[str],
        embeddings: Sequence[np.ndarray] | None = None,
        views: Sequence[Sequence[str]] | None = None,
    ) -> list[np.ndarray]:
        """The model's input rows, one matrix per view (``embedding_views``; a single one
        without sentence vectors). ``embeddings`` (one (n, 384) array per view) and ``views``
        may be passed in when already computed, otherwise they are computed here when the
        spec asks."""
        sparse = self.vectorizer.transform(texts, self.spec)
        lexicon = self.spec.lexicon_weight
        if not self.spec.use_embedding:
            if lexicon > 0:
                sparse = np.hstack([sparse, lexicon * lexicon_features(texts)])
            return [sparse]
        if views is None and (embeddings is None or lexicon > 0):
            views = embedding_views(texts, self.spec)
        if embeddings is None:
            embeddings = self._embed(views)
        weight = self.spec.embedding_weight
        rows = [[sparse, weight * e.astype(np.float32)] for e in embeddings]
        if lexicon > 0:
            assert views is not None
            for row, view in zip(rows, views, strict=True):
                row.append(lexicon * lexicon_features(view))
        return [np.hstack(row) for row in rows]

    def probabilities(
        self, texts: Sequence[str], embeddings: Sequence[np.ndarray] | None = None
    ) -> np.ndarray:
        """An (n, labels) array of probabilities, each row summing to 1: the mean over the
        views, blended with the label prototypes' opinion (``prototype_probabilities``) when
        the model has prototypes."""
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        views = None
        if self.spec.use_embedding and embeddings is None:
            views = embedding_views(texts, self.spec)
            embeddings = self._embed(views)
        rows = self.features(texts, embeddings, views)
        probs = sum(self.model.predict_proba(x) for x in rows) / len(rows)
        share = self.spec.prototype_weight
        if self.prototypes is not None and share > 0 and embeddings is not None:
            probs = (1 - share) * probs + share * self.prototype_probabilities(embeddings)
        return probs

    def prototype_probabilities(self, embeddings: Sequence[np.ndarray]) -> np.ndarray:
        """Softmax over the labels of a snippet's cosine with each label's prototype (mean over
        the views) divided by ``spec.prototype_temperature``. Alone this scores weighted F1 54
        (25 labels) on the CASE dev half, having seen none of it; blended at 0.1 it mends the
        small territory and protest labels, whose few snippets the trained model over-reads."""
        assert self.prototypes is not None
        cosines = sum(
            e.astype(np.float32) @ p.T for e, p in zip(embeddings, self.prototypes, strict=True)
        ) / len(self.prototypes)
        return softmax(cosines / self.spec.prototype_temperature)

    def classify_many(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """For each text, every label with its probability, most probable first."""
        probs = self.probabilities(texts)
        ranked = []
        for row in probs:
            order = np.argsort(-row, kind="stable")
            ranked.append([(self.labels[i], float(row[i])) for i in order])
        return ranked

    def classify(self, text: str) -> list[tuple[str, float]]:
        return self.classify_many([text])[0]

    def _embed(self, views: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Sentence vectors of each view (``embedding_views``)."""
        if self._embedder is None:
            from watchfloor.fuse.embed import SentenceEmbedder

            self._embedder = SentenceEmbedder()
        return [self._embedder.embed(view) for view in views]


def write_model_files(directory: Path, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Write a linear model as ``meta.json`` (with the format version) and ``weights.npz``
    into ``directory`` (created if needed): the layout every trained model here ships in."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / META_FILE).write_text(
        json.dumps({"format": FORMAT_VERSION, **meta}, ensure_ascii=False, separators=(",", ":"))
        + "\n",
        encoding="utf-8",
    )
    with (directory / WEIGHTS_FILE).open("wb") as handle:
        np.savez_compressed(handle, **arrays)


def read_model_files(
    directory: Path, what: str, parse: Callable[[dict[str, Any], dict[str, np.ndarray]], _Model]
) -> _Model | None:
    """``parse(meta, arrays)`` over the files ``write_model_files`` wrote (arrays as float32),
    or None when they are not installed. Unreadable files, another format version or a
    ``parse`` that fails on missing keys raise ConfigError naming ``what``."""
    meta_path, weights_path = directory / META_FILE, directory / WEIGHTS_FILE
    if not meta_path.is_file() or not weights_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with np.load(weights_path) as stored:
            arrays = {name: stored[name].astype(np.float32) for name in stored.files}
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"format {meta.get('format')!r}, expected {FORMAT_VERSION}")
        return parse(meta, arrays)
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        raise ConfigError(
            f"{what} files are unreadable ({exc}); rerun `make train`", source=str(directory)
        ) from exc


def save_classifier(classifier: EventClassifier, directory: Path) -> None:
    """Write the classifier's ``meta.json`` and ``weights.npz`` into ``directory``."""
    vocabulary = sorted(classifier.vectorizer.vocabulary, key=classifier.vectorizer.vocabulary.get)
    meta = {
        "labels": list(classifier.labels),
        "spec": classifier.spec.to_json(),
        "vocabulary": vocabulary,
        "info": classifier.info,
    }
    # float16 halves the file; the rounding moves a probability by well under 1e-3
    arrays = {
        "weights": classifier.model.weights.astype(np.float16),
        "bias": classifier.model.bias.astype(np.float32),
        "idf": classifier.vectorizer.idf.astype(np.float32),
    }
    if classifier.prototypes is not None:
        arrays["prototypes"] = classifier.prototypes.astype(np.float32)
    write_model_files(directory, meta, arrays)


def load_classifier(directory: Path = MODEL_DIR) -> EventClassifier | None:
    """The shipped classifier, or None when no weights are installed (the rule path then
    runs alone). Files that exist but do not fit together raise ConfigError."""
    return read_model_files(directory, "event classifier", _parse_classifier)


def _parse_classifier(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> EventClassifier:
    weights, bias, idf = arrays["weights"], arrays["bias"], arrays["idf"]
    spec = FeatureSpec.from_json(meta["spec"])
    labels = tuple(meta["labels"])
    vocabulary = {f: i for i, f in enumerate(meta["vocabulary"])}
    width = len(vocabulary) + (384 if spec.use_embedding else 0)
    width += len(LEXICON) if spec.lexicon_weight > 0 else 0
    if (
        weights.shape != (width, len(labels))
        or bias.shape != (len(labels),)
        or len(idf) != len(vocabulary)
    ):
        raise ValueError(
            f"weights {weights.shape} do not fit {len(vocabulary)} features "
            f"and {len(labels)} labels"
        )
    prototypes = arrays.get("prototypes")
    n_views = 2 if spec.embed_actor_kinds else 1
    if prototypes is not None and prototypes.shape != (n_views, len(labels), 384):
        raise ValueError(f"prototypes {prototypes.shape} do not fit {len(labels)} labels")
    return EventClassifier(
        spec,
        Vectorizer(vocabulary, idf),
        SoftmaxModel(labels, weights, bias),
        meta.get("info", {}),
        prototypes,
    )


def text_digest(text: str) -> str:
    """A short whitespace-insensitive fingerprint of a text; the trainer stores those of its
    training snippets so an evaluation can count the snippets the model has already seen."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def seen_in_training(classifier: EventClassifier, texts: Sequence[str]) -> int:
    """How many of ``texts`` were among the classifier's training snippets."""
    seen = set(classifier.info.get("text_digests", ()))
    return sum(1 for t in texts if text_digest(t) in seen)


_default: list[EventClassifier | None] = []
_default_lock = threading.Lock()


def default_classifier() -> EventClassifier | None:
    """The shipped classifier, loaded once per process; None when it is not installed."""
    with _default_lock:
        if not _default:
            _default.append(load_classifier())
        return _default[0]


def classify(text: str) -> list[tuple[str, float]]:
    """Every label with its probability, most probable first; ``[]`` without shipped weights."""
    classifier = default_classifier()
    return classifier.classify(text) if classifier is not None else []
