"""Relations between armed groups stated in one description sentence (who allied with, fought,
pledged to, split from or merged with whom).

Pure rules, no model: group names come from the actor knowledge base plus names the caller
already knows (``extra_names``); a cue lexicon per relation kind finds the verb or noun that
states the relation, and the two groups closest to the cue, read with a little syntax (a
coordinated pair "A and B merged", a subject/object pair "A split from B", a "between A and B"
pair), become its arguments.

Kinds follow the Mapping Militant Organizations codebook. A *coalition* or umbrella that keeps
its members alive ("formed a coalition", "joined the alliance") is an **alliance**; only groups
that stop existing separately ("merged", "united into", "absorbed", "joined to form") are a
**merger**. "Ended its affiliation with" or "broke away" is a **splinter**.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from watchfloor.resolve.actors import ActorKB, fold

KINDS = ("alliance", "rivalry", "affiliation", "splinter", "merger")
# One relation per pair: the more specific kind wins when several cues fire on the same pair
# ("X split from Y after clashes" is a splinter, not a rivalry).
_PRIORITY = {"splinter": 0, "merger": 1, "affiliation": 2, "rivalry": 3, "alliance": 4}
_GROUP_KINDS = frozenset({"armed_group", "political", "identity_militia"})

# Cues whose two arguments usually both precede them ("A and B merged", "fought each other").
_SYMMETRIC = "symmetric"
# Cues read subject-before, object-after ("A split from B").
_ACROSS = "across"
# Cues that need an object group after them ("A attacked B positions"): "A and B launched an
# attack on a town" relates A and B to no group at all.
_OBJECT = "object"


@dataclass(frozen=True, slots=True)
class GroupRelation:
    """A relation between two groups; ``text == input[start:end]`` is the cue that states it."""

    kind: str  # "alliance" | "rivalry" | "affiliation" | "splinter" | "merger"
    group_a: str
    group_b: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class _Group:
    start: int
    end: int
    name: str


@dataclass(frozen=True, slots=True)
class _Cue:
    kind: str
    mode: str
    start: int
    end: int


def _lex(*patterns: str) -> str:
    return "|".join(patterns)


# (kind, mode, regex alternatives). Word boundaries are added around each alternation.
_LEXICON: tuple[tuple[str, str, str], ...] = (
    (
        "splinter",
        _ACROSS,
        _lex(
            r"split(?:s|ting)?\s+(?:off\s+)?(?:from|with)",
            r"split(?:s|ting)?\s+(?:off|away)",
            r"broke\s+(?:away|off)|break(?:s|ing)?\s+(?:away|off)|broken\s+away",
            r"splinter(?:ed|s)?(?:\s+(?:group|faction|organi[sz]ation))?",
            r"defect(?:ed|s|ing)?\s+from",
            r"(?:former|dissident|disaffected|breakaway|ex-)\s*members\s+of",
            r"(?:ended|severed|cut|renounced|broke)\s+(?:its|their|all)?\s*"
            r"(?:ties|affiliation|allegiance|links?)",
            r"breakaway(?:\s+(?:faction|group))?",
            r"faction\s+(?:of|within)|spun\s+off|spin-?off",
            r"separated\s+from|parted\s+ways\s+with|left\s+to\s+form",
        ),
    ),
    (
        "merger",
        _SYMMETRIC,
        _lex(
            r"merg(?:e|ed|es|ing|er)",
            r"amalgamat(?:ed|ion)",
            r"united\s+(?:into|to\s+form|as)|unified\s+(?:into|as)|unification\s+of",
            r"(?:joined|combined|came\s+together|consolidated)\s+to\s+form",
            r"absorb(?:ed|s|ing)|was\s+incorporated\s+into|folded\s+into|subsumed",
            r"fused|fusion\s+of|ceased\s+to\s+exist\s+as\s+a\s+separate",
        ),
    ),
    (
        "affiliation",
        _ACROSS,
        _lex(
            r"pledg(?:ed|es|ing)\s+(?:its\s+|their\s+)?(?:allegiance|loyalty|bay['’]?ah)",
            r"(?:swore|sworn|swear(?:s|ing)?|gave|offered|declared|announced|pledged)\s+"
            r"(?:(?:an\s+oath\s+of|its|their|\w+)\s+)?"
            r"(?:allegiance|bay['’]?ah|loyalty)",
            r"affiliat(?:e|es|ed|ion)",
            r"branch\s+of|franchise|wing\s+of|front\s+(?:group\s+)?(?:of|for)",
            r"(?:became|become|is|was)\s+(?:a|an)\s+(?:official\s+)?(?:province|offshoot)\s+of",
            r"(?:under|within)\s+the\s+(?:umbrella|banner|command)\s+of",
            r"subordinate\s+to|loyal\s+to|linked\s+to|proxy\s+(?:of|for)",
            r"(?:relations|ties|links?|contacts?|connections?)\s+(?:to|with|between)",
            r"associated\s+(?:itself\s+|themselves\s+)?with|formally\s+joined",
        ),
    ),
    (
        "rivalry",
        _ACROSS,
        _lex(
            r"clash(?:ed|es|ing)?",
            r"fought\s+(?:against|with|each\s+other|one\s+another)|fighting\s+(?:against|between)",
            r"declared\s+war|war\s+(?:against|on|with|between)|turf\s+war|infighting",
            r"rival(?:s|ry|ries)?|hostilit(?:y|ies)|feud(?:ed|s|ing)?|enem(?:y|ies)",
            r"offensive\s+against|battle(?:d|s)?\s+(?:against|with|between)|conflict\s+"
            r"(?:with|between)|tension(?:s)?\s+(?:with|between)|dispute\s+(?:with|between)",
        ),
    ),
    (
        "rivalry",
        _OBJECT,
        _lex(
            r"(?:attack(?:ed|s|ing)?|ambush(?:ed|es)?|kill(?:ed|ing|s)?|target(?:ed|s|ing)?|"
            r"assassinat(?:ed|es|ing)|kidnapp?(?:ed|s|ing)?|executed|abducted)"
            r"(?=\s+(?:[\w'-]+\s+){0,6}?(?:members?|fighters?|militants?|commanders?|leaders?|"
            r"positions?|bases?|of)\b)",
            r"condemn(?:ed|s|ing)?|denounc(?:ed|es|ing)|criticiz(?:ed|es)|criticis(?:ed|es)",
            r"oust(?:ed|s|ing)?|expel(?:led|s)?|drove\s+out|drive\s+out",
            r"forced\s+\w+(?:\s+\w+)?\s+out",
            r"assault(?:ed)?\s+on|attacks?\s+(?:on|against)|opposed|opposition\s+to",
        ),
    ),
    (
        "alliance",
        _SYMMETRIC,
        _lex(
            r"joint(?:ly)?",
            r"(?:worked|work|working|fought|fighting|operat(?:ed|ing)|cooperat(?:ed|ing)|"
            r"collaborat(?:ed|ing)|acted|moved)\s+(?:\w+\s+)?together|together",
            r"alongside|side\s+by\s+side",
            r"all(?:ied|iance|ies|y)|coalition|partnership|pact",
            r"cooperat(?:ed|es|ion|ing)|co-operat(?:ed|ion)|collaborat(?:ed|es|ion|ing)",
            r"coordinat(?:ed|es|ion|ing)|in\s+concert\s+with|in\s+cooperation\s+with",
            r"(?:provided|provides|provide|gave|supplied|offered|received|receives|sent|extended)"
            r"\s+(?:\w+\s+){0,3}?(?:support|training|weapons|arms|funding|funds|aid|assistance|"
            r"sanctuary|safe[\s-]?haven|shelter|fighters|money|logistics|explosives|resources)",
            r"support(?:ed|s|ing)?|assisted|aided|backed|trained|armed|sheltered|harbou?red",
            r"united\s+(?:with|against)|teamed\s+up|signed\s+an?\s+agreement|truce|ceasefire",
            r"joined\s+forces|umbrella\s+(?:organi[sz]ation|group|coalition)",
        ),
    ),
)

_CUE_RES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, mode, re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE))
    for kind, mode, pattern in _LEXICON
)
# Cue words that are symmetric whatever the lexicon default ("A and B fought each other").
_SYMMETRIC_WORDS = re.compile(r"each\s+other|one\s+another|together|joint|between", re.I)
_NEGATION = re.compile(
    r"\b(?:not|never|no|denied|deny|denies|refused\s+to|n't)\W+(?:\w+\W+)?$", re.IGNORECASE
)
# What may sit between two coordinated group names ("A and the B", "A, B").
_COORD_GAP = re.compile(
    r"\s*(?:,\s*(?:and\s+|as\s+well\s+as\s+)?|and|&|as\s+well\s+as|with|along\s+with)\s*"
    r"(?:the\s+)?",
    re.IGNORECASE,
)
# Filler between a group and a coordination ("A fighters and B members").
_FILLER = r"(?:\s*(?:'s)?\s*(?:fighters|militants|members|forces|leaders?|operatives|units?))?"
_COORD_RE = re.compile(rf"^{_FILLER}{_COORD_GAP.pattern}$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'(]?[A-Z0-9])")
_PAREN_RE = re.compile(r"\(([^()]+)\)")
_ALIAS_LEAD = re.compile(
    r"^(?:formerly(?:\s+known\s+as)?|also\s+known\s+as|aka|a\.k\.a\.)\s+", re.IGNORECASE
)
_MINOR_WORDS = frozenset({"of", "the", "and", "for", "in", "de", "du", "la", "le", "al", "el"})
_MAX_GAP = 250  # characters between a cue and a group beyond which they are unrelated


def name_variants(name: str) -> list[str]:
    """A known name and its parenthesised aliases: "Foo Front (FF)" -> "Foo Front (FF)",
    "Foo Front", "FF"; a leading "The" is optional when matching."""
    out: list[str] = []
    name = " ".join(name.split())
    if name:
        out.append(name)
    base = _PAREN_RE.sub(" ", name)
    base = " ".join(base.split())
    if base and base not in out:
        out.append(base)
    initials = _initials(base)
    if initials and initials not in out:
        out.append(initials)
    for inner in _PAREN_RE.findall(name):
        alias = _ALIAS_LEAD.sub("", inner.strip()).strip()
        if len(alias) >= 2 and alias not in out:
            out.append(alias)
    return out


def _initials(name: str) -> str:
    """Initials of a long name (Patriotic Union of Kurdistan -> PUK), as news abbreviates it."""
    words = [w for w in re.findall(r"[^\W_]+", name) if w.lower() not in _MINOR_WORDS]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words)


def _name_regex(variant: str) -> re.Pattern[str] | None:
    """Whole-word, case-insensitive regex; hyphens, spaces and apostrophes are interchangeable."""
    words = re.findall(r"[^\W_]+", variant)
    if not words:
        return None
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    sep = r"(?:\s*[-‐‑–—'’`]\s*|\s+|\s*['’]?)"
    body = sep.join(re.escape(w) for w in words)
    flags = re.IGNORECASE
    if len(words) == 1 and variant.isupper() and len(variant) <= 5:
        flags = 0  # short acronyms (IS, HM) only in capitals, else "is" would match
    return re.compile(rf"(?<![\w-])(?:the\s+)?{body}(?![\w-])", flags)


def _known_spans(text: str, extra_names: Sequence[str]) -> list[_Group]:
    found: list[_Group] = []
    for name in extra_names:
        for variant in name_variants(name):
            pattern = _name_regex(variant)
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                start = m.start()
                if text[start : start + 4].lower() == "the ":
                    start += 4
                found.append(_Group(start, m.end(), name))
    return found


def _fold_key(name: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", fold(name).replace("'", "").replace("’", "")))


def _groups(text: str, kb: ActorKB, extra_names: Sequence[str]) -> list[_Group]:
    """Non-overlapping group mentions in text order; caller-known names win over KB names and
    name the KB actors they resolve to, so one group never appears under two names."""
    known = [n for n in extra_names if n and n.strip()]
    by_actor: dict[str, str] = {}
    for name in known:
        for variant in name_variants(name):
            actor = kb.resolve(variant)
            if actor is not None and actor.actor_id not in by_actor:
                by_actor[actor.actor_id] = name
    cands = _known_spans(text, known)
    for m in kb.find_mentions(text):
        if m.actor.generic or m.actor.kind not in _GROUP_KINDS:
            continue
        name = by_actor.get(m.actor.actor_id, m.actor.name)
        cands.append(_Group(m.start, m.end, name))
    cands.extend(_defined_acronyms(text, cands))
    chosen: list[_Group] = []
    for cand in sorted(cands, key=lambda g: (-(g.end - g.start), g.start)):
        if all(cand.end <= g.start or cand.start >= g.end for g in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda g: g.start)


def _defined_acronyms(text: str, groups: list[_Group]) -> list[_Group]:
    """Acronyms the text defines, as in "Ulster Volunteer Force (UVF)", name that group."""
    out: list[_Group] = []
    for g in groups:
        m = re.match(r"\s*\(([A-Z][A-Za-z0-9-]{1,9})\)", text[g.end :])
        if m is None:
            continue
        acronym = m.group(1)
        for hit in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text):
            out.append(_Group(hit.start(), hit.end(), g.name))
    return out


def _cues(sentence: str, offset: int) -> list[_Cue]:
    found: list[_Cue] = []
    for kind, mode, pattern in _CUE_RES:
        for m in pattern.finditer(sentence):
            if _NEGATION.search(sentence[: m.start()]):
                continue
            cue_mode = _SYMMETRIC if _SYMMETRIC_WORDS.search(m.group()) else mode
            found.append(_Cue(kind, cue_mode, offset + m.start(), offset + m.end()))
    # A longer cue covering a shorter one ("splinter group" over "group") keeps the longer.
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    kept: list[_Cue] = []
    for cue in found:
        if all(cue.end <= k.start or cue.start >= k.end for k in kept):
            kept.append(cue)
    return sorted(kept, key=lambda c: c.start)


def _coordinated(text: str, left: _Group, right: _Group) -> bool:
    return _COORD_RE.match(text[left.end : right.start]) is not None


def _distinct(groups: list[_Group]) -> list[_Group]:
    """Nearest-first list keeping the nearest mention of each name."""
    seen: set[str] = set()
    out: list[_Group] = []
    for g in groups:
        key = _fold_key(g.name)
        if key not in seen:
            seen.add(key)
            out.append(g)
    return out


def _pick_pair(text: str, cue: _Cue, groups: list[_Group]) -> tuple[_Group, _Group] | None:
    """The two groups the cue relates: a coordinated pair for symmetric cues, else the nearest
    subject before and object after, else any two nearest."""
    before = _distinct(
        [g for g in reversed(groups) if g.end <= cue.start and cue.start - g.end <= _MAX_GAP]
    )
    after = _distinct([g for g in groups if g.start >= cue.end and g.start - cue.end <= _MAX_GAP])
    if cue.mode == _OBJECT:
        if not before or not after or _fold_key(before[0].name) == _fold_key(after[0].name):
            return None
        return before[0], after[0]
    lone_subjects = cue.mode == _SYMMETRIC or not after or after[0].start - cue.end > 60
    if len(before) >= 2 and lone_subjects and _coordinated(text, before[1], before[0]):
        return before[1], before[0]
    if before and after and _fold_key(before[0].name) != _fold_key(after[0].name):
        return before[0], after[0]
    if len(after) >= 2 and _coordinated(text, after[0], after[1]):
        return after[0], after[1]
    nearest = sorted(
        before + after,
        key=lambda g: cue.start - g.end if g.end <= cue.start else g.start - cue.end,
    )
    nearest = _distinct(nearest)
    if len(nearest) >= 2:
        a, b = sorted(nearest[:2], key=lambda g: g.start)
        return a, b
    return None


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def find_relations(text: str, kb: ActorKB, extra_names: Sequence[str] = ()) -> list[GroupRelation]:
    """Relations between groups named in ``text``, one per unordered pair, in text order."""
    groups = _groups(text, kb, extra_names)
    best: dict[frozenset[str], GroupRelation] = {}
    for s_start, s_end in _sentences(text):
        inside = [g for g in groups if g.start >= s_start and g.end <= s_end]
        if len(inside) < 2:
            continue
        for cue in _cues(text[s_start:s_end], s_start):
            if any(g.start < cue.end and cue.start < g.end for g in inside):
                continue  # "Alliance" inside "Alliance for the Re-liberation of Somalia"
            pair = _pick_pair(text, cue, inside)
            if pair is None:
                continue
            a, b = pair
            key = frozenset({_fold_key(a.name), _fold_key(b.name)})
            rel = GroupRelation(
                cue.kind, a.name, b.name, cue.start, cue.end, text[cue.start : cue.end]
            )
            old = best.get(key)
            if old is None or _PRIORITY[rel.kind] < _PRIORITY[old.kind]:
                best[key] = rel
    return sorted(best.values(), key=lambda r: (r.start, r.group_a, r.group_b))
