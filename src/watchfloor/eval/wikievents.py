"""End-to-end scoring against WikiEvents (Li, Ji & Han 2021) without gold triggers.

Our extractor sees the document text rebuilt from the gold tokens (single spaces between
tokens), so every evidence span it returns can be compared with gold triggers by character
offset. Gold events of the attack, death and injury types are aligned to predicted events,
then arguments are scored per role in two ways: by head word, and by head word against any
mention of the gold argument's coreference cluster.

Role mapping (gold role -> scored role): Attacker, Killer and Injurer -> ``Attacker`` (the
perpetrator of the attack, death or injury); Target -> ``Target``; Victim -> ``Victim``;
Place -> ``Place``; Instrument and ExplosiveDevice -> ``Instrument``. Other gold roles
(MedicalIssue, BodyPart, ...) have no counterpart in our record and are not scored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from watchfloor.errors import EncodingError, InputError, MalformedLine, UnreadableInput

SCORED_TYPE_PREFIXES = ("Conflict.Attack.", "Life.Die.", "Life.Injure.")
ROLES = ("Attacker", "Target", "Victim", "Place", "Instrument")
OVERALL = "overall"

_GOLD_ROLE = {
    "Attacker": "Attacker",
    "Killer": "Attacker",
    "Injurer": "Attacker",
    "Target": "Target",
    "Victim": "Victim",
    "Place": "Place",
    "Instrument": "Instrument",
    "ExplosiveDevice": "Instrument",
}
# Which scored roles a gold event of each family admits, so a prediction is not charged for
# filling a slot the gold ontology does not have (no Instrument for a death, no Target for it).
_FAMILY_ROLES = {
    "Conflict.Attack.": ("Attacker", "Target", "Place", "Instrument"),
    "Life.Die.": ("Attacker", "Victim", "Place"),
    "Life.Injure.": ("Attacker", "Victim", "Place", "Instrument"),
}
_POSSESSIVE = re.compile(r"['’]s\b|['’](?=\s|$)")
_CLAUSE_BREAK = re.compile(
    r",|;|\(|\s(?:of|in|at|from|near|on|who|which|that|with|by)\s", re.IGNORECASE
)
_WORD = re.compile(r"\w+")
_TIER_OVERLAP = 2
_TIER_SENTENCE = 1


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldArgument:
    """One gold argument: its scored role, surface text and the heads it may be matched by.

    ``cluster_heads`` always contains ``head``; with coreference it adds the heads of every
    mention in the entity's cluster.
    """

    role: str
    entity_id: str
    text: str
    head: str
    cluster_heads: frozenset[str]


@dataclass(frozen=True)
class GoldEvent:
    """A gold event of a scored type, its trigger as character offsets into ``WikiDoc.text``."""

    event_id: str
    event_type: str
    trigger_start: int
    trigger_end: int
    trigger_text: str
    sentence: int
    arguments: tuple[GoldArgument, ...]


@dataclass(frozen=True)
class WikiDoc:
    """A WikiEvents document as we score it: rebuilt text, sentence spans and scored events."""

    doc_id: str
    text: str
    token_offsets: tuple[tuple[int, int], ...]
    sentence_spans: tuple[tuple[int, int], ...]
    events: tuple[GoldEvent, ...]


@dataclass(frozen=True)
class Score:
    """Counts behind one P/R/F1 row; the two numerators differ only for event detection."""

    p_num: int
    p_den: int
    r_num: int
    r_den: int

    @property
    def precision(self) -> float:
        return self.p_num / self.p_den if self.p_den else 0.0

    @property
    def recall(self) -> float:
        return self.r_num / self.r_den if self.r_den else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class WikiEventsReport:
    """Corpus figures: detection, and per-role plus overall argument scores for both matchers."""

    documents: int
    gold_events: int
    predicted_events: int
    detection: Score
    head: dict[str, Score]
    coref: dict[str, Score]


@dataclass(frozen=True)
class _PredArgument:
    """A predicted filler; several surface forms (canonical name, evidence text) count as one."""

    role: str
    heads: frozenset[str]


# ---------------------------------------------------------------------------------------------
# Heads
# ---------------------------------------------------------------------------------------------


def _fold(word: str) -> str:
    """Fold case and a regular plural so 'bombs' and 'bomb' share a head."""
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def head_word(text: str) -> str:
    """Head of a mention without a parser: the last word before any modifier clause.

    'the city of Deir ez-Zor' -> 'city', 'Syria's army' -> 'army', 'three policemen' ->
    'policeman' is not attempted (only regular plurals are folded). Empty when no word.
    """
    text = _POSSESSIVE.sub(" ", text)
    match = _CLAUSE_BREAK.search(text)
    if match and _WORD.search(text[: match.start()]):
        text = text[: match.start()]
    words = _WORD.findall(text)
    return _fold(words[-1]) if words else ""


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


class _Shape(Exception):
    """A structural problem in one record; the caller adds file and line."""


def _read_lines(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"cannot read: {exc.strerror or exc}", source=str(path)) from exc
    try:
        return data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise EncodingError(f"not UTF-8 ({exc.reason})", source=str(path)) from exc


def _json_records(path: Path) -> Iterable[tuple[int, dict]]:
    """(line number, object) for each non-blank line."""
    for number, line in enumerate(_read_lines(path), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise MalformedLine(f"invalid JSON: {exc.msg}", source=str(path), line=number) from exc
        if not isinstance(record, dict):
            raise MalformedLine("expected a JSON object", source=str(path), line=number)
        yield number, record


def default_coref_path(path: Path) -> Path | None:
    """The release's layout: coref/<split>.jsonlines beside <split>.jsonl, if present."""
    candidate = path.parent / "coref" / f"{path.stem}.jsonlines"
    return candidate if candidate.is_file() else None


def _load_clusters(path: Path) -> dict[str, list[list[str]]]:
    clusters: dict[str, list[list[str]]] = {}
    for number, record in _json_records(path):
        key, groups = record.get("doc_key"), record.get("clusters")
        ok = isinstance(key, str) and isinstance(groups, list)
        ok = ok and all(isinstance(g, list) and all(isinstance(m, str) for m in g) for g in groups)
        if not ok:
            raise MalformedLine(
                "expected doc_key (string) and clusters (lists of entity ids)",
                source=str(path),
                line=number,
            )
        clusters[key] = groups
    return clusters


def _need(mapping: Mapping, key: str, kind: type | tuple[type, ...], what: str) -> object:
    value = mapping.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _Shape(f"{what}: '{key}' missing or of the wrong type")
    return value


def _offsets(tokens: Sequence[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Tokens joined by single spaces, and each token's (start, end) in that string."""
    spans = []
    position = 0
    for token in tokens:
        spans.append((position, position + len(token)))
        position += len(token) + 1
    return " ".join(tokens), tuple(spans)


def _token_span(mapping: Mapping, n_tokens: int, what: str) -> tuple[int, int]:
    start = _need(mapping, "start", int, what)
    end = _need(mapping, "end", int, what)
    if not 0 <= start < end <= n_tokens:  # type: ignore[operator]
        raise _Shape(f"{what}: token span {start}..{end} outside 0..{n_tokens}")
    return start, end  # type: ignore[return-value]


def _is_scored(event_type: str) -> bool:
    return event_type.startswith(SCORED_TYPE_PREFIXES)


def _parse_doc(record: dict, clusters: Mapping[str, list[list[str]]]) -> WikiDoc:
    doc_id = _need(record, "doc_id", str, "document")
    tokens = _need(record, "tokens", list, "document")
    if not all(isinstance(t, str) for t in tokens):  # type: ignore[union-attr]
        raise _Shape("tokens must all be strings")
    text, offsets = _offsets(tokens)  # type: ignore[arg-type]
    n = len(offsets)

    sentences = _need(record, "sentences", list, "document")
    sentence_spans = []
    first = 0
    for i, sentence in enumerate(sentences):  # type: ignore[arg-type]
        if not (isinstance(sentence, list) and sentence and isinstance(sentence[0], list)):
            raise _Shape(f"sentence {i}: expected [tokens, text]")
        last = first + len(sentence[0])
        if last > n or last == first:
            raise _Shape(f"sentence {i}: token counts do not add up to the token list")
        sentence_spans.append((offsets[first][0], offsets[last - 1][1]))
        first = last
    if first != n:
        raise _Shape("sentences do not cover every token")
    sentence_starts = [s for s, _ in sentence_spans]

    mention_text: dict[str, str] = {}
    for m in _need(record, "entity_mentions", list, "document"):  # type: ignore[union-attr]
        if not isinstance(m, dict):
            raise _Shape("entity mention is not an object")
        mid = _need(m, "id", str, "entity mention")
        start, end = _token_span(m, n, f"entity mention {mid}")
        mention_text[mid] = text[offsets[start][0] : offsets[end - 1][1]]  # type: ignore[index]

    cluster_of: dict[str, frozenset[str]] = {}
    for group in clusters.get(doc_id, []):  # type: ignore[arg-type]
        heads = frozenset(h for h in (head_word(mention_text.get(m, "")) for m in group) if h)
        for member in group:
            cluster_of[member] = heads

    events = []
    for e in _need(record, "event_mentions", list, "document"):  # type: ignore[union-attr]
        if not isinstance(e, dict):
            raise _Shape("event mention is not an object")
        eid = _need(e, "id", str, "event mention")
        etype = _need(e, "event_type", str, f"event {eid}")
        trigger = _need(e, "trigger", dict, f"event {eid}")
        start, end = _token_span(trigger, n, f"event {eid} trigger")  # type: ignore[arg-type]
        arguments = _need(e, "arguments", list, f"event {eid}")
        if not _is_scored(etype):  # type: ignore[arg-type]
            continue
        char_start, char_end = offsets[start][0], offsets[end - 1][1]
        sentence = max(i for i, s in enumerate(sentence_starts) if s <= char_start)
        gold_args = []
        seen: set[tuple[str, str]] = set()
        for a in arguments:  # type: ignore[union-attr]
            if not isinstance(a, dict):
                raise _Shape(f"event {eid}: argument is not an object")
            role = _need(a, "role", str, f"event {eid} argument")
            entity = _need(a, "entity_id", str, f"event {eid} argument")
            if entity not in mention_text:
                raise _Shape(f"event {eid}: argument names unknown entity {entity}")
            scored = _GOLD_ROLE.get(role)  # type: ignore[arg-type]
            if scored is None or (scored, entity) in seen:
                continue
            seen.add((scored, entity))  # type: ignore[arg-type]
            surface = mention_text[entity]  # type: ignore[index]
            head = head_word(surface)
            gold_args.append(
                GoldArgument(
                    role=scored,
                    entity_id=entity,  # type: ignore[arg-type]
                    text=surface,
                    head=head,
                    cluster_heads=cluster_of.get(entity, frozenset()) | {head},  # type: ignore[arg-type]
                )
            )
        events.append(
            GoldEvent(
                event_id=eid,  # type: ignore[arg-type]
                event_type=etype,  # type: ignore[arg-type]
                trigger_start=char_start,
                trigger_end=char_end,
                trigger_text=text[char_start:char_end],
                sentence=sentence,
                arguments=tuple(gold_args),
            )
        )
    return WikiDoc(
        doc_id=doc_id,  # type: ignore[arg-type]
        text=text,
        token_offsets=offsets,
        sentence_spans=tuple(sentence_spans),
        events=tuple(events),
    )


def load_documents(path: Path, coref_path: Path | None = None) -> list[WikiDoc]:
    """Parse a WikiEvents .jsonl split; without ``coref_path`` every entity is a singleton."""
    clusters = _load_clusters(coref_path) if coref_path is not None else {}
    docs: list[WikiDoc] = []
    seen: set[str] = set()
    for number, record in _json_records(path):
        try:
            doc = _parse_doc(record, clusters)
        except _Shape as exc:
            raise MalformedLine(str(exc), source=str(path), line=number) from exc
        if doc.doc_id in seen:
            raise MalformedLine(f"duplicate doc_id {doc.doc_id}", source=str(path), line=number)
        seen.add(doc.doc_id)
        docs.append(doc)
    return docs


# ---------------------------------------------------------------------------------------------
# Predictions
# ---------------------------------------------------------------------------------------------


def _spans(event: Mapping) -> list[tuple[str, int, int, str]]:
    """Well-formed evidence spans as (field, start, end, text); malformed ones are ignored."""
    found = []
    for span in event.get("evidence") or []:
        if not isinstance(span, Mapping):
            continue
        start, end = span.get("start"), span.get("end")
        if isinstance(start, int) and isinstance(end, int) and start < end:
            found.append((str(span.get("field") or ""), start, end, str(span.get("text") or "")))
    return found


def _name(value: object) -> str:
    if isinstance(value, Mapping):
        name = value.get("name")
        return name if isinstance(name, str) else ""
    return ""


def _heads(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(h for h in (head_word(t) for t in texts) if h)


def _pred_arguments(event: Mapping, gold_type: str) -> list[_PredArgument]:
    """Our event's fillers in the role frame of the gold event it is aligned to."""
    family = next(p for p in _FAMILY_ROLES if gold_type.startswith(p))
    allowed = _FAMILY_ROLES[family]
    spans = _spans(event)
    found: list[_PredArgument] = []

    def add(role: str, texts: Iterable[str]) -> None:
        heads = _heads(texts)
        if role in allowed and heads and all(a.heads != heads or a.role != role for a in found):
            found.append(_PredArgument(role, heads))

    add(
        "Attacker",
        [_name(event.get("perpetrator"))] + [t for f, *_, t in spans if f == "perpetrator"],
    )
    add("Place", [_name(event.get("location"))] + [t for f, *_, t in spans if f == "location"])
    target_role = "Target" if family == "Conflict.Attack." else "Victim"
    for target in event.get("targets") or []:
        add(target_role, [_name(target)])
    for weapon in event.get("weapons") or []:
        if isinstance(weapon, str):
            add("Instrument", [weapon])
    return found


def _sentence_of(doc: WikiDoc, offset: int) -> int:
    index = 0
    for i, (start, _) in enumerate(doc.sentence_spans):
        if start <= offset:
            index = i
    return index


def _link(doc: WikiDoc, gold: GoldEvent, event: Mapping) -> tuple[int, int] | None:
    """(tier, distance) of the best evidence span for this gold trigger; None if unrelated.

    Tier 2: a span overlaps the trigger. Tier 1: a span starts in the trigger's sentence.
    Distance (characters between span and trigger) breaks ties within a tier.
    """
    best: tuple[int, int] | None = None
    for _field, start, end, _text in _spans(event):
        if start < gold.trigger_end and gold.trigger_start < end:
            tier = _TIER_OVERLAP
        elif _sentence_of(doc, start) == gold.sentence:
            tier = _TIER_SENTENCE
        else:
            continue
        distance = max(0, start - gold.trigger_end, gold.trigger_start - end)
        key = (tier, -distance)
        if best is None or key > best:
            best = key
    return None if best is None else (best[0], -best[1])


def align(doc: WikiDoc, events: Sequence[Mapping]) -> dict[int, int]:
    """Gold event index -> predicted event index; one predicted event may serve several golds.

    One incident in our record is usually an attack plus its deaths and injuries in
    WikiEvents, so predicted events are not used up; each gold event takes its best link.
    """
    pairs: dict[int, int] = {}
    for g, gold in enumerate(doc.events):
        best: tuple[tuple[int, int], int] | None = None
        for p, event in enumerate(events):
            link = _link(doc, gold, event)
            if link is None:
                continue
            key = ((link[0], -link[1]), -p)
            if best is None or key > best[0]:
                best = (key, p)
        if best is not None:
            pairs[g] = best[1]
    return pairs


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


def _max_matching(n_pred: int, n_gold: int, ok: Callable[[int, int], bool]) -> int:
    """Size of a maximum one-to-one matching (Kuhn's augmenting paths; inputs are tiny)."""
    owner: dict[int, int] = {}

    def augment(p: int, visited: set[int]) -> bool:
        for g in range(n_gold):
            if g in visited or not ok(p, g):
                continue
            visited.add(g)
            if g not in owner or augment(owner[g], visited):
                owner[g] = p
                return True
        return False

    return sum(1 for p in range(n_pred) if augment(p, set()))


def _role_counts(
    preds: Sequence[_PredArgument], golds: Sequence[GoldArgument], coref: bool
) -> dict[str, int]:
    """Matched fillers per role between one predicted event and one gold event."""
    matched: dict[str, int] = {}
    for role in ROLES:
        p_role = [a for a in preds if a.role == role]
        g_role = [a for a in golds if a.role == role]
        if not p_role or not g_role:
            continue

        def ok(p: int, g: int, p_role=p_role, g_role=g_role) -> bool:
            target = g_role[g].cluster_heads if coref else {g_role[g].head}
            return bool(p_role[p].heads & target)

        matched[role] = _max_matching(len(p_role), len(g_role), ok)
    return matched


def _event_dicts(predictions: Sequence[object], doc_id: str) -> list[Mapping]:
    if not isinstance(predictions, Sequence) or isinstance(predictions, (str, bytes)):
        raise InputError(f"predictions for {doc_id} must be a list of event objects")
    return [e for e in predictions if isinstance(e, Mapping)]


def score(docs: Sequence[WikiDoc], predictions: Sequence[Sequence[dict]]) -> WikiEventsReport:
    """Detection and argument scores summed over the corpus (micro-averaged)."""
    if len(docs) != len(predictions):
        raise InputError(f"{len(predictions)} prediction lists for {len(docs)} documents")
    gold_events = pred_events = aligned_gold = aligned_pred = 0
    tallies = {
        mode: {role: [0, 0, 0] for role in ROLES} for mode in ("head", "coref")
    }  # role -> [matched, predicted, gold]
    for doc, raw in zip(docs, predictions, strict=True):
        events = _event_dicts(raw, doc.doc_id)
        pairs = align(doc, events)
        gold_events += len(doc.events)
        pred_events += len(events)
        aligned_gold += len(pairs)
        aligned_pred += len(set(pairs.values()))
        for g, gold in enumerate(doc.events):
            preds = _pred_arguments(events[pairs[g]], gold.event_type) if g in pairs else []
            for mode, table in tallies.items():
                matched = _role_counts(preds, gold.arguments, coref=mode == "coref")
                for role in ROLES:
                    row = table[role]
                    row[0] += matched.get(role, 0)
                    row[1] += sum(1 for a in preds if a.role == role)
                    row[2] += sum(1 for a in gold.arguments if a.role == role)
        for p, event in enumerate(events):
            if p in pairs.values():
                continue
            # An unmatched event's fillers are all false positives, read in the attack frame.
            for arg in _pred_arguments(event, "Conflict.Attack."):
                for table in tallies.values():
                    table[arg.role][1] += 1

    def scores(table: dict[str, list[int]]) -> dict[str, Score]:
        out = {role: Score(m, p, m, g) for role, (m, p, g) in table.items()}
        m, p, g = (sum(row[i] for row in table.values()) for i in range(3))
        out[OVERALL] = Score(m, p, m, g)
        return out

    return WikiEventsReport(
        documents=len(docs),
        gold_events=gold_events,
        predicted_events=pred_events,
        detection=Score(aligned_pred, pred_events, aligned_gold, gold_events),
        head=scores(tallies["head"]),
        coref=scores(tallies["coref"]),
    )


def evaluate(
    docs: Sequence[WikiDoc], extract: Callable[[str, str], list[dict]]
) -> WikiEventsReport:
    """Run ``extract(doc_id, text)`` on each rebuilt document text, then score."""
    return score(docs, [extract(doc.doc_id, doc.text) for doc in docs])


def _row(s: Score) -> dict:
    return {
        "precision": round(s.precision, 4),
        "recall": round(s.recall, 4),
        "f1": round(s.f1, 4),
        "p_num": s.p_num,
        "p_den": s.p_den,
        "r_num": s.r_num,
        "r_den": s.r_den,
    }


def report_dict(report: WikiEventsReport) -> dict:
    """JSON-ready figures (fractions in [0, 1], four decimals) with the counts behind them."""
    return {
        "documents": report.documents,
        "gold_events": report.gold_events,
        "predicted_events": report.predicted_events,
        "event_detection": _row(report.detection),
        "arguments": {
            "head": {k: _row(v) for k, v in report.head.items()},
            "coref": {k: _row(v) for k, v in report.coref.items()},
        },
    }
