"""A trained role filler for MUC-4 templates: which noun phrases of a document are the
perpetrators, targets, victims and weapons of its incidents.

The hand-written head-word rules of ``muc4.event_template`` cannot tell "the peasants" who were
killed from "the peasants" who marched, and they see only the event's own sentences. This model
reads every noun phrase of the document with its syntactic neighbourhood (head word, the verb
it depends on and how, the preposition that introduces it, entity label, casing, how often it
recurs, whether its sentence speaks of violence) and gives a probability for each role and for
"none". It is a softmax regression over sparse binary features, trained on the 1,300 MUC-4
training documents by ``python -m watchfloor.train.muc4_roles`` and shipped as package data in
``data/muc4_roles/`` (``meta.json`` with the feature vocabulary and training record,
``weights.npz``). Without those files ``load_role_model`` returns None and the rules fill the
roles alone.

Candidates and features are pure functions of a parsed spaCy ``Doc``, so training and use
cannot drift apart.

A second, document-level model (``IncidentModel``, files in ``data/muc4_incidents/``) says
whether a message reports a relevant incident at all and of which types: a binary logistic
regression per label over the message's words and word pairs, trained by the same command. It
speaks where the trigger lexicon found no event.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from watchfloor.pipeline.classify import (
    adam_descent,
    read_model_files,
    softmax,
    words,
    write_model_files,
)

MODEL_DIR = Path(__file__).parent / "data" / "muc4_roles"
INCIDENT_DIR = Path(__file__).parent / "data" / "muc4_incidents"
RELEVANT = "relevant"
INCIDENT_TYPES = ("attack", "bombing", "kidnapping", "arson", "robbery", "forced work stoppage")
INCIDENT_LABELS = (RELEVANT, *INCIDENT_TYPES)
NONE = "none"
LABELS = (NONE, "PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
BIAS_FEATURE = "bias"

# Words that make a sentence one about violence; a feature, not a filter.
_VIOLENCE = re.compile(
    r"\b(?:kill|murder|assassinat|attack|bomb|explo|dynamite|blast|kidnap|abduct|hostage|"
    r"shot|shoot|gunfire|machinegun|wound|injur|burn|set fire|arson|destroy|damag|rob|"
    r"stole|raid|ambush|massacre|terroris|dead|died|death|strike|sabotag|blew|blown)",
    re.IGNORECASE,
)
_DROP_LEADING_POS = frozenset(["DET", "PRON", "NUM", "PUNCT", "CCONJ", "ADP"])
_ENTITY_LABELS = frozenset(["PERSON", "ORG", "NORP", "FAC", "GPE", "PRODUCT", "LOC"])
_MAX_WORDS = 10

# Word classes that let the model generalise from frequent trigger and head words to rare
# ones: the role of a phrase follows from what kind of act governs it ('killed' and
# 'assassinated' alike make their object a victim) and what kind of thing it names.
_TRIGGER_CLASSES = {
    "kill": "kill murder assassinate massacre execute slay strangle behead shoot machinegun "
    "riddle gun torture",
    "attack": "attack ambush raid assault storm harass fire open hit strike overrun besiege",
    "bomb": "bomb dynamite explode detonate blow blast plant place hurl throw toss launch set "
    "activate",
    "damage": "destroy damage burn torch wreck demolish sabotage loot rob steal",
    "kidnap": "kidnap abduct seize capture hold release free rescue",
    "wound": "wound injure hurt",
    "die": "die perish",
    "blame": "claim blame attribute accuse responsible suspect",
}
_TRIGGER_CLASS = {w: c for c, ws in _TRIGGER_CLASSES.items() for w in ws.split()}
_TRIGGER_NOUNS = {
    "kill": "murder killing assassination massacre death execution crime slaying",
    "attack": "attack ambush raid assault offensive incursion harassment shooting",
    "bomb": "bombing explosion blast bomb attack dynamiting",
    "damage": "destruction sabotage arson burning robbery damage",
    "kidnap": "kidnapping abduction kidnap release capture",
    "blame": "responsibility authorship",
}
_TRIGGER_NOUN = {w: c for c, ws in _TRIGGER_NOUNS.items() for w in ws.split()}
_HEAD_CLASSES = {
    "perp": "guerrilla terrorist gunman subversive rebel assassin kidnapper hitman killer "
    "assailant attacker commando narcoterrorist extremist insurgent trafficker squad militant "
    "sicario mercenary column cell unit member individual man group band gang criminal "
    "delinquent urban",
    "org": "front army movement party organization command council forces force brigade "
    "battalion cartel commandos alliance union guard police",
    "person": "peasant civilian mayor judge priest jesuit journalist student worker leader "
    "official minister candidate senator deputy councilman attorney businessman unionist "
    "child woman man passenger policeman guard director ambassador diplomat missionary nun "
    "archbishop bishop teacher farmer engineer technician executive legislator magistrate "
    "governor prosecutor soldier officer agent member person people citizen resident "
    "president secretary chief commander colonel general captain lieutenant sergeant "
    "son daughter wife husband brother father mother family relative driver employee "
    "doctor lawyer politician activist victim hostage reporter photographer",
    "thing": "embassy office headquarters building house home residence mansion vehicle car "
    "bus truck jeep plane aircraft helicopter plant substation station tower pylon pole line "
    "powerline transformer bridge church temple school university bank hotel store shop farm "
    "facility installation pipeline airport ambulance institute center centre company firm "
    "branch club restaurant factory warehouse dam barracks garrison post premises property "
    "hospital clinic ministry courthouse court prison jail market cooperative estate "
    "hacienda ranch consulate newspaper studio agency system network oil well tanker train "
    "railway depot chapel mayoralty hall supermarket cinema theater theatre road highway "
    "tank service tower antenna installation power electricity",
    "weapon": "bomb dynamite explosive device grenade rocket mortar machinegun gun rifle "
    "pistol revolver mine launcher charge firearm weapon cocktail submachinegun shotgun "
    "knife machete stone ammunition bullet artillery cannon bazooka m16 ak47 fal m-16 ak-47 "
    "uzi carbine fragmentation tnt",
}
_HEAD_CLASS = {w: c for c, ws in _HEAD_CLASSES.items() for w in ws.split()}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A noun phrase that may fill a role: its character span, text, sentence and features."""

    start: int
    end: int
    text: str
    sentence: int
    features: tuple[str, ...]


def _lexicon(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Leading words the gold fillers leave out: 'at least 10 towers' is keyed as 'towers'.
_QUANTITY = _lexicon(
    "several many some various numerous other others at least most more than about nearly "
    "approximately almost over around few all both each another these those such"
)
# Titles and descriptions before a name: the key writes 'Enrique Lopez Albujar', not 'former
# defense Minister General Enrique Lopez Albujar'.
_TITLES = _lexicon(
    "general gen minister president senator mayor msgr monsignor father inspector guard "
    "corporal agent officer sergeant sgt captain capt lieutenant lt major colonel col "
    "commander leader secretary companion photographer photographers reporter reporters "
    "journalist journalists dr doctor judge attorney priest bishop archbishop governor deputy "
    "councilman ambassador director chief engineer lawyer businessman candidate mr mrs ms "
    "professor student students peasant peasants teacher citizen citizens brother sister son "
    "daughter wife husband retired former late colleague nephew member members"
)
# Event nouns whose compound modifier is the weapon or target: 'dynamite attack', 'bomb
# explosion', 'mortar fire', 'bullet wounds'.
_EVENT_HEADS = _lexicon(
    "attack attacks explosion explosions blast blasts fire wound wounds bombing bombings "
    "assault shot shots killing killings stoppage strike sabotage burst bursts"
)


def _trim(tokens: Sequence[Any]) -> list[Any]:
    toks = list(tokens)
    while toks and (
        toks[0].pos_ in _DROP_LEADING_POS
        or toks[0].tag_ in ("PRP$", "WDT", "POS")
        or toks[0].lower_ in _QUANTITY
    ):
        toks = toks[1:]
    while toks and (toks[-1].pos_ in ("PUNCT", "CCONJ") or toks[-1].tag_ == "POS"):
        toks = toks[:-1]
    return toks


def _variants(toks: Sequence[Any]) -> list[tuple[str, list[Any]]]:
    """Shorter readings of a phrase the key often writes instead: the name after its titles,
    each conjunct of a coordination, the head with its compounds, and the compound before an
    event noun."""
    out: list[tuple[str, list[Any]]] = []
    titles = [k for k, t in enumerate(toks[:-1]) if t.lower_.strip(".") in _TITLES]
    if titles:
        out.append(("title", list(toks[titles[-1] + 1 :])))
    if any(t.pos_ == "CCONJ" or t.text == "," for t in toks):
        piece: list[Any] = []
        for t in [*toks, None]:
            if t is None or t.pos_ == "CCONJ" or t.text == ",":
                if piece:
                    out.append(("conj", piece))
                piece = []
            else:
                piece.append(t)
    root = toks[0].doc[toks[0].i : toks[-1].i + 1].root
    at = root.i - toks[0].i
    first = at
    while first > 0 and toks[first - 1].dep_ == "compound":
        first -= 1
    out.append(("head", list(toks[first : at + 1])))
    if root.lemma_.lower() in _EVENT_HEADS:
        first = at
        while first > 0 and (
            toks[first - 1].dep_ in ("compound", "amod", "nmod") or toks[first - 1].text == "-"
        ):
            first -= 1
        out.append(("cmpd", list(toks[first:at])))
    return out


def _spans(doc: Any) -> dict[tuple[int, int], str]:
    """Token spans of the candidate phrases with how each was read: noun chunks, named
    entities, a noun with its 'of' / apposition complements ('members of the FMLN'), and
    their ``_variants``."""
    spans: dict[tuple[int, int], str] = {}

    def add(tokens: Sequence[Any], kind: str = "np") -> None:
        toks = _trim(tokens)
        nominal = kind == "cmpd" or any(t.pos_ in ("NOUN", "PROPN") for t in toks)
        if toks and len(toks) <= _MAX_WORDS and nominal:
            spans.setdefault((toks[0].i, toks[-1].i + 1), kind)
            if kind == "np":
                for how, part in _variants(toks):
                    add(part, how)

    for chunk in doc.noun_chunks:
        add(chunk)
        root = chunk.root
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in root.children):
            add(doc[root.left_edge.i : root.right_edge.i + 1])
    for ent in doc.ents:
        if ent.label_ in _ENTITY_LABELS:
            add(ent)
    return dict(sorted(spans.items()))


def _verb_of(token: Any) -> Any | None:
    """The nearest verb governing ``token`` (itself excluded), through prepositions and
    conjunctions."""
    node = token.head
    hops = 0
    while node is not None and hops < 6:
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.head is node:
            return None
        node, hops = node.head, hops + 1
    return None


def _noun_trigger_features(anchor: Any, dep: str) -> list[str]:
    """'the murder of X', 'an attack on X', 'X's kidnapping', 'X claimed responsibility':
    the class of an event noun the phrase attaches to, and how."""
    out = []
    if dep == "pobj":
        prep = anchor.head
        trigger = _TRIGGER_NOUN.get(prep.head.lemma_.lower())
        if trigger is not None:
            out.append("tn:" + trigger + ":" + prep.lower_)
    elif dep in ("poss", "compound", "nmod"):
        trigger = _TRIGGER_NOUN.get(anchor.head.lemma_.lower())
        if trigger is not None:
            out.append("tn:" + trigger + ":" + dep)
    elif dep == "nsubj":
        objects = [c for c in anchor.head.children if c.dep_ in ("dobj", "attr")]
        for obj in objects:
            trigger = _TRIGGER_NOUN.get(obj.lemma_.lower())
            if trigger is not None:
                out.append("tn:" + trigger + ":subj")
    return out


def _bucket(n: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


def candidates(doc: Any) -> list[Candidate]:
    """Every candidate phrase of a parsed document with its features."""
    sentences = list(doc.sents)
    sentence_of = {}
    violent = []
    for n, sent in enumerate(sentences):
        violent.append(bool(_VIOLENCE.search(sent.text)))
        for tok in sent:
            sentence_of[tok.i] = n
    lemma_counts = Counter(t.lemma_.lower() for t in doc if t.pos_ in ("NOUN", "PROPN"))
    entity_of = {}
    for ent in doc.ents:
        for tok in ent:
            entity_of[tok.i] = ent.label_
    out = []
    for (start, end), kind in _spans(doc).items():
        span = doc[start:end]
        root = span.root
        head_lemma = root.lemma_.lower()
        words = [t.lower_ for t in span]
        n_sent = sentence_of.get(root.i, 0)
        f = [
            BIAS_FEATURE,
            "h:" + head_lemma,
            "first:" + words[0],
            "len:" + _bucket(len(words), (1, 2, 3, 5)),
            "kind:" + kind,
        ]
        # sorted: set order follows the string hash seed, and the float32 sums of the fit
        # follow the feature order, so an unsorted set made training runs differ in the bits
        f.extend("w:" + w for w in sorted(set(words)))
        f.append("ent:" + entity_of.get(root.i, "-"))
        dep = root.dep_
        anchor = root
        if dep == "conj":
            anchor = root.head
            while anchor.dep_ == "conj" and anchor.head is not anchor:
                anchor = anchor.head
            dep = anchor.dep_
            f.append("conj")
        f.append("dep:" + dep)
        f.append("hd:" + dep + ":" + anchor.head.lemma_.lower())
        if dep == "pobj":
            prep = anchor.head
            f.append("prep:" + prep.lower_)
            f.append("pp:" + prep.lower_ + ":" + prep.head.lemma_.lower())
        elif dep == "appos":
            f.append("appos:" + anchor.head.lemma_.lower())
        verb = _verb_of(anchor)
        if verb is not None:
            f.append("v:" + verb.lemma_.lower())
            f.append("vd:" + dep + ":" + verb.lemma_.lower())
            passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
            if passive:
                f.append("passive:" + dep)
            trigger = _TRIGGER_CLASS.get(verb.lemma_.lower())
            if trigger is not None:
                relation = dep
                if dep == "pobj":
                    relation = "pobj:" + anchor.head.lower_
                f.append("tv:" + trigger + ":" + relation + (":pass" if passive else ""))
        f.extend(_noun_trigger_features(anchor, dep))
        f.append("hc:" + _HEAD_CLASS.get(head_lemma, _HEAD_CLASS.get(root.lower_, "-")))
        if any(c.dep_ == "nummod" or c.like_num for c in root.children):
            f.append("nummod")
        if any(c.dep_ == "amod" for c in root.children):
            f.extend("amod:" + c.lower_ for c in root.children if c.dep_ == "amod")
        left = doc[start - 1].lower_ if start > 0 else "<s>"
        right = doc[end].lower_ if end < len(doc) else "</s>"
        f.extend(["l:" + left, "r:" + right])
        f.append("sent:" + _bucket(n_sent, (0, 1, 2, 4, 8)))
        f.append("violent" if violent[n_sent] else "calm")
        f.append("freq:" + _bucket(lemma_counts[head_lemma], (1, 2, 4)))
        content = [t for t in span if t.is_alpha and t.pos_ not in ("ADP", "DET", "CCONJ")]
        if content and all(t.text[:1].isupper() for t in content):
            f.append("caps")
        text = doc.text[span.start_char : span.end_char]
        out.append(Candidate(span.start_char, span.end_char, text, n_sent, tuple(dict.fromkeys(f))))
    return out


@dataclass
class RoleModel:
    """Softmax regression over sparse binary features: ``labels`` probabilities per candidate."""

    vocabulary: dict[str, int]
    weights: np.ndarray
    bias: np.ndarray
    labels: tuple[str, ...] = LABELS
    info: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, cands: Sequence[Candidate]) -> np.ndarray:
        """An (n, labels) array; unknown features are ignored."""
        out = np.zeros((len(cands), len(self.labels)), dtype=np.float32)
        for row, cand in enumerate(cands):
            cols = [self.vocabulary[f] for f in cand.features if f in self.vocabulary]
            if cols:
                out[row] = self.weights[cols].sum(axis=0)
        return softmax(out + self.bias)


def save_role_model(model: RoleModel, directory: Path) -> None:
    """Write ``meta.json`` and ``weights.npz`` into ``directory`` (created if needed)."""
    _save_linear(model, directory)


def _save_linear(model: RoleModel | IncidentModel, directory: Path) -> None:
    """Labels, vocabulary in column order and info as JSON; weights as float16."""
    meta = {
        "labels": list(model.labels),
        "vocabulary": sorted(model.vocabulary, key=model.vocabulary.get),
        "info": model.info,
    }
    arrays = {"weights": model.weights.astype(np.float16), "bias": model.bias.astype(np.float32)}
    write_model_files(directory, meta, arrays)


def load_role_model(directory: Path = MODEL_DIR) -> RoleModel | None:
    """The shipped model, or None when it is not installed; unreadable files raise
    ConfigError."""
    return read_model_files(directory, "MUC-4 role model", _parse_role_model)


def _linear_parts(
    meta: dict[str, Any], arrays: dict[str, np.ndarray]
) -> tuple[dict[str, int], np.ndarray, np.ndarray, tuple[str, ...]]:
    """Vocabulary, weights, bias and labels of a saved linear model, checked against each
    other (a ValueError becomes the loader's ConfigError)."""
    weights, bias = arrays["weights"], arrays["bias"]
    labels = tuple(meta["labels"])
    vocabulary = {f: i for i, f in enumerate(meta["vocabulary"])}
    if weights.shape != (len(vocabulary), len(labels)) or bias.shape != (len(labels),):
        raise ValueError(f"weights {weights.shape} do not fit {len(vocabulary)} features")
    return vocabulary, weights, bias, labels


def _parse_role_model(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> RoleModel:
    return RoleModel(*_linear_parts(meta, arrays), meta.get("info", {}))


def fit(
    rows: Sequence[Sequence[int]],
    targets: np.ndarray,
    width: int,
    *,
    n_labels: int = len(LABELS),
    l2: float = 1e-4,
    iterations: int = 300,
    learning_rate: float = 0.05,
    class_weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Weights and bias minimising weighted mean cross-entropy + l2/2·|W|², by full-batch Adam
    from zero over sparse binary rows (lists of active columns); deterministic."""
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    if (lengths == 0).any():
        raise ValueError("every row needs at least one active feature (the bias feature)")
    cols = np.concatenate([np.asarray(r, dtype=np.int64) for r in rows])
    row_of = np.repeat(np.arange(len(rows)), lengths)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    n = len(rows)
    onehot = np.zeros((n, n_labels), dtype=np.float32)
    onehot[np.arange(n), targets] = 1.0
    sample_w = (class_weights[targets] if class_weights is not None else np.ones(n)).astype(
        np.float32
    )
    sample_w /= sample_w.sum()
    weights = np.zeros((width, n_labels), dtype=np.float32)
    bias = np.zeros(n_labels, dtype=np.float32)

    def gradients() -> list[np.ndarray]:
        scores = np.add.reduceat(weights[cols], starts, axis=0) + bias
        delta = (softmax(scores) - onehot) * sample_w[:, None]
        grad_w = np.stack(
            [np.bincount(cols, weights=delta[row_of, k], minlength=width) for k in range(n_labels)],
            axis=1,
        ).astype(np.float32)
        return [grad_w + l2 * weights, delta.sum(axis=0)]

    adam_descent([weights, bias], gradients, iterations, learning_rate)
    return weights, bias


DEFAULT_THRESHOLD = 0.5


def assign_roles(
    model: RoleModel, cands: Sequence[Candidate]
) -> list[tuple[Candidate, str, float]]:
    """``choose_roles`` with the model's probabilities and its per-role thresholds
    (``model.info["thresholds"]``, chosen in training)."""
    if not cands:
        return []
    thresholds = model.info.get("thresholds", {})
    return choose_roles(cands, model.probabilities(cands), thresholds, model.labels)


def choose_roles(
    cands: Sequence[Candidate],
    probs: np.ndarray,
    thresholds: dict[str, float],
    labels: Sequence[str] = LABELS,
) -> list[tuple[Candidate, str, float]]:
    """The candidates whose most probable role (``none`` aside) reaches that role's
    threshold, most probable first, without the ones that ``nested`` in a more probable
    choice of the same role. A role's choices do not depend on another role's threshold."""
    chosen = []
    for cand, row in zip(cands, probs, strict=True):
        best = 1 + int(np.argmax(row[1:]))
        role = labels[best]
        if row[best] >= thresholds.get(role, DEFAULT_THRESHOLD):
            chosen.append((cand, role, float(row[best])))
    chosen.sort(key=lambda item: -item[2])
    kept: list[tuple[Candidate, str, float]] = []
    for item in chosen:
        if not any(role == item[1] and nested(cand, item[0]) for cand, role, _ in kept):
            kept.append(item)
    return kept


def nested(a: Candidate, b: Candidate) -> bool:
    """Whether one span lies inside the other: 'the FMLN' and 'urban commandos of the FMLN'
    name one filler at most, and the metric counts the other as a false positive."""
    return (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)


# ---------------------------------------------------------------------------------------------
# Document level: is there a relevant incident, and of which types
# ---------------------------------------------------------------------------------------------


def document_features(text: str) -> tuple[str, ...]:
    """The bias, the lower-cased words and the adjacent word pairs of a message (presence
    only), so an upper-case wire text and its truecased form read alike."""
    tokens = words(text)
    pairs = (f"b:{a} {b}" for a, b in itertools.pairwise(tokens))
    return tuple(dict.fromkeys([BIAS_FEATURE, *("w:" + t for t in tokens), *pairs]))


def document_labels(templates: Sequence[dict]) -> tuple[int, ...]:
    """1/0 per ``INCIDENT_LABELS``: any template, then a template of each type (an
    alternation such as 'attack / bombing' counts for both)."""
    kinds = [str(t.get("incident_type", "")) for t in templates]
    return (int(bool(templates)), *(int(any(k in s for s in kinds)) for k in INCIDENT_TYPES))


# Below this relevance probability a message gets no template at all. Chosen by two-fold
# cross-validation end to end over MUC-4 train (extractor, role and incident models fitted on
# the other fold): micro F1 32.4 at 0.1, against 31.6 without a gate, 32.3 at 0.15 and 0.2,
# and 31.3 at 0.5.
RELEVANCE_GATE = 0.1


# The document model's type replaces the trigger rules' when it is this much more probable.
# Two-fold CV end to end over MUC-4 train: micro F1 32.8 with the rules' types, 35.6 at 0.1,
# 34.7 at 0 and 35.4 at 0.2 and 0.5 (the rules confuse attacks and bombings).
TYPE_MARGIN = 0.1


def settled_type(kind: str, probs: dict[str, float], margin: float = TYPE_MARGIN) -> str:
    """``kind`` (the trigger rules' type of an event), or the incident type the message
    model finds more probable than it by ``margin``."""
    best = max(INCIDENT_TYPES, key=lambda k: probs[k])
    return best if probs[best] > probs.get(kind, 0.0) + margin else kind


@dataclass
class IncidentModel:
    """One logistic regression per label of ``labels`` over ``document_features``."""

    vocabulary: dict[str, int]
    weights: np.ndarray  # (features, labels) log-odds
    bias: np.ndarray
    labels: tuple[str, ...] = INCIDENT_LABELS
    info: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, text: str) -> dict[str, float]:
        """Label -> probability that the message holds it."""
        cols = [self.vocabulary[f] for f in document_features(text) if f in self.vocabulary]
        logits = self.weights[cols].sum(axis=0) + self.bias
        return dict(zip(self.labels, (1 / (1 + np.exp(-logits))).tolist(), strict=True))

    def relevant(self, text: str, gate: float = RELEVANCE_GATE) -> bool:
        """Whether the message may hold a MUC incident: an event in an irrelevant message
        (a third of the dev messages have no template) costs a template of false positives."""
        return self.probabilities(text)[RELEVANT] >= gate

    def settle_type(self, kind: str, text: str) -> str:
        """``settled_type`` with this message's probabilities."""
        return settled_type(kind, self.probabilities(text))

    def fallback_type(self, text: str) -> str | None:
        """The most probable incident type when the message is more likely relevant than not
        (the decision rule of a calibrated model, not a tuned bar); else None."""
        probs = self.probabilities(text)
        if probs[RELEVANT] < 0.5:
            return None
        return max(INCIDENT_TYPES, key=lambda kind: probs[kind])


def fit_incident_model(
    texts: Sequence[str], labels: Sequence[Sequence[int]], *, min_count: int = 3, l2: float = 1e-3
) -> IncidentModel:
    """Each label's regression by ``fit`` as a two-class softmax, kept as one log-odds column;
    features seen in fewer than ``min_count`` messages are dropped."""
    feats = [document_features(t) for t in texts]
    counts = Counter(f for row in feats for f in row)
    kept = sorted(f for f, n in counts.items() if n >= min_count or f == BIAS_FEATURE)
    vocab = {f: i for i, f in enumerate(kept)}
    rows = [[vocab[f] for f in row if f in vocab] for row in feats]
    targets = np.asarray(labels, dtype=np.int64)
    weights = np.zeros((len(vocab), targets.shape[1]), dtype=np.float32)
    bias = np.zeros(targets.shape[1], dtype=np.float32)
    for k in range(targets.shape[1]):
        w, b = fit(rows, targets[:, k], len(vocab), n_labels=2, l2=l2)
        weights[:, k], bias[k] = w[:, 1] - w[:, 0], b[1] - b[0]
    return IncidentModel(vocab, weights, bias)


def save_incident_model(model: IncidentModel, directory: Path) -> None:
    """Write ``meta.json`` and ``weights.npz`` into ``directory`` (created if needed)."""
    _save_linear(model, directory)


def load_incident_model(directory: Path = INCIDENT_DIR) -> IncidentModel | None:
    """The shipped document model, or None when it is not installed; unreadable files raise
    ConfigError."""
    return read_model_files(directory, "MUC-4 incident model", _parse_incident_model)


def _parse_incident_model(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> IncidentModel:
    vocabulary, weights, bias, labels = _linear_parts(meta, arrays)
    if labels != INCIDENT_LABELS:
        raise ValueError(f"labels {labels} are not {INCIDENT_LABELS}")
    return IncidentModel(vocabulary, weights, bias, labels, meta.get("info", {}))
