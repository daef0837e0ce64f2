"""Labelled texts for the event classifier, read from the shared data sets.

The CASE-2021 dev half is the core (its labels are the classifier's labels). Two smaller,
older sources add examples in other wording, mapped to CASE labels only where the mapping is
unambiguous: PLOVER gold sentences (event + mode, e.g. ASSAULT/suicide-attack -> SUIC_BOMB)
and MUC-4 training documents with a single incident (their lead, e.g. kidnapping ->
ABDUCT_DISSAP). Classes with no clean counterpart (PLOVER FIGHT, MUC-4 "attack", which mixes
ACLED's Attack and Armed clash) are left out rather than guessed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from watchfloor.errors import MalformedLine, UnreadableInput
from watchfloor.eval.case2021 import load_snippets


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str
    source: str


# (PLOVER event, mode) -> CASE label; mode None matches a record without a mode
PLOVER_TO_CASE: dict[tuple[str, str | None], str] = {
    ("ASSAULT", "suicide-attack"): "SUIC_BOMB",
    ("ASSAULT", "sexual"): "SEX_VIOL",
    ("ASSAULT", "assassinate"): "ATTACK",
    ("ASSAULT", "primitive"): "ATTACK",
    ("ASSAULT", "beat"): "ATTACK",
    ("ASSAULT", "torture"): "ATTACK",
    ("PROTEST", "demo-org"): "PEACE_PROTEST",
    ("PROTEST", "demo-spon"): "PEACE_PROTEST",
    ("PROTEST", "strike-hun"): "PEACE_PROTEST",
    ("PROTEST", "strike-gen"): "PEACE_PROTEST",
    ("PROTEST", "obstruct"): "PEACE_PROTEST",
    ("PROTEST", "riot-spon"): "VIOL_DEMONSTR",
    ("PROTEST", "riot"): "PROTEST_WITH_INTER",
    ("COERCE", "arrest"): "ARREST",
    ("COERCE", "destroy"): "PROPERTY_DISTRUCT",
    ("CONSULT", "visit"): "DIPLO",
    ("CONSULT", "host"): "DIPLO",
    ("CONSULT", "phone"): "DIPLO",
    ("CONSULT", "multilateral"): "DIPLO",
}

MUC4_TO_CASE = {
    "bombing": "REM_EXPLOS",
    "kidnapping": "ABDUCT_DISSAP",
    "arson": "PROPERTY_DISTRUCT",
}

_RECORD = re.compile(r"\{\s*\"id\".*?\n\}", re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def case_examples(path: Path) -> list[Example]:
    return [Example(s.text, s.label, "case2021") for s in load_snippets(path)]


def plover_examples(path: Path) -> list[Example]:
    """PLOVER's gold file is a JSON-like list with trailing commas: parse record by record."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UnreadableInput(f"cannot read: {exc.strerror or exc}", source=str(path)) from exc
    out = []
    for match in _RECORD.finditer(text):
        raw = _TRAILING_COMMA.sub(r"\1", match.group(0))
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            line = text.count("\n", 0, match.start()) + 1 + exc.lineno - 1
            raise MalformedLine(
                f"bad PLOVER record: {exc.msg}", source=str(path), line=line
            ) from exc
        label = PLOVER_TO_CASE.get((record.get("event", ""), record.get("mode")))
        sentence = str(record.get("text", "")).strip("{} \n")
        if label and sentence:
            out.append(Example(sentence, label, "plover"))
    return out


def muc4_examples(path: Path, max_words: int = 60) -> list[Example]:
    """The lead (first ``max_words`` words) of each MUC-4 document that holds exactly one
    incident of a mapped type; the lead is where a wire story states its incident."""
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UnreadableInput(f"cannot read: {exc.strerror or exc}", source=str(path)) from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            templates = doc["templates"]
            text = doc["doctext"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise MalformedLine(
                "not a GTT document (docid, doctext, templates)", source=str(path), line=number
            ) from exc
        types = {t.get("incident_type") for t in templates}
        if len(templates) != 1 or len(types) != 1:
            continue
        label = MUC4_TO_CASE.get(types.pop() or "")
        if label:
            out.append(Example(" ".join(text.split()[:max_words]), label, "muc4"))
    return out
