"""The MUC-4 "GTT" template-filling metric (Du, Rush & Cardie 2021), as specified in
shared/eval/GTT_METRIC.md.

The metric scores gold documents one at a time: predicted templates are paired one-to-one
with gold templates by the assignment that maximises the document's micro F1 (first in a
fixed order among equals), then role fillers are counted inside the pairs. Counts are summed
over the corpus and reported per category (incident type plus five roles) and micro-averaged.

Section numbers in comments refer to that specification.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from watchfloor.errors import EncodingError, InputError, MalformedLine, UnreadableInput

ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
INCIDENT_TYPE = "incident_type"
CATEGORIES = (INCIDENT_TYPE, *ROLES)
MICRO = "micro_avg"

_PUNCTUATION = str.maketrans("", "", string.punctuation)
_ARTICLES = re.compile(r"\b(?:a|an|the)\b")
_JSON_WS = " \t\n\r"


@dataclass(frozen=True)
class CategoryScore:
    """Summed counts for one category and the figures derived from them.

    ``precision``, ``recall`` and ``f1`` are percentages (the double times 100, unrounded),
    because the reference scorer reports percentages; ``report_dict`` rounds them.
    """

    p_num: int
    p_den: int
    r_num: int
    r_den: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def from_counts(cls, p_num: int, p_den: int, r_num: int, r_den: int) -> CategoryScore:
        """Section 5, step 3: P, R and F1 in double precision, then times 100."""
        p = p_num / p_den if p_num else 0.0
        r = r_num / r_den if r_num else 0.0
        f = 0.0 if p + r == 0 else ((2 * p) * r) / (p + r)
        return cls(p_num, p_den, r_num, r_den, p * 100, r * 100, f * 100)


@dataclass(frozen=True)
class GttReport:
    """Corpus figures: one score per category (``CATEGORIES`` order) and the micro row."""

    per_category: dict[str, CategoryScore]
    micro: CategoryScore
    documents: int


@dataclass(frozen=True)
class _Template:
    """A template ready for scoring: its type and, per role, entities as mention sets."""

    incident_type: str
    roles: tuple[tuple[frozenset[str], ...], ...]


class _Shape(Exception):
    """A structural problem found while checking one record; the caller adds file and line."""


# ---------------------------------------------------------------------------------------------
# Normalisation and document keys (sections 3.2 and 2.3)


def normalize_mention(text: str) -> str:
    """Section 3.2: lowercase, drop ASCII punctuation, drop articles, collapse whitespace."""
    text = text.lower().translate(_PUNCTUATION)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def doc_key(docid: str) -> str:
    """Section 2.3: the prediction-file key of a gold docid, e.g. TST2-MUC4-0100 -> "20100".

    A docid that is already a decimal key (no hyphen, ASCII digits) is used as that key, so
    gold mappings may be keyed either way.
    """
    if docid.isascii() and docid.isdigit():
        return str(int(docid))
    head, sep, _ = docid.partition("-")
    tail = docid.rsplit("-", 1)[-1]
    if not sep or not head or not head[-1].isdigit() or not head[-1].isascii():
        raise ValueError(f"docid {docid!r} does not look like TST<d>-...-<number>")
    if not (tail.isascii() and tail.isdigit()):
        raise ValueError(f"docid {docid!r} does not end in a decimal number")
    return str(10000 * int(head[-1]) + int(tail))


# ---------------------------------------------------------------------------------------------
# Shape checks shared by the loaders and ``score``


def _check_roles(template: object, what: str) -> dict:
    if not isinstance(template, dict):
        raise _Shape(f"{what} is a {type(template).__name__}, not a JSON object")
    if INCIDENT_TYPE not in template:
        raise _Shape(f"{what} has no 'incident_type'")
    for role in ROLES:
        if role not in template:
            raise _Shape(f"{what} has no {role!r} list")
        if not isinstance(template[role], list):
            raise _Shape(f"{what}: {role!r} is not a list of entities")
        for n, entity in enumerate(template[role]):
            if not isinstance(entity, list):
                raise _Shape(f"{what}: {role} entity {n} is not a list of mentions")
    return template


def _gold_mention(mention: object, where: str) -> str:
    """A gold mention is ``[string, offset]`` in the file; a bare string is also accepted."""
    if isinstance(mention, str):
        return mention
    if isinstance(mention, list | tuple) and len(mention) == 2 and isinstance(mention[0], str):
        return mention[0]
    raise _Shape(f"{where}: mention {mention!r} is not a [string, offset] pair")


def _check_gold_templates(templates: object, docid: str) -> list[dict]:
    if not isinstance(templates, list):
        raise _Shape(f"document {docid!r}: 'templates' is not a list")
    for t, template in enumerate(templates):
        what = f"document {docid!r}, gold template {t}"
        _check_roles(template, what)
        if not isinstance(template[INCIDENT_TYPE], str):
            raise _Shape(f"{what}: 'incident_type' is not a string")
        for role in ROLES:
            for entity in template[role]:
                for mention in entity:
                    _gold_mention(mention, f"{what}, {role}")
    return templates


def _check_pred_templates(templates: object, key: str) -> list[dict]:
    if not isinstance(templates, list):
        raise _Shape(f"document {key!r}: 'pred_templates' is not a list")
    for t, template in enumerate(templates):
        what = f"document {key!r}, predicted template {t}"
        _check_roles(template, what)
        for role in ROLES:
            for entity in template[role]:
                for mention in entity:
                    if not isinstance(mention, str):
                        raise _Shape(f"{what}, {role}: mention {mention!r} is not a string")
    return templates


# ---------------------------------------------------------------------------------------------
# Loading (section 2)


def _read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(f"not UTF-8 text: {exc.reason}", source=str(path)) from exc
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UnreadableInput(f"cannot read the file: {reason}", source=str(path)) from exc


def load_gold(path: Path) -> dict[str, list[dict]]:
    """Read a gold JSON Lines file: docid -> templates as stored (offsets kept).

    Blank lines are skipped. A docid seen twice keeps its later line, as the reference
    scorer does for a repeated document key.
    """
    text = _read_text(path)
    gold: dict[str, list[dict]] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            message = f"not valid JSON: {exc.msg}"
            raise MalformedLine(message, source=str(path), line=number) from exc
        try:
            if not isinstance(record, dict):
                raise _Shape("a gold line must hold one JSON object")
            docid = record.get("docid")
            if not isinstance(docid, str):
                raise _Shape("missing or non-string 'docid'")
            try:
                doc_key(docid)
            except ValueError as exc:
                raise _Shape(str(exc)) from exc
            if "templates" not in record:
                raise _Shape(f"document {docid!r} has no 'templates'")
            gold[docid] = _check_gold_templates(record["templates"], docid)
        except _Shape as exc:
            raise MalformedLine(str(exc), source=str(path), line=number) from exc
    return gold


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in _JSON_WS:
        i += 1
    return i


def _line_of(text: str, i: int) -> int:
    return text.count("\n", 0, i) + 1


def _members(text: str, path: Path) -> Iterator[tuple[str, object, int]]:
    """The top-level members of a JSON object with the line where each value starts.

    Decoding member by member (rather than ``json.loads``) is what lets an error name the
    line of the offending document.
    """
    decoder = json.JSONDecoder()

    def bad(i: int, message: str) -> MalformedLine:
        return MalformedLine(message, source=str(path), line=_line_of(text, i))

    i = _skip_ws(text, 0)
    if text[i : i + 1] != "{":
        raise bad(i, "the prediction file must hold one JSON object (it is not JSON Lines)")
    i = _skip_ws(text, i + 1)
    if text[i : i + 1] == "}":
        i = _skip_ws(text, i + 1)
    else:
        while True:
            if text[i : i + 1] != '"':
                raise bad(i, "expected a document key string")
            try:
                key, i = decoder.raw_decode(text, i)
                i = _skip_ws(text, i)
                if text[i : i + 1] != ":":
                    raise bad(i, "expected ':' after a document key")
                start = i = _skip_ws(text, i + 1)
                value, i = decoder.raw_decode(text, i)
            except json.JSONDecodeError as exc:
                raise MalformedLine(
                    f"not valid JSON: {exc.msg}", source=str(path), line=exc.lineno
                ) from exc
            yield key, value, _line_of(text, start)
            i = _skip_ws(text, i)
            if text[i : i + 1] == ",":
                i = _skip_ws(text, i + 1)
                continue
            if text[i : i + 1] == "}":
                i = _skip_ws(text, i + 1)
                break
            raise bad(i, "expected ',' or '}' after a document")
    if i != len(text):
        raise bad(i, "extra data after the prediction object")


def load_predictions(path: Path) -> dict[str, list[dict]]:
    """Read a prediction file (one JSON object): document key -> predicted templates.

    Fields other than ``pred_templates`` are ignored; a repeated key keeps its later value,
    as ``json.load`` would.
    """
    text = _read_text(path)
    preds: dict[str, list[dict]] = {}
    for key, value, line in _members(text, path):
        try:
            if not isinstance(value, dict) or "pred_templates" not in value:
                raise _Shape(f"document {key!r} is not an object with 'pred_templates'")
            preds[key] = _check_pred_templates(value["pred_templates"], key)
        except _Shape as exc:
            raise MalformedLine(str(exc), source=str(path), line=line) from exc
    return preds


# ---------------------------------------------------------------------------------------------
# Pre-processing (section 3)


def _gold_templates(raw: list[dict], docid: str) -> list[_Template]:
    """Section 3.1: drop offsets and empty entities, drop repeated templates, normalise."""
    seen: set[tuple] = set()
    kept: list[_Template] = []
    for template in raw:
        roles = tuple(
            tuple(
                tuple(_gold_mention(m, f"document {docid!r}") for m in entity)
                for entity in template[role]
                if entity
            )
            for role in ROLES
        )
        identity = (template[INCIDENT_TYPE], roles)
        if identity in seen:
            continue
        seen.add(identity)
        normalised = tuple(
            tuple(frozenset(normalize_mention(m) for m in entity) for entity in role)
            for role in roles
        )
        kept.append(_Template(template[INCIDENT_TYPE], normalised))
    return kept


def _pred_templates(raw: list[dict]) -> list[_Template]:
    """Sections 3.2-3.3: normalise mentions; a non-string incident type reads as "attack"."""
    kept = []
    for template in raw:
        itype = template[INCIDENT_TYPE]
        roles = tuple(
            tuple(frozenset(normalize_mention(m) for m in entity) for entity in template[role])
            for role in ROLES
        )
        kept.append(_Template(itype if isinstance(itype, str) else "attack", roles))
    return kept


# ---------------------------------------------------------------------------------------------
# Scoring one document (section 4)


def _pair_counts(pred: _Template, gold: _Template) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Numerator contributions (p_num, r_num per category) of pairing ``pred`` with ``gold``.

    An unmatched incident type contributes nothing, exactly like leaving ``pred`` unpaired.
    """
    zero = (0,) * len(CATEGORIES)
    if pred.incident_type not in gold.incident_type:
        return zero, zero
    p_nums = [1]
    r_nums = [1]
    for p_entities, g_entities in zip(pred.roles, gold.roles, strict=True):
        p_nums.append(sum(1 for e in p_entities if any(e <= h for h in g_entities)))
        r_nums.append(sum(1 for h in g_entities if any(e <= h for e in p_entities)))
    return tuple(p_nums), tuple(r_nums)


def _doc_f1(p_num: int, p_den: int, r_num: int, r_den: int) -> float:
    """Section 4.3: the document micro F1, with the reference's float operation order."""
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    return 0.0 if p + r == 0 else ((2 * p) * r) / (p + r)


# Below this many document units, float F strictly increases whenever p_num or r_num does (the
# exact relative gap, at least 1/((p_den + 1)(p_den + r_den)), dwarfs the few ulps of rounding),
# so a dominated (p_num, r_num) pair can never reach the maximum F and may be dropped.
_PARETO_SAFE_UNITS = 10**6


def _pareto(pairs: set[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The pairs not dominated in both coordinates by another pair."""
    kept: list[tuple[int, int]] = []
    for a, b in sorted(pairs, reverse=True):
        if not kept or b > kept[-1][1]:
            kept.append((a, b))
    return tuple(kept)


def _choose_assignment(
    cp: list[list[int]], cr: list[list[int]], p_den: int, r_den: int, n_gold: int
) -> tuple[int | None, ...]:
    """The assignment the reference's exhaustive search keeps (section 4.3).

    That is the first assignment, in the order of section 4.1, whose F equals the maximum F.
    ``cp[i][j]``/``cr[i][j]`` are the micro numerators pairing p_i with g_j adds (0 when the
    types do not match). A memoised pass over (row, used gold templates) gives every
    (p_num, r_num) gain the remaining rows can still reach, hence the maximum F; the walk then
    takes, row by row, the first value in the order whose continuation can still reach it.
    """
    k = len(cp)
    prune = p_den + r_den < _PARETO_SAFE_UNITS
    memo: dict[tuple[int, int], tuple[tuple[int, int], ...]] = {}

    def reachable(i: int, mask: int) -> tuple[tuple[int, int], ...]:
        if i == k:
            return ((0, 0),)
        key = (i, mask)
        if key not in memo:
            found = set(reachable(i + 1, mask))
            for j in range(n_gold):
                # a zero pair reaches a subset of what leaving p_i unpaired reaches
                if not mask >> j & 1 and (cp[i][j] or cr[i][j]):
                    gained = reachable(i + 1, mask | 1 << j)
                    found.update((a + cp[i][j], b + cr[i][j]) for a, b in gained)
            memo[key] = _pareto(found) if prune else tuple(found)
        return memo[key]

    best = max(_doc_f1(a, p_den, b, r_den) for a, b in reachable(0, 0))
    chosen: list[int | None] = []
    mask = pn = rn = 0
    for i in range(k):
        for j in [*(j for j in range(n_gold) if not mask >> j & 1), None]:
            next_mask = mask if j is None else mask | 1 << j
            dp, dr = (0, 0) if j is None else (cp[i][j], cr[i][j])
            if any(
                _doc_f1(pn + dp + a, p_den, rn + dr + b, r_den) == best
                for a, b in reachable(i + 1, next_mask)
            ):
                chosen.append(j)
                mask, pn, rn = next_mask, pn + dp, rn + dr
                break
        else:  # pragma: no cover - the maximum is reachable from the root by construction
            raise AssertionError("no continuation reaches the maximum F")
    return tuple(chosen)


def _score_document(
    preds: list[_Template], golds: list[_Template]
) -> tuple[list[int], list[int], list[int], list[int]]:
    """Per-category (p_num, p_den, r_num, r_den) lists for one document."""
    n = len(CATEGORIES)
    p_den = [len(preds)] + [sum(len(t.roles[r]) for t in preds) for r in range(len(ROLES))]
    r_den = [len(golds)] + [sum(len(t.roles[r]) for t in golds) for r in range(len(ROLES))]
    pairs = [[_pair_counts(p, g) for g in golds] for p in preds]
    cp = [[sum(pair[0]) for pair in row] for row in pairs]
    cr = [[sum(pair[1]) for pair in row] for row in pairs]
    assignment = _choose_assignment(cp, cr, sum(p_den), sum(r_den), len(golds))
    p_num = [0] * n
    r_num = [0] * n
    for i, j in enumerate(assignment):
        if j is None:
            continue
        pair_p, pair_r = pairs[i][j]
        for c in range(n):
            p_num[c] += pair_p[c]
            r_num[c] += pair_r[c]
    return p_num, p_den, r_num, r_den


# ---------------------------------------------------------------------------------------------
# Corpus (section 5)


def score(
    gold: Mapping[str, Sequence[dict]],
    pred: Mapping[str, Sequence[dict]],
    *,
    require_all: bool = True,
) -> GttReport:
    """Score predictions (key -> predicted templates) against gold (docid -> templates).

    Gold may be keyed by docid (``TST1-MUC3-0001``) or by prediction key (``"10001"``); gold
    mentions may be ``[string, offset]`` pairs or bare strings. Only gold documents are
    scored. A gold document missing from ``pred`` is an error, as in the reference scorer,
    unless ``require_all`` is false, in which case it counts as predicting nothing (the same
    numbers as an empty list).
    """
    docs: dict[str, list[_Template]] = {}
    for docid, templates in gold.items():
        try:
            key = doc_key(docid)
            _check_gold_templates(list(templates), docid)
        except (ValueError, _Shape) as exc:
            raise MalformedLine(str(exc), source="<gold>") from exc
        docs[key] = _gold_templates(list(templates), docid)
    missing = [key for key in docs if key not in pred]
    if missing and require_all:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise InputError(
            f"{len(missing)} gold document(s) have no prediction entry: {shown}",
            source="<predictions>",
        )
    n = len(CATEGORIES)
    totals = [[0] * n for _ in range(4)]
    for key, golds in docs.items():
        raw = list(pred.get(key, []))
        try:
            _check_pred_templates(raw, key)
        except _Shape as exc:
            raise MalformedLine(str(exc), source="<predictions>") from exc
        for total, counts in zip(totals, _score_document(_pred_templates(raw), golds), strict=True):
            for c in range(n):
                total[c] += counts[c]
    p_num, p_den, r_num, r_den = totals
    per_category = {
        name: CategoryScore.from_counts(p_num[c], p_den[c], r_num[c], r_den[c])
        for c, name in enumerate(CATEGORIES)
    }
    micro = CategoryScore.from_counts(sum(p_num), sum(p_den), sum(r_num), sum(r_den))
    return GttReport(per_category=per_category, micro=micro, documents=len(docs))


def _rows(report: GttReport) -> list[tuple[str, CategoryScore]]:
    return [*((name, report.per_category[name]) for name in CATEGORIES), (MICRO, report.micro)]


def _pct(value: float) -> str:
    """Section 5, step 4: two decimals, round-half-even on the exact binary value."""
    return f"{value:.2f}"


def report_dict(report: GttReport) -> dict:
    """The printed figures as JSON-ready numbers, rows keyed as the reference prints them.

    Each row holds ``precision``, ``recall`` and ``f1`` (percent, rounded to two decimals as
    printed) and the raw counts the reference scorer accumulates but does not print.
    """
    return {
        name: {
            "precision": float(_pct(row.precision)),
            "recall": float(_pct(row.recall)),
            "f1": float(_pct(row.f1)),
            "p_num": row.p_num,
            "p_den": row.p_den,
            "r_num": row.r_num,
            "r_den": row.r_den,
        }
        for name, row in _rows(report)
    }


def render(report: GttReport) -> str:
    """The reference scorer's printed output (section 5, "Output layout"), byte for byte."""
    lines: list[str] = []
    numbers: list[str] = []
    for name, row in _rows(report):
        frame = "*" if name == MICRO else "="
        lines.append(f"{frame * 17} {name} {frame * 17}")
        p, r, f = _pct(row.precision), _pct(row.recall), _pct(row.f1)
        lines.append(f"P: {p}%,  R: {r}%, F1: {f}%")
        numbers += [p, r, f]
    lines.append("print: " + " ".join(numbers))
    lines.append("")
    return "\n".join(lines) + "\n"
