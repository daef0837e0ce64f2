"""Actor knowledge base: who is who among armed groups, state forces and generic actor classes.

News names the same organisation in a dozen spellings (Daesh, ISIS, IS, Islamic State group) and
names state forces by demonym ("Pakistani troops", "US drone"). Coding an event needs one stable id
per actor plus its parent (ISKP -> Islamic State), so everything here is driven by one JSON file
(``data/actors.json``) and matched over tokens rather than raw characters: case, accents,
apostrophes and hyphen/space variants then compare equal without a regex per spelling.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from watchfloor.errors import ConfigError

DATA_PATH = Path(__file__).parent / "data" / "actors.json"

KINDS = frozenset(
    {
        "armed_group",
        "state_forces",
        "political",
        "identity_militia",
        "protesters",
        "rioters",
        "civilians",
        "generic_armed",
        "external",
    }
)
ROLES = frozenset({"military", "police"})
#: Dated relations between two actors (``source_id`` -> ``target_id``): the splinter points at the
#: group it left, the branch and the pledging group at their parent, a rename from old to new.
RELATION_KINDS = frozenset(
    {"ally", "rival", "affiliate", "splinter", "merger", "pledge", "branch_of", "rename"}
)
#: Kinds without a direction; graph consumers may draw them as plain lines.
SYMMETRIC_KINDS = frozenset({"ally", "rival", "affiliate", "merger"})

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_ISO2_RE = re.compile(r"^[A-Z]{2}$")
_APOSTROPHES = "'’ʼ‘`´"
# A token: letters/digits with inner apostrophes (Jama'at, Hay'at); "&" stands alone.
_TOKEN_RE = re.compile(rf"[^\W_]+(?:[{_APOSTROPHES}][^\W_]+)*|&")
# What may sit between two tokens of one name: spaces, a hyphen or dash, a possessive 's.
_GAP_RE = re.compile(rf"(?:[{_APOSTROPHES}][sS])?(?:\s*|\s*[-‐‑‒–—]\s*)")
# After a one-letter token a full stop is part of an initialism (U.S., U.K.).
_INITIAL_GAP_RE = re.compile(r"\.(?:\s*|\s*[-‐‑‒–—]\s*)")
_END = ""  # trie key marking the end of an alias (never a token)


def period_start(value: str | dt.date) -> dt.date:
    """First day of a YYYY[-MM[-DD]] date: a relation "since 2014" counts from 1 January."""
    if isinstance(value, dt.date):
        return value
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def date_precision(value: str | None) -> str | None:
    """'year', 'month' or 'day' for a YYYY[-MM[-DD]] string (None for None)."""
    if value is None:
        return None
    return ("year", "month", "day")[value.count("-")]


def _iso(on: str | dt.date | None) -> str | None:
    return on.isoformat() if isinstance(on, dt.date) else on


def _covers(valid_from: str | None, until: str | None, on: str) -> bool:
    """Whether day ``on`` lies in [valid_from, until); open ends are unbounded."""
    day = period_start(on)
    if valid_from is not None and day < period_start(valid_from):
        return False
    return until is None or day < period_start(until)


def _overlap(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    lo = [period_start(x) for x in (a[0], b[0]) if x is not None]
    hi = [period_start(x) for x in (a[1], b[1]) if x is not None]
    return not lo or not hi or max(lo) < min(hi)


def fold(text: str) -> str:
    """Case- and accent-free form of ``text`` so that Ejército == ejercito."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _Token(NamedTuple):
    """One word of a text: offsets, the word as written and its matching key."""

    start: int
    end: int
    raw: str
    norm: str


def _tokens(text: str) -> list[_Token]:
    """Word tokens with offsets; a possessive 's is left out of the token."""
    out: list[_Token] = []
    for m in _TOKEN_RE.finditer(text):
        raw = m.group()
        start, end = m.span()
        if len(raw) > 3 and raw[-1] in "sS" and raw[-2] in _APOSTROPHES:
            raw, end = raw[:-2], end - 2
        out.append(_Token(start, end, raw, _norm_token(raw)))
    return out


@lru_cache(maxsize=65536)
def _norm_token(raw: str) -> str:
    """Matching key of one token (cached: news reuses a small vocabulary)."""
    if raw == "&":
        return "and"
    norm = raw.lower() if raw.isascii() else fold(raw)
    for apostrophe in _APOSTROPHES:
        if apostrophe in norm:
            norm = norm.replace(apostrophe, "")
    return norm


def _alias_tokens(alias: str) -> list[_Token]:
    toks = _tokens(alias)
    if len(toks) > 1 and toks[0].norm == "the":
        toks = toks[1:]
    return toks


def normalize(surface: str) -> str:
    """Canonical key of a name: folded tokens joined by spaces, leading 'the' dropped."""
    return " ".join(t.norm for t in _alias_tokens(surface))


def _gap_ok(text: str, left: _Token, right: _Token) -> bool:
    gap = text[left.end : right.start]
    if _GAP_RE.fullmatch(gap):
        return "\n\n" not in gap
    return len(left.raw) == 1 and _INITIAL_GAP_RE.fullmatch(gap) is not None


@dataclass(frozen=True, slots=True)
class DatedAlias:
    """A name the actor used only for a while (GSPC until AQIM's rename in 2007)."""

    alias: str
    valid_from: str | None
    until: str | None


@dataclass(frozen=True, slots=True)
class KBActor:
    """One actor of the knowledge base; ``inter`` is ACLED's interaction code (1..8)."""

    actor_id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    inter: int | None
    countries: tuple[str, ...]
    parent_id: str | None
    founded: str | None
    branch_announced: str | None
    generic: bool
    aliases_case_sensitive: tuple[str, ...] = ()
    aliases_dated: tuple[DatedAlias, ...] = ()
    role: str | None = None
    resolve_only: tuple[str, ...] = ()  # names resolve() accepts but scanning skips (AFP)

    def exists_on(self, on: str | dt.date) -> bool:
        """False before the actor was founded or its branch announced (undated: always)."""
        dates = [d for d in (self.founded, self.branch_announced) if d is not None]
        return not dates or period_start(min(dates, key=period_start)) <= period_start(on)


@dataclass(frozen=True, slots=True)
class KBRelation:
    """A dated, sourced relation between two actors; dates are YYYY[-MM[-DD]] strings."""

    kind: str
    source_id: str
    target_id: str
    start: str | None
    end: str | None
    source: str
    note: str | None = None

    @property
    def precision(self) -> str | None:
        return date_precision(self.start)

    def active_on(self, on: str | dt.date) -> bool:
        """In force on that day: started (undated counts as always) and not yet ended."""
        day = period_start(on)
        if self.start is not None and period_start(self.start) > day:
            return False
        return self.end is None or period_start(self.end) > day


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a mention resolved to, and how sure that is.

    ``resolved`` is False for generic classes ("gunmen"): the actor is then a placeholder, not an
    identification. ``region`` notes the country a parent stands for when the text did not name
    the branch ("Islamic State" in a Quetta story before or without "Pakistan Province").
    """

    actor: KBActor
    resolved: bool
    via: str  # "alias", "state", "branch", "generic"
    region: str | None = None


@dataclass(frozen=True, slots=True)
class ActorMention:
    """A span of an article naming an actor; ``text == article[start:end]``."""

    start: int
    end: int
    text: str
    actor: KBActor


@dataclass(frozen=True, slots=True)
class _Entry:
    """One alias at the end of a trie path: its actor(s), and its exact tokens if case-sensitive."""

    actor_ids: tuple[str, ...]
    exact: tuple[str, ...] | None
    value: str = ""
    key: tuple[str, ...] = ()  # normalised alias, to look up dated validity


@dataclass(frozen=True, slots=True)
class _StateTable:
    country: str
    military: str | None
    police: str | None
    before: tuple[tuple[str, str | None, str | None], ...]  # (until, military, police)


@dataclass(frozen=True, slots=True)
class _Candidate:
    first: int  # token index
    last: int  # token index, inclusive
    start: int
    end: int
    actor_ids: tuple[str, ...]
    priority: int = 0  # on equal length a named alias (0) beats a demonym pattern (1)


Trie = dict[str, Any]


def _trie_add(trie: Trie, tokens: list[_Token], entry: _Entry) -> None:
    node = trie
    for tok in tokens:
        node = node.setdefault(tok.norm, {})
    node.setdefault(_END, []).append(entry)


def _all_caps_line(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return not any(c.islower() for c in line)


def _entry_ok(entry: _Entry, text: str, toks: list[_Token], i: int, j: int, scanning: bool) -> bool:
    if entry.exact is None:
        return True
    if tuple(t.raw for t in toks[i : j + 1]) != entry.exact:
        return False
    # In an all-caps headline "IS" or "AQ" carries no case information.
    return not (scanning and len("".join(entry.exact)) <= 2 and _all_caps_line(text, toks[i].start))


def _longest(
    trie: Trie, text: str, toks: list[_Token], i: int, scanning: bool = True
) -> tuple[int, _Entry] | None:
    """Longest alias of ``trie`` starting at token ``i``: (last token index, entry)."""
    node: Trie | None = trie
    best: tuple[int, _Entry] | None = None
    for j in range(i, len(toks)):
        if j > i and not _gap_ok(text, toks[j - 1], toks[j]):
            break
        node = node.get(toks[j].norm) if node is not None else None
        if node is None:
            break
        for entry in node.get(_END, ()):
            if _entry_ok(entry, text, toks, i, j, scanning):
                best = (j, entry)
                break
    return best


def _fail(path: Path, message: str, actor_id: str | None = None) -> ConfigError:
    where = f"actor {actor_id!r}: " if actor_id else ""
    return ConfigError(f"actor knowledge base: {where}{message}", source=str(path))


def _is_case_sensitive(alias: str) -> bool:
    """Acronym-like aliases (TTP, ISIS-K, LeT) are matched only in the case they are written."""
    letters = [c for c in alias if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return " " not in alias and upper >= 2 and upper * 2 >= len(letters)


class ActorKB:
    """Immutable index over the actor file; build with :meth:`load`."""

    def __init__(
        self,
        actors: Mapping[str, KBActor],
        alias_trie: Trie,
        resolve_trie: Trie,
        demonym_trie: Trie,
        noun_trie: Trie,
        member_trie: Trie,
        modifiers: frozenset[str],
        states: Mapping[str, _StateTable],
        path: Path,
        *,
        periods: Mapping[tuple[tuple[str, ...], str], tuple[tuple[str | None, str | None], ...]]
        | None = None,
        relations: Iterable[KBRelation] = (),
    ):
        self._actors = dict(actors)
        self._alias_trie = alias_trie
        self._resolve_trie = resolve_trie
        self._demonym_trie = demonym_trie
        self._noun_trie = noun_trie
        self._member_trie = member_trie
        self._modifiers = modifiers
        self._states = dict(states)
        self.path = path
        self._periods = dict(periods or {})
        self.relations: tuple[KBRelation, ...] = tuple(relations)
        self._children: dict[str, list[KBActor]] = {}
        for actor in self._actors.values():
            if actor.parent_id is not None:
                self._children.setdefault(actor.parent_id, []).append(actor)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: Path | None = None) -> ActorKB:
        """Read and validate an actor file (default: the packaged one, cached)."""
        if path is None:
            return _load_default()
        return _build(Path(path))

    # ------------------------------------------------------------------ lookups
    def __len__(self) -> int:
        return len(self._actors)

    def __iter__(self) -> Iterator[KBActor]:
        return iter(self._actors.values())

    def get(self, actor_id: str) -> KBActor | None:
        return self._actors.get(actor_id)

    def parent(self, actor: KBActor) -> KBActor | None:
        return self._actors.get(actor.parent_id) if actor.parent_id else None

    def ancestors(self, actor: KBActor) -> list[KBActor]:
        """Parent, grandparent, ... (Barqa Province -> Libya Province -> Islamic State)."""
        out: list[KBActor] = []
        current = self.parent(actor)
        while current is not None and current not in out:
            out.append(current)
            current = self.parent(current)
        return out

    def children(self, actor_id: str) -> list[KBActor]:
        """Actors whose parent is ``actor_id`` (branches, wings, factions), in file order."""
        return list(self._children.get(actor_id, ()))

    def descendants(self, actor_id: str) -> list[KBActor]:
        """Children, grandchildren, ... (Islamic State -> Libya Province -> Barqa Province)."""
        out: list[KBActor] = []
        todo = self.children(actor_id)
        while todo:
            actor = todo.pop(0)
            if actor not in out:
                out.append(actor)
                todo.extend(self.children(actor.actor_id))
        return out

    def relations_of(self, actor_id: str) -> list[KBRelation]:
        """Every stored relation with ``actor_id`` at either end, oldest first (undated last)."""
        found = [r for r in self.relations if actor_id in (r.source_id, r.target_id)]
        return sorted(found, key=lambda r: (r.start is None, r.start and period_start(r.start)))

    def alias_periods(self, actor: KBActor) -> list[DatedAlias]:
        """The actor's names that held only for a while, with their validity."""
        return list(actor.aliases_dated)

    def state_forces(self, country_iso2: str, on: str | None = None) -> KBActor | None:
        """Military forces of a country; ``on`` (YYYY-MM-DD) picks the regime of that date."""
        ids = self._state_ids(country_iso2.upper(), "military", _iso(on))
        return self._actors.get(ids) if ids else None

    def police_forces(self, country_iso2: str, on: str | None = None) -> KBActor | None:
        """Police of a country (its military when the file lists no police)."""
        ids = self._state_ids(country_iso2.upper(), "police", _iso(on))
        return self._actors.get(ids) if ids else None

    def _state_ids(self, iso2: str, role: str, on: str | None) -> str | None:
        table = self._states.get(iso2)
        if table is None:
            return None
        if on:
            for until, military, police in table.before:
                if on < until:
                    return (military if role == "military" else police) or military
        return (table.military if role == "military" else table.police) or table.military

    def candidates(self, surface: str) -> tuple[KBActor, ...]:
        """Every actor an exact name could mean, the preferred one first."""
        ids = self._resolve_ids(surface)
        return tuple(self._actors[i] for i in ids)

    def resolve(
        self,
        surface: str,
        on: str | dt.date | None = None,
        *,
        country: str | None = None,
        context: str | None = None,
    ) -> KBActor | None:
        """The actor a whole name denotes (normalised exact match), or None.

        ``on`` (the story's date) honours names valid only for a period and picks the regime for
        state forces; ``country`` (ISO2 of the story) breaks ties between groups sharing a name and
        turns "police" or "the army" into that country's forces; ``context`` (the sentence or the
        article) lets a parent name resolve to the branch the text names. See :meth:`resolution`.
        """
        found = self.resolution(surface, on=on, country=country, context=context)
        return found.actor if found is not None else None

    def resolution(
        self,
        surface: str,
        *,
        on: str | dt.date | None = None,
        country: str | None = None,
        context: str | None = None,
    ) -> Resolution | None:
        """Like :meth:`resolve`, saying also how the actor was found and whether it is generic."""
        day = _iso(on)
        iso2 = country.upper() if country else None
        ids = self._resolve_ids(surface, day)
        if not ids:
            state = self._government_of(surface, day)
            return Resolution(state, True, "state") if state is not None else None
        if iso2 and len(ids) > 1:
            local = [i for i in ids if iso2 in self._actors[i].countries]
            ids = (*local, *(i for i in ids if i not in local))
        actor = self._actors[ids[0]]
        if actor.generic:
            if actor.kind == "state_forces" and iso2:
                forces = (
                    self.police_forces(iso2, day)
                    if actor.role == "police"
                    else self.state_forces(iso2, day)
                )
                if forces is not None:
                    return Resolution(forces, True, "state")
            return Resolution(actor, actor.kind == "state_forces", "generic", iso2)
        if actor.kind == "state_forces":
            return Resolution(actor, True, "state")
        return self._branch_of(actor, day, iso2, context)

    def _branch_of(
        self, actor: KBActor, on: str | None, iso2: str | None, context: str | None
    ) -> Resolution:
        """The branch the context names, else the actor with the story's country as region."""
        branches = [b for b in self.descendants(actor.actor_id) if on is None or b.exists_on(on)]
        if branches and context:
            named = {m.actor.actor_id for m in self.find_mentions(context, on=on)}
            for branch in branches:
                if branch.actor_id in named:
                    return Resolution(branch, True, "branch")
        region = iso2 if iso2 and branches and iso2 not in actor.countries else None
        return Resolution(actor, True, "alias", region)

    def _government_of(self, surface: str, on: str | None) -> KBActor | None:
        """A state named as an actor: UCDP's "Government of Pakistan", "the Somali government",
        or the country alone ("the United States" struck) stand for its forces."""
        m = re.fullmatch(
            r"\s*(?:the\s+)?(?:government\s+of\s+(?:the\s+)?(.+?)|(.+?)(?:\s+government)?)\s*",
            surface,
            re.I,
        )
        if m is None:
            return None
        name = m.group(1) or m.group(2)
        toks = _alias_tokens(name)
        dem = _longest(self._demonym_trie, name, toks, 0, scanning=False) if toks else None
        iso2 = dem[1].value if dem is not None and dem[0] == len(toks) - 1 else None
        if iso2 is None and m.group(1):
            iso2 = _country_code(name)
        bare = m.group(2) is not None and not re.search(r"government\s*$", surface, re.I)
        if iso2 and bare and not (name.isupper() or _country_code(name, fuzzy=False) == iso2):
            return None  # "Pakistani" alone is a person, not the state
        return self.state_forces(iso2, on) if iso2 else None

    def _pick(self, ids: tuple[str, ...], key: tuple[str, ...], on: str | None) -> tuple[str, ...]:
        """Order actors sharing a name so that those whose name is valid on ``on`` come first.

        Without a date a name still in use (no end) wins; when no reading is valid the order is
        kept, since a story may name a group by a former name.
        """
        if not self._periods or not key:
            return ids

        def valid(actor_id: str) -> bool:
            periods = self._periods.get((key, actor_id))
            if periods is None:
                return True
            if on is None:
                return any(until is None for _, until in periods)
            return any(_covers(start, until, on) for start, until in periods)

        good = tuple(i for i in ids if valid(i))
        return good or ids

    def _resolve_ids(self, surface: str, on: str | None = None) -> tuple[str, ...]:
        for variant in _surface_variants(surface):
            toks = _alias_tokens(variant)
            if not toks:
                continue
            found = self._exact(variant, toks, on)
            if found:
                return found
        return ()

    def _exact(self, text: str, toks: list[_Token], on: str | None) -> tuple[str, ...]:
        last = len(toks) - 1
        for trie in (self._alias_trie, self._resolve_trie):
            exact = _longest(trie, text, toks, 0, scanning=False)
            if exact is not None and exact[0] == last:
                return self._pick(exact[1].actor_ids, exact[1].key, on)
        hit = _longest(self._alias_trie, text, toks, 0, scanning=False)
        if hit is not None and not self._actors[hit[1].actor_ids[0]].generic:
            member = _longest(self._member_trie, text, toks, hit[0] + 1)
            if member is not None and member[0] == last:
                return self._pick(hit[1].actor_ids, hit[1].key, on)
        state = self._demonym_at(text, toks, 0, on, scanning=False)
        if state is not None and state.last == last:
            return state.actor_ids
        return ()

    # ------------------------------------------------------------------ scanning
    def find_mentions(
        self, text: str, *, on: str | dt.date | None = None, countries: Iterable[str] = ()
    ) -> list[ActorMention]:
        """Named and generic actor mentions in ``text``: whole words, longest first, no overlaps.

        ``on`` (publication date) picks the regime for demonym forces such as "Afghan forces";
        ``countries`` (ISO2, e.g. from geocoding) helps choose between actors sharing a name.
        """
        on = _iso(on)
        toks = _tokens(text)
        cands: list[_Candidate] = []
        alias_root, demonym_root = self._alias_trie, self._demonym_trie
        for i, tok in enumerate(toks):
            hit = _longest(alias_root, text, toks, i) if tok.norm in alias_root else None
            if hit is not None:
                last, entry = hit
                if not self._actors[entry.actor_ids[0]].generic:
                    member = None
                    if last + 1 < len(toks) and _gap_ok(text, toks[last], toks[last + 1]):
                        member = _longest(self._member_trie, text, toks, last + 1)
                    if member is not None:
                        last = member[0]
                actor_ids = self._pick(entry.actor_ids, entry.key, on)
                cands.append(_Candidate(i, last, toks[i].start, toks[last].end, actor_ids))
            state = self._demonym_at(text, toks, i, on) if tok.norm in demonym_root else None
            if state is not None:
                cands.append(state)
        chosen = _select(cands)
        return self._disambiguate(text, chosen, countries)

    def _demonym_at(
        self, text: str, toks: list[_Token], i: int, on: str | None, scanning: bool = True
    ) -> _Candidate | None:
        """'Pakistani troops', 'U.S. drone strike', 'Somali government forces' at token ``i``."""
        dem = _longest(self._demonym_trie, text, toks, i, scanning)
        if dem is None:
            return None
        j, entry = dem
        iso2 = entry.value
        best: tuple[int, str] | None = None
        k = j + 1
        while k < len(toks) and k - j <= 4 and _gap_ok(text, toks[k - 1], toks[k]):
            noun = _longest(self._noun_trie, text, toks, k)
            if noun is not None and (best is None or noun[0] > best[0]):
                best = (noun[0], noun[1].value)
            if toks[k].norm not in self._modifiers:
                break
            k += 1
        if best is None:
            return None
        actor_id = self._state_ids(iso2, best[1], on)
        if actor_id is None:
            return None
        return _Candidate(i, best[0], toks[i].start, toks[best[0]].end, (actor_id,), priority=1)

    def _disambiguate(
        self, text: str, chosen: list[_Candidate], hints: Iterable[str]
    ) -> list[ActorMention]:
        context: Counter[str] = Counter()
        for iso2 in hints:
            context[iso2.upper()] += 2
        for cand in chosen:
            actor = self._actors[cand.actor_ids[0]]
            if len(cand.actor_ids) == 1 and not actor.generic:
                context.update(actor.countries)
        out: list[ActorMention] = []
        for cand in chosen:
            actor_id = cand.actor_ids[0]
            if len(cand.actor_ids) > 1:
                # ties keep the listed order: max() returns the first best
                actor_id = max(
                    cand.actor_ids,
                    key=lambda a: max((context[c] for c in self._actors[a].countries), default=0),
                )
            out.append(
                ActorMention(
                    cand.start, cand.end, text[cand.start : cand.end], self._actors[actor_id]
                )
            )
        return out


def _select(cands: list[_Candidate]) -> list[_Candidate]:
    """Greedy longest-first choice of non-overlapping candidates, returned in text order."""
    taken: list[_Candidate] = []
    used: set[int] = set()
    for cand in sorted(cands, key=lambda c: (-(c.end - c.start), c.start, c.priority)):
        span = range(cand.first, cand.last + 1)
        if any(t in used for t in span):
            continue
        used.update(span)
        taken.append(cand)
    return sorted(taken, key=lambda c: c.start)


@lru_cache(maxsize=1024)
def _country_code(name: str, fuzzy: bool = True) -> str | None:
    """ISO2 of a country name ("United States of America"), via pycountry; None if unknown."""
    import pycountry  # imported late: only "Government of ..." names need it

    try:
        return str(pycountry.countries.lookup(name.strip()).alpha_2)
    except LookupError:
        if not fuzzy:
            return None
        try:
            found = pycountry.countries.search_fuzzy(name.strip())
        except LookupError:
            return None
        return str(found[0].alpha_2) if len(found) == 1 else None


def _surface_variants(surface: str) -> list[str]:
    """The name, then its parts around a parenthesis: 'Abu Sayyaf Group (ASG)'."""
    s = " ".join(surface.split())
    out = [s]
    m = re.fullmatch(r"(.*?)\s*\(([^()]*)\)\s*", s)
    if m:
        out.extend(p for p in (m.group(1), m.group(2)) if p)
    return out


# ---------------------------------------------------------------------- building
def _expect(cond: bool, path: Path, message: str, actor_id: str | None = None) -> None:
    if not cond:
        raise _fail(path, message, actor_id)


def _str_list(value: Any, path: Path, field: str, actor_id: str | None = None) -> list[str]:
    _expect(
        isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value),
        path,
        f"{field!r} must be a list of non-empty strings",
        actor_id,
    )
    return value


def _date(value: Any, path: Path, field: str, actor_id: str) -> str | None:
    _expect(
        value is None or (isinstance(value, str) and _DATE_RE.match(value) is not None),
        path,
        f"{field!r} must be YYYY[-MM[-DD]] or null, got {value!r}",
        actor_id,
    )
    return value


def _parse_actor(raw: Any, path: Path, index: int) -> KBActor:
    _expect(isinstance(raw, dict), path, f"actor #{index} is not an object")
    actor_id = raw.get("id")
    _expect(
        isinstance(actor_id, str) and _ID_RE.match(actor_id) is not None,
        path,
        f"actor #{index} has a missing or malformed id {actor_id!r}",
    )
    name = raw.get("name")
    _expect(
        isinstance(name, str) and bool(_alias_tokens(name)),
        path,
        "name must be a non-empty string",
        actor_id,
    )
    kind = raw.get("kind")
    _expect(kind in KINDS, path, f"kind {kind!r} is not one of {sorted(KINDS)}", actor_id)
    inter = raw.get("inter")
    _expect(
        inter is None or (type(inter) is int and 1 <= inter <= 8),
        path,
        f"inter must be an integer 1..8 (ACLED), got {inter!r}",
        actor_id,
    )
    countries = _str_list(raw.get("countries", []), path, "countries", actor_id)
    _expect(
        all(_ISO2_RE.match(c) for c in countries), path, "countries must be ISO2 codes", actor_id
    )
    parent = raw.get("parent")
    _expect(
        parent is None or isinstance(parent, str), path, "parent must be an id or null", actor_id
    )
    role = raw.get("role")
    _expect(role is None or role in ROLES, path, f"role must be one of {sorted(ROLES)}", actor_id)
    dated: list[DatedAlias] = []
    for item in raw.get("aliases_dated", []) or []:
        _expect(
            isinstance(item, dict) and isinstance(item.get("alias"), str),
            path,
            "aliases_dated entries need an 'alias'",
            actor_id,
        )
        dated.append(
            DatedAlias(
                item["alias"],
                _date(item.get("from"), path, "from", actor_id),
                _date(item.get("until"), path, "until", actor_id),
            )
        )
    aliases = _str_list(raw.get("aliases", []), path, "aliases", actor_id)
    exact = _str_list(
        raw.get("aliases_case_sensitive", []), path, "aliases_case_sensitive", actor_id
    )
    resolve_only = _str_list(
        raw.get("aliases_resolve_only", []), path, "aliases_resolve_only", actor_id
    )
    generic = raw.get("generic", False)
    _expect(isinstance(generic, bool), path, "generic must be true or false", actor_id)
    all_aliases = tuple(dict.fromkeys([*aliases, *exact, *(d.alias for d in dated), *resolve_only]))
    return KBActor(
        actor_id=actor_id,
        name=name,
        aliases=all_aliases,
        kind=kind,
        inter=inter,
        countries=tuple(countries),
        parent_id=parent,
        founded=_date(raw.get("founded"), path, "founded", actor_id),
        branch_announced=_date(raw.get("branch_announced"), path, "branch_announced", actor_id),
        generic=generic,
        aliases_case_sensitive=tuple(exact),
        aliases_dated=tuple(dated),
        role=role,
        resolve_only=tuple(resolve_only),
    )


def _build(path: Path) -> ActorKB:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise _fail(path, "file not found") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"actor knowledge base: invalid JSON: {exc.msg}", source=str(path), line=exc.lineno
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, f"unreadable: {exc}") from exc
    _expect(
        isinstance(doc, dict) and isinstance(doc.get("actors"), list),
        path,
        "top level must be an object with an 'actors' list",
    )

    actors: dict[str, KBActor] = {}
    for index, raw in enumerate(doc["actors"]):
        actor = _parse_actor(raw, path, index)
        _expect(actor.actor_id not in actors, path, "duplicate id", actor.actor_id)
        actors[actor.actor_id] = actor
    for actor in actors.values():
        if actor.parent_id is not None:
            _expect(
                actor.parent_id in actors,
                path,
                f"parent {actor.parent_id!r} does not exist",
                actor.actor_id,
            )
        seen = {actor.actor_id}
        current = actor
        while current.parent_id is not None and current.parent_id in actors:
            _expect(
                current.parent_id not in seen, path, "parent chain forms a cycle", actor.actor_id
            )
            seen.add(current.parent_id)
            current = actors[current.parent_id]

    ambiguous = _ambiguities(doc, actors, path)
    periods = _alias_periods(actors)
    for item in doc.get("ambiguous_aliases", []):
        key = tuple(t.norm for t in _alias_tokens(item["alias"]))
        _expect(
            not item.get("by_date") or _disjoint(key, ambiguous[key][0], periods),
            path,
            f"ambiguous alias {item['alias']!r} is marked by_date but its actors hold it at "
            "overlapping times",
        )
    alias_trie, resolve_trie = _alias_tries(actors, ambiguous, path, periods)
    relations = _relations(doc, actors, path)
    states, demonym_trie = _state_tables(doc, actors, path)
    noun_trie: Trie = {}
    nouns = doc.get("force_nouns", {})
    _expect(
        isinstance(nouns, dict) and set(nouns) <= ROLES,
        path,
        "force_nouns must map 'military'/'police' to word lists",
    )
    for role, words in nouns.items():
        for word in _str_list(words, path, f"force_nouns.{role}"):
            _trie_add(noun_trie, _alias_tokens(word), _Entry((), None, role))
    member_trie: Trie = {}
    for word in _str_list(doc.get("member_nouns", []), path, "member_nouns"):
        _trie_add(member_trie, _alias_tokens(word), _Entry((), None, "member"))
    modifiers = frozenset(
        fold(m) for m in _str_list(doc.get("force_modifiers", []), path, "force_modifiers")
    )

    return ActorKB(
        actors,
        alias_trie,
        resolve_trie,
        demonym_trie,
        noun_trie,
        member_trie,
        modifiers,
        states,
        path,
        periods=periods,
        relations=relations,
    )


def _alias_periods(
    actors: Mapping[str, KBActor],
) -> dict[tuple[tuple[str, ...], str], tuple[tuple[str | None, str | None], ...]]:
    """(normalised alias, actor id) -> validity periods, for names that held only a while."""
    out: dict[tuple[tuple[str, ...], str], tuple[tuple[str | None, str | None], ...]] = {}
    for actor in actors.values():
        undated = {
            tuple(t.norm for t in _alias_tokens(a))
            for a in (actor.name, *actor.aliases)
            if a not in {d.alias for d in actor.aliases_dated}
        }
        for d in actor.aliases_dated:
            key = (tuple(t.norm for t in _alias_tokens(d.alias)), actor.actor_id)
            if key[0] in undated:
                continue  # also an ordinary name of the actor: valid at any time
            out[key] = (*out.get(key, ()), (d.valid_from, d.until))
    return out


def _relations(doc: dict[str, Any], actors: Mapping[str, KBActor], path: Path) -> list[KBRelation]:
    """Relations listed inline and in the file named by ``relations_file`` (next to this one)."""
    rows: list[tuple[Path, int, Any]] = [
        (path, i, r) for i, r in enumerate(doc.get("relations", []))
    ]
    extra = doc.get("relations_file")
    if extra is not None:
        _expect(isinstance(extra, str), path, "relations_file must be a file name")
        rel_path = path.parent / extra
        try:
            rel_doc = json.loads(rel_path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise _fail(rel_path, "relations file not found") from exc
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"actor relations: invalid JSON: {exc.msg}", source=str(rel_path), line=exc.lineno
            ) from exc
        _expect(
            isinstance(rel_doc, dict) and isinstance(rel_doc.get("relations"), list),
            rel_path,
            "top level must be an object with a 'relations' list",
        )
        rows.extend((rel_path, i, r) for i, r in enumerate(rel_doc["relations"]))
    out: list[KBRelation] = []
    for where, index, raw in rows:
        label = f"relation #{index}"
        _expect(isinstance(raw, dict), where, f"{label} is not an object")
        kind = raw.get("kind")
        _expect(
            kind in RELATION_KINDS,
            where,
            f"{label}: kind {kind!r} is not one of {sorted(RELATION_KINDS)}",
        )
        ends = (raw.get("from"), raw.get("to"))
        for end in ends:
            _expect(end in actors, where, f"{label}: actor {end!r} does not exist")
        start = _date(raw.get("start"), where, "start", label)
        end_date = _date(raw.get("end"), where, "end", label)
        _expect(
            start is None or end_date is None or period_start(start) <= period_start(end_date),
            where,
            f"{label}: start {start} is after end {end_date}",
        )
        source = raw.get("source")
        _expect(isinstance(source, str) and bool(source.strip()), where, f"{label}: needs a source")
        note = raw.get("note")
        _expect(note is None or isinstance(note, str), where, f"{label}: note must be text")
        out.append(KBRelation(kind, ends[0], ends[1], start, end_date, source, note))
    return out


def _ambiguities(
    doc: dict[str, Any], actors: Mapping[str, KBActor], path: Path
) -> dict[tuple[str, ...], tuple[tuple[str, ...], str | None]]:
    """Declared shared names: key -> (actor ids, preferred first; exact spelling or None)."""
    out: dict[tuple[str, ...], tuple[tuple[str, ...], str | None]] = {}
    for item in doc.get("ambiguous_aliases", []):
        _expect(
            isinstance(item, dict) and isinstance(item.get("alias"), str),
            path,
            "ambiguous_aliases entries need an 'alias'",
        )
        alias = item["alias"]
        ids = tuple(_str_list(item.get("actors"), path, f"ambiguous alias {alias!r}"))
        for actor_id in ids:
            _expect(
                actor_id in actors,
                path,
                f"ambiguous alias {alias!r} names an unknown actor",
                actor_id,
            )
        key = tuple(t.norm for t in _alias_tokens(alias))
        _expect(
            bool(key) and key not in out, path, f"ambiguous alias {alias!r} is empty or repeated"
        )
        out[key] = (ids, alias if item.get("case_sensitive") else None)
    return out


def _alias_tries(
    actors: Mapping[str, KBActor],
    ambiguous: Mapping[tuple[str, ...], tuple[tuple[str, ...], str | None]],
    path: Path,
    periods: Mapping[tuple[tuple[str, ...], str], tuple[tuple[str | None, str | None], ...]],
) -> tuple[Trie, Trie]:
    """Trie of every scanned name, and one of names only :meth:`ActorKB.resolve` accepts.

    A name two actors share (after normalisation) must be declared in ``ambiguous_aliases``,
    unless each holds it only for a period and the periods do not overlap (the old IRA until
    1969, the Provisional IRA after).
    """
    # normalised key -> list of (actor id, exact spelling tokens or None, scanned?)
    owners: dict[tuple[str, ...], list[tuple[str, tuple[str, ...] | None, bool]]] = {}
    for actor in actors.values():
        exact_names = set(actor.aliases_case_sensitive)
        exact_names.update(d.alias for d in actor.aliases_dated if _is_case_sensitive(d.alias))
        for alias in dict.fromkeys([actor.name, *actor.aliases]):
            toks = _alias_tokens(alias)
            _expect(bool(toks), path, f"alias {alias!r} has no letters or digits", actor.actor_id)
            exact = tuple(t.raw for t in toks) if alias in exact_names else None
            scanned = alias not in actor.resolve_only
            key = tuple(t.norm for t in toks)
            owners.setdefault(key, []).append((actor.actor_id, exact, scanned))
    for key, (ids, spelling) in ambiguous.items():
        if key not in owners:
            exact = tuple(t.raw for t in _alias_tokens(spelling)) if spelling else None
            owners[key] = [(ids[0], exact, True)]

    scan: Trie = {}
    resolve_only: Trie = {}
    for key, rows in owners.items():
        ids = tuple(dict.fromkeys(r[0] for r in rows))
        if key in ambiguous:
            ids = ambiguous[key][0]
        elif len(ids) > 1 and not _disjoint(key, ids, periods):
            raise _fail(
                path,
                f"alias {' '.join(key)!r} is shared by {list(ids)} but not listed in "
                "'ambiguous_aliases'",
                ids[0],
            )
        target = scan if any(r[2] for r in rows) else resolve_only
        spellings = sorted({r[1] for r in rows if r[1] is not None})
        toks = [_Token(0, 0, k, k) for k in key]
        for spelling in spellings:  # exact spellings first: they are the stricter reading
            _trie_add(target, toks, _Entry(ids, spelling, key=key))
        if any(r[1] is None for r in rows):
            _trie_add(target, toks, _Entry(ids, None, key=key))
    return scan, resolve_only


def _disjoint(
    key: tuple[str, ...],
    ids: tuple[str, ...],
    periods: Mapping[tuple[tuple[str, ...], str], tuple[tuple[str | None, str | None], ...]],
) -> bool:
    """Whether the actors sharing ``key`` each hold it only in periods no other one holds it."""
    spans = [periods.get((key, i), ((None, None),)) for i in ids]
    for a in range(len(spans)):
        for b in range(a + 1, len(spans)):
            if any(_overlap(x, y) for x in spans[a] for y in spans[b]):
                return False
    return True


def _state_tables(
    doc: dict[str, Any], actors: Mapping[str, KBActor], path: Path
) -> tuple[dict[str, _StateTable], Trie]:
    states: dict[str, _StateTable] = {}
    trie: Trie = {}

    def check(actor_id: Any, what: str) -> str | None:
        if actor_id is None:
            return None
        _expect(
            isinstance(actor_id, str) and actor_id in actors,
            path,
            f"state_forces {what} names an unknown actor",
            str(actor_id),
        )
        _expect(
            actors[actor_id].kind == "state_forces",
            path,
            f"state_forces {what} is not a state_forces actor",
            actor_id,
        )
        return actor_id

    for item in doc.get("state_forces", []):
        _expect(
            isinstance(item, dict) and _ISO2_RE.match(str(item.get("country", ""))) is not None,
            path,
            f"state_forces entry {item!r} needs an ISO2 'country'",
        )
        iso2 = item["country"]
        _expect(iso2 not in states, path, f"state_forces lists {iso2} twice")
        before = tuple(
            (str(b["until"]), check(b.get("military"), iso2), check(b.get("police"), iso2))
            for b in item.get("before", [])
        )
        states[iso2] = _StateTable(
            iso2, check(item.get("military"), iso2), check(item.get("police"), iso2), before
        )
        for demonym in _str_list(item.get("demonyms", []), path, f"demonyms of {iso2}"):
            toks = _alias_tokens(demonym)
            exact = tuple(t.raw for t in toks) if demonym.isupper() else None
            _trie_add(trie, toks, _Entry((), exact, iso2))
    return states, trie


@cache
def _load_default() -> ActorKB:
    return _build(DATA_PATH)
