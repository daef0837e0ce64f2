"""End-to-end MUC-4: our extractor over the gold documents, its events mapped to MUC templates.

MUC-4 asks for one template per terrorist incident (attack, bombing, kidnapping, arson,
robbery, forced work stoppage) whose role fillers are mentions copied from the text. Our
record codes incidents the ACLED way, so this module translates: the incident type comes from
the ACLED sub-type, the GTD attack type and the trigger words; the perpetrator organisation is
the resolved group's mention as written in the text; individual perpetrators, targets, victims
and weapons are noun phrases of the event's evidence sentences, chosen by their head word (and
spaCy's PERSON entities for victims). Every filler is a substring of the text we extracted
from, so the metric compares mentions, as MUC expects.

The wire texts are upper case; ``truecase`` restores a plausible casing first (sentence
starts, names by a case profile of mixed-case news, acronyms) because the gazetteer and
spaCy's entity recogniser rely on capitals.

The GTT metric itself lives in ``gtt.py``; the extra slots of ``full_slots`` (date, country,
city, claimed, killed, wounded) are scored here over the template pairs that metric chose.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchfloor.errors import InputError, MalformedLine, UnreadableInput
from watchfloor.eval import gtt, muc4_roles
from watchfloor.model import Article, Event, ExtractResult

ROLE_FILLERS = ("model", "rules")
INCIDENT_TYPES = muc4_roles.INCIDENT_TYPES
FULL_SLOTS = ("date", "country", "city", "claimed", "killed", "wounded")

_DOCID_LINE = re.compile(r"^\s*(TST\d+-MUC\d+-\d+)\s*$", re.MULTILINE)
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z .'-]*?),\s*(?P<day>\d{1,2})\s+(?P<mon>[A-Z]{3})\s+(?P<yy>\d{2})\b"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}
# FBIS editorial tags in square brackets that are not part of the story
_EDITORIAL_TAG = re.compile(
    r"\[(?:TEXT|EXCERPTS?|EXCERPT|SPEECH|REPORT|COMMENTARY|INTERVIEW|STATEMENT|COMMUNIQUE|"
    r"EDITORIAL|ARTICLE|PASSAGE OMITTED|SENTENCE AS HEARD|WORDS INDISTINCT|CONTINUED|"
    r"ANNOUNCER|BEGIN RECORDING|END RECORDING|QUOTES?|UNQUOTE)\]",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_BRACKETED_ACRONYM = re.compile(r"[\[(]([^\W\d_]{2,7})[\])]")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+$|^\s*$|\n\s*$|--\s*$")
_LOWER_ALWAYS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "de",
        "del",
        "la",
        "las",
        "los",
        "el",
        "y",
        "da",
        "do",
        "dos",
        "das",
        "e",
        "van",
        "von",
        "der",
    ]
)


# ---------------------------------------------------------------------------------------------
# Truecasing
# ---------------------------------------------------------------------------------------------


# A word of the lower-cased MUC texts that the mixed-case ones never show is common English
# only when it ends like English ('machinegunned', 'intensification'); the others are mostly
# the names these messages repeat ('jaramillo', 'tegucigalpa'), which must stay capitalised.
_ENGLISH_ENDING = re.compile(
    r"(?:ed|ing|ings|tion|tions|sion|sions|ly|ness|ity|ities|ies|ers|able|ible|ment|ments|ize|"
    r"ized|izes|izing|ist|ists|ism|isms|ive|ives|ous|ary|ance|ence|ful|less|ship|ward|wise|"
    r"ional|ate|ates)$"
)


@dataclass(frozen=True)
class CaseModel:
    """How often each lower-cased word is written lower, Capitalised or UPPER mid-sentence."""

    counts: Mapping[str, tuple[int, int, int]]
    common: frozenset[str] = frozenset()

    @classmethod
    def from_texts(
        cls, texts: Iterable[str], lowered: Iterable[str] = (), min_docs: int = 4
    ) -> CaseModel:
        """Count word forms in mixed-case text; sentence-initial words say nothing and are
        skipped, as are lines written all in capitals (headlines, datelines)."""
        tally: dict[str, list[int]] = {}
        for text in texts:
            for line in text.splitlines():
                letters = [c for c in line if c.isalpha()]
                if not letters or sum(c.isupper() for c in letters) > 0.6 * len(letters):
                    continue
                for m in _WORD.finditer(line):
                    before = line[: m.start()].rstrip()
                    if not before or before[-1] in ".!?:;\"'“‘([<>-—":
                        continue
                    word = m.group()
                    row = tally.setdefault(word.lower(), [0, 0, 0])
                    if word.islower():
                        row[0] += 1
                    elif word.isupper() and len(word) > 1:
                        row[2] += 1
                    elif word[0].isupper():
                        row[1] += 1
        # words of lower-cased documents (MUC train) seen in many of them: common words that
        # the mixed-case texts happen to miss; an unknown word outside this set is a name
        df: Counter = Counter()
        for text in lowered:
            df.update({w.lower() for w in _WORD.findall(text)})
        common = frozenset(
            w
            for w, n in df.items()
            if n >= min_docs and w not in tally and _ENGLISH_ENDING.search(w)
        )
        return cls({w: (lo, cap, up) for w, (lo, cap, up) in tally.items()}, common)

    def form(self, word: str) -> str | None:
        """The usual written form of ``word`` (given in any case); None when never seen."""
        low = word.lower()
        lo, cap, up = self.counts.get(low, (0, 0, 0))
        if lo + cap + up == 0:
            return low if low in self.common else None
        if lo >= cap + up:
            return low
        return low.upper() if up > cap else low[:1].upper() + low[1:]


def _names_index(names: Iterable[str]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Lower-cased word tuple -> cased words, for multi-word names with a capital in them."""
    index: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name in names:
        words = tuple(_WORD.findall(name))
        if words and any(w[0].isupper() for w in words) and not all(w.isupper() for w in words):
            index.setdefault(tuple(w.lower() for w in words), words)
        elif len(words) == 1 and words[0].isupper() and 2 <= len(words[0]) <= 6:
            index.setdefault((words[0].lower(),), words)
    return index


def truecase(
    text: str,
    model: CaseModel,
    names: Mapping[tuple[str, ...], tuple[str, ...]] | None = None,
    acronyms: Iterable[str] = (),
) -> str:
    """Re-case an all-capitals text; the result differs from ``text`` only in letter case.

    Order of evidence, strongest first: a known multi-word name (actor aliases) keeps its
    written form; an acronym of the document (``[FMLN]``, ``(URNG)``) stays upper; a word the
    case profile knows takes its usual form; an unknown word of three letters or more is
    taken for a name and capitalised (in this corpus they are mostly Spanish names); the
    first word of a sentence is capitalised.
    """
    names = {
        k: v for k, v in (names or {}).items() if len(k) > 1 or model.form(k[0]) in (None, v[0])
    }
    longest = max((len(k) for k in names), default=0)
    upper = {a.lower() for a in acronyms}
    matches = list(_WORD.finditer(text))
    words = [m.group().lower() for m in matches]
    forms: list[str] = []
    i = 0
    while i < len(matches):
        for size in range(min(longest, len(matches) - i), 0, -1):
            cased = names.get(tuple(words[i : i + size]))
            if cased is not None and _joined(text, matches, i, size):
                forms.extend(cased)
                i += size
                break
        else:
            forms.append(_word_form(words[i], model, upper))
            i += 1
    out = list(text.lower())
    for m, form in zip(matches, forms, strict=True):
        before = text[: m.start()]
        if _SENTENCE_END.search(before[-4:] if len(before) > 4 else before) or not before:
            form = form[:1].upper() + form[1:]
        out[m.start() : m.end()] = form
    return "".join(out)


def _joined(text: str, matches: Sequence[re.Match], i: int, size: int) -> bool:
    """Words i..i+size-1 are separated only by spaces or hyphens (one name, not two)."""
    return all(
        text[matches[k].end() : matches[k + 1].start()] in (" ", "-")
        for k in range(i, i + size - 1)
    )


def _word_form(word: str, model: CaseModel, acronyms: set[str]) -> str:
    if word in acronyms:
        return word.upper()
    if word in _LOWER_ALWAYS:
        return word
    form = model.form(word)
    if form is not None:
        return form
    return word[:1].upper() + word[1:] if len(word) >= 3 else word


def case_accuracy(reference: str, model: CaseModel, names=None) -> float:
    """Share of words whose case ``truecase`` restores from ``reference.upper()``."""
    guess = truecase(reference.upper(), model, names, _document_acronyms(reference.upper()))
    pairs = [
        (a.group(), b.group())
        for a, b in zip(_WORD.finditer(reference), _WORD.finditer(guess), strict=False)
    ]
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else 1.0


def _document_acronyms(text: str) -> set[str]:
    return {m.group(1) for m in _BRACKETED_ACRONYM.finditer(text) if m.group(1).isupper()}


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MucDocument:
    """One gold document as we feed it to the extractor."""

    docid: str
    key: str
    text: str
    published: dt.date | None
    from_raw: bool


def split_raw_messages(content: str) -> dict[str, str]:
    """The messages of one raw MUC file by docid (the id stands alone on its line)."""
    found = list(_DOCID_LINE.finditer(content))
    return {
        m.group(1): content[m.end() : found[n + 1].start() if n + 1 < len(found) else len(content)]
        for n, m in enumerate(found)
    }


def load_raw_texts(folder: Path) -> dict[str, str]:
    """Every message of every file in ``folder`` by docid."""
    if not folder.is_dir():
        raise UnreadableInput("no such folder of raw MUC texts", source=str(folder))
    messages: dict[str, str] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        try:
            messages.update(split_raw_messages(path.read_text(encoding="latin-1")))
        except OSError as exc:
            raise UnreadableInput(f"cannot read: {exc.strerror or exc}", source=str(path)) from exc
    return messages


def unwrap(raw: str) -> tuple[str, dt.date | None]:
    """Paragraphs joined into lines (blank line between), editorial tags removed, and the
    dateline's date ('4 FEB 90') as the publication date."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", raw)]
    text = "\n\n".join(p for p in paragraphs if p)
    text = re.sub(r" {2,}", " ", _EDITORIAL_TAG.sub("", text)).strip()
    published = None
    m = _DATELINE.match(text)
    if m and m.group("mon") in _MONTHS:
        year = int(m.group("yy"))
        try:
            published = dt.date(
                1900 + year if year > 30 else 2000 + year,
                _MONTHS[m.group("mon")],
                int(m.group("day")),
            )
        except ValueError:
            published = None
    return text, published


def prepare_documents(
    gold_lines: Sequence[dict],
    raw: Mapping[str, str],
    recase: Callable[[str], str] | None,
) -> list[MucDocument]:
    """The texts we extract from: the raw message (re-cased) when we have it, else doctext."""
    docs = []
    for record in gold_lines:
        docid = record["docid"]
        if docid in raw:
            text, published = unwrap(raw[docid])
            if recase is not None:
                text = recase(text)
            docs.append(MucDocument(docid, gtt.doc_key(docid), text, published, True))
        else:
            text = record.get("doctext") or ""
            docs.append(MucDocument(docid, gtt.doc_key(docid), text, None, False))
    return docs


def read_gold_lines(path: Path) -> list[dict]:
    """The gold JSON Lines records (docid, doctext, templates) in file order."""
    gold = gtt.load_gold(path)  # validates shape and reports bad lines
    lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").split("\n"), start=1):
        if line.strip():
            record = json.loads(line)
            if record["docid"] in gold:
                lines.append(record)
            else:  # pragma: no cover - load_gold accepted every line
                raise MalformedLine("unexpected gold line", source=str(path), line=number)
    return lines


# ---------------------------------------------------------------------------------------------
# Mapping one event to a template
# ---------------------------------------------------------------------------------------------

_KIDNAP = re.compile(r"\b(?:kidnap\w*|abduct\w*|hostages?|seiz\w+ .{0,20}hostage)", re.I)
_ARSON = re.compile(
    r"\b(?:arson\w*|burn(?:ed|t|ing|s)?|set (?:on )?fire|set\W+ablaze|torch\w*|"
    r"incendiar\w+|fire[- ]?bomb\w*)\b",
    re.I,
)
_ROBBERY = re.compile(
    r"\b(?:rob(?:bed|bery|beries|bing)?|stole|stolen|steal\w*|"
    r"hold[- ]?up|looted|loot\w*|assault\w* (?:on )?(?:a|the) bank)\b",
    re.I,
)
_STOPPAGE = re.compile(
    r"\b(?:work stoppage|armed strike|general strike|paro armado|"
    r"transport strike|forced (?:\w+ )?strike)\b",
    re.I,
)
_BOMB = re.compile(
    r"\b(?:bomb\w*|dynamit\w*|explosi\w+|explod\w+|blast\w*|detonat\w+|"
    r"grenade\w*|car[- ]bomb\w*|mines?|device)\b",
    re.I,
)
_STATE = re.compile(
    r"\b(?:army|armed forces|military|police|troops|soldiers|government|"
    r"security forces|navy|air force|national guard|battalion|brigade)\b",
    re.I,
)

_PERP_HEADS = frozenset(
    [
        "guerrilla",
        "guerrillas",
        "terrorist",
        "terrorists",
        "gunman",
        "gunmen",
        "subversive",
        "subversives",
        "rebel",
        "rebels",
        "assassin",
        "assassins",
        "kidnapper",
        "kidnappers",
        "hitman",
        "hitmen",
        "killer",
        "killers",
        "assailant",
        "assailants",
        "attacker",
        "attackers",
        "commando",
        "commandos",
        "narcoterrorist",
        "narcoterrorists",
        "extremist",
        "extremists",
        "insurgent",
        "insurgents",
        "traffickers",
        "trafficker",
        "squad",
        "squads",
        "militant",
        "militants",
        "sicarios",
        "sicario",
        "mercenaries",
        "mercenary",
        "column",
    ]
)
_PERP_VAGUE = frozenset(
    ["men", "man", "individuals", "individual", "persons", "person", "people", "youths"]
)
_PERP_MODIFIERS = frozenset(
    [
        "unidentified",
        "unknown",
        "armed",
        "masked",
        "hooded",
        "heavily",
        "urban",
        "suspected",
        "alleged",
        "several",
        "presumed",
        "so-called",
    ]
)
_TARGET_HEADS = frozenset(
    [
        "embassy",
        "embassies",
        "office",
        "offices",
        "headquarters",
        "building",
        "buildings",
        "house",
        "houses",
        "home",
        "homes",
        "residence",
        "residences",
        "mansion",
        "vehicle",
        "vehicles",
        "car",
        "cars",
        "bus",
        "buses",
        "truck",
        "trucks",
        "jeep",
        "jeeps",
        "plane",
        "planes",
        "aircraft",
        "helicopter",
        "helicopters",
        "plant",
        "plants",
        "substation",
        "substations",
        "station",
        "stations",
        "tower",
        "towers",
        "pylon",
        "pylons",
        "pole",
        "poles",
        "line",
        "lines",
        "powerline",
        "powerlines",
        "transformer",
        "transformers",
        "bridge",
        "bridges",
        "church",
        "churches",
        "temple",
        "temples",
        "school",
        "schools",
        "university",
        "universities",
        "bank",
        "banks",
        "hotel",
        "hotels",
        "store",
        "stores",
        "shop",
        "shops",
        "farm",
        "farms",
        "facilities",
        "facility",
        "installation",
        "installations",
        "pipeline",
        "pipelines",
        "airport",
        "ambulance",
        "ambulances",
        "institute",
        "institutes",
        "center",
        "centers",
        "centre",
        "company",
        "firm",
        "branch",
        "club",
        "restaurant",
        "factory",
        "warehouse",
        "dam",
        "barracks",
        "garrison",
        "post",
        "premises",
        "property",
        "hospital",
        "clinic",
        "ministry",
        "courthouse",
        "court",
        "prison",
        "jail",
        "market",
        "cooperative",
        "estate",
        "hacienda",
        "ranch",
        "consulate",
        "newspaper",
        "studio",
        "agency",
        "agencies",
        "system",
        "network",
        "oil",
        "well",
        "wells",
        "tanker",
        "train",
        "railway",
        "depot",
        "offices",
        "chapel",
        "mayoralty",
        "townhall",
        "hall",
        "supermarket",
        "cinema",
        "theater",
        "theatre",
    ]
)
_VICTIM_HEADS = frozenset(
    [
        "peasant",
        "peasants",
        "civilian",
        "civilians",
        "mayor",
        "judge",
        "judges",
        "priest",
        "priests",
        "jesuit",
        "jesuits",
        "journalist",
        "journalists",
        "student",
        "students",
        "worker",
        "workers",
        "leader",
        "leaders",
        "official",
        "officials",
        "minister",
        "candidate",
        "senator",
        "deputy",
        "councilman",
        "councilmen",
        "attorney",
        "businessman",
        "businessmen",
        "unionist",
        "unionists",
        "children",
        "child",
        "women",
        "woman",
        "passenger",
        "passengers",
        "policeman",
        "policemen",
        "guard",
        "guards",
        "director",
        "ambassador",
        "diplomat",
        "diplomats",
        "missionary",
        "missionaries",
        "nun",
        "nuns",
        "archbishop",
        "bishop",
        "teacher",
        "teachers",
        "farmer",
        "farmers",
        "engineer",
        "engineers",
        "technicians",
        "executive",
        "executives",
        "legislator",
        "magistrate",
        "magistrates",
        "governor",
        "prosecutor",
    ]
)
_WEAPON_HEADS = frozenset(
    [
        "bomb",
        "bombs",
        "dynamite",
        "explosive",
        "explosives",
        "device",
        "devices",
        "grenade",
        "grenades",
        "rocket",
        "rockets",
        "mortar",
        "mortars",
        "machinegun",
        "machineguns",
        "gun",
        "guns",
        "rifle",
        "rifles",
        "pistol",
        "pistols",
        "revolver",
        "revolvers",
        "mine",
        "mines",
        "launcher",
        "launchers",
        "charge",
        "charges",
        "firearms",
        "weapons",
        "weapon",
        "cocktail",
        "cocktails",
        "submachinegun",
        "submachineguns",
        "shotgun",
        "shotguns",
        "knife",
        "knives",
        "machete",
        "machetes",
        "stones",
    ]
)
_WEAPON_ONLY_WITH_MODIFIER = frozenset(
    ["device", "devices", "charge", "charges", "weapons", "weapon"]
)
_SPEECH_VERBS = frozenset(
    [
        "say",
        "said",
        "says",
        "report",
        "reported",
        "reports",
        "state",
        "stated",
        "announce",
        "announced",
        "add",
        "added",
        "declare",
        "declared",
        "tell",
        "told",
        "confirm",
        "confirmed",
        "deny",
        "denied",
        "explain",
        "explained",
        "note",
        "noted",
        "indicate",
        "indicated",
        "claim",
        "claimed",
    ]
)
_DROP_LEADING = frozenset(["DET", "PRON", "NUM", "PUNCT", "CCONJ"])


@dataclass(frozen=True)
class Mention:
    """A noun phrase of the text: its span, its text and the lower-cased head word."""

    start: int
    end: int
    text: str
    head: str
    is_person: bool = False
    speaker: bool = False


def incident_type(event: Event, context: str) -> str | None:
    """The MUC incident type of one of our events, or None when MUC would not code it.

    ``context`` is the text of the event's evidence sentences: trigger words there decide
    between the types our ACLED coding does not separate (arson, robbery, work stoppage).
    """
    sub = event.sub_event_type
    attack = (event.attack_type or "").lower()
    if event.event_type in ("Protests", "Riots"):
        return "forced work stoppage" if _STOPPAGE.search(context) else None
    if event.event_type == "Strategic developments" and sub not in (
        "Looting/property destruction",
    ):
        return None
    if sub == "Abduction/forced disappearance" or "kidnap" in attack or "hostage" in attack:
        return "kidnapping"
    if _STOPPAGE.search(context):
        return "forced work stoppage"
    bombing = sub in ("Remote explosive/landmine/IED", "Suicide bomb", "Grenade") or (
        "bomb" in attack or "explosi" in attack
    )
    if not bombing and sub not in ("Air/drone strike", "Shelling/artillery/missile attack"):
        bombing = bool(_BOMB.search(context)) and event.event_type != "Battles"
    if "arson" in attack or "incendiary" in attack or (_ARSON.search(context) and not bombing):
        return "arson"
    if sub == "Looting/property destruction" or (_ROBBERY.search(context) and not bombing):
        return (
            "robbery" if _ROBBERY.search(context) else "arson" if _ARSON.search(context) else None
        )
    if _KIDNAP.search(context) and not bombing:
        return "kidnapping"
    return "bombing" if bombing else "attack"


def _clean_phrase(tokens: Sequence[Any]) -> tuple[int, int] | None:
    """Character span of a noun phrase without leading determiners, numbers and pronouns."""
    toks = list(tokens)
    while toks and (toks[0].pos_ in _DROP_LEADING or toks[0].tag_ in ("PRP$", "WDT", "POS")):
        toks = toks[1:]
    while toks and toks[-1].pos_ == "PUNCT":
        toks = toks[:-1]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def noun_phrases(doc: Any) -> list[Mention]:
    """Noun phrases of a parsed text (spaCy noun chunks and PERSON entities), cleaned."""
    found: list[Mention] = []
    persons = [ent for ent in doc.ents if ent.label_ == "PERSON"]
    person_spans = [(e.start_char, e.end_char) for e in persons]
    for ent in persons:
        span = _clean_phrase(ent)
        if span is None:
            continue
        root = ent.root
        speaker = root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in (
            _SPEECH_VERBS
        )
        speaker = speaker or root.head.lower_ in _SPEECH_VERBS
        found.append(
            Mention(
                *span, doc.text[span[0] : span[1]], root.lower_, is_person=True, speaker=speaker
            )
        )
    for chunk in doc.noun_chunks:
        span = _clean_phrase(chunk)
        if span is None:
            continue
        if any(s <= span[0] and span[1] <= e for s, e in person_spans):
            continue
        found.append(Mention(*span, doc.text[span[0] : span[1]], chunk.root.lower_))
    found.sort(key=lambda m: (m.start, -m.end))
    return found


def _perp_phrase(m: Mention) -> bool:
    words = m.text.lower().split()
    if m.head in _PERP_HEADS:
        return True
    return m.head in _PERP_VAGUE and any(w in _PERP_MODIFIERS for w in words[:-1])


def _weapon_text(m: Mention, text: str) -> str | None:
    """The weapon phrase: the head with its compound modifiers ('car bomb', 'dynamite')."""
    words = m.text.split()
    if m.head not in _WEAPON_HEADS or not words or words[-1].lower() != m.head:
        return None
    keep = [words[-1]]
    for w in reversed(words[:-1]):
        lw = w.lower()
        if lw in _WEAPON_HEADS or lw in (
            "car",
            "truck",
            "hand",
            "homemade",
            "incendiary",
            "molotov",
            "submachine",
            "machine",
            "automatic",
            "explosive",
            "dynamite",
        ):
            keep.insert(0, w)
        else:
            break
    if len(keep) == 1 and m.head in _WEAPON_ONLY_WITH_MODIFIER:
        return None
    return " ".join(keep)


@dataclass
class _Fillers:
    perp_ind: list[str] = field(default_factory=list)
    perp_org: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    victim: list[str] = field(default_factory=list)
    weapon: list[str] = field(default_factory=list)

    def add(self, role: str, text: str) -> None:
        values: list[str] = getattr(self, role)
        key = gtt.normalize_mention(text)
        if key and all(gtt.normalize_mention(v) != key for v in values):
            values.append(text)


def _actor_surfaces(event: Event, mentions: Sequence[Any]) -> list[str]:
    """Text mentions of the perpetrator (and of claimants): the resolved actor as written.

    Generic actors ('gunmen', 'guerrillas') are not organisations and are left out."""
    wanted: set[str] = set()
    names: set[str] = set()
    for actor in (event.perpetrator,):
        if actor is not None:
            if actor.actor_id:
                wanted.add(actor.actor_id)
            names.add(actor.name.lower())
    for claim in event.claims:
        if claim.stance in ("claimed", "attributed_by_officials", "suspected"):
            names.add(claim.by.lower())
    out = []
    for m in mentions:
        actor = m.actor
        if actor.generic:
            continue
        if actor.actor_id in wanted or actor.name.lower() in names:
            out.append(m.text)
    return out


def event_template(
    event: Event,
    kind: str,
    text: str,
    sentences: Sequence[tuple[int, int]],
    phrases: Sequence[Mention],
    actor_mentions: Sequence[Any],
) -> dict:
    """One MUC template from one event: fillers are taken from the event's sentences."""
    spans = [(s.start, s.end) for s in event.evidence]
    chosen = [
        (a, b) for a, b in sentences if any(a <= s < b or (s <= a < e) for s, e in spans)
    ] or [(min(s for s, _ in spans), max(e for _, e in spans))]
    inside = [m for m in phrases if any(a <= m.start and m.end <= b for a, b in chosen)]
    fillers = _Fillers()
    orgs = _actor_surfaces(event, actor_mentions)
    org_spans = []
    for m in actor_mentions:
        if m.text in orgs:
            org_spans.append((m.start, m.end))
    state_perp = event.perpetrator is not None and bool(_STATE.search(event.perpetrator.name))
    for surface in orgs:
        if not state_perp or _STATE.search(surface):
            fillers.add("perp_org", surface)
    for m in inside:
        overlaps_org = any(s < m.end and m.start < e for s, e in org_spans)
        low_words = m.text.lower().split()
        if m.is_person:
            words = m.text.split()
            named = all(w[:1].isupper() for w in words if w.lower() not in _LOWER_ALWAYS)
            lexical = {w.lower() for w in words} & (_PERP_HEADS | _WEAPON_HEADS | _TARGET_HEADS)
            if not m.speaker and named and not lexical and not overlaps_org:
                fillers.add("victim", m.text)
            continue
        weapon = _weapon_text(m, text)
        if weapon is not None:
            fillers.add("weapon", weapon)
        elif _perp_phrase(m) and not overlaps_org:
            fillers.add("perp_ind", m.text)
        elif m.head in _TARGET_HEADS and kind != "kidnapping" and len(low_words) <= 6:
            fillers.add("target", m.text)
        elif m.head in _VICTIM_HEADS and len(low_words) <= 4:
            fillers.add("victim", m.text)
    if kind == "forced work stoppage":
        fillers.weapon.clear()
        fillers.victim.clear()
    return {
        gtt.INCIDENT_TYPE: kind,
        "PerpInd": [[t] for t in fillers.perp_ind],
        "PerpOrg": [[t] for t in fillers.perp_org],
        "Target": [[t] for t in fillers.target],
        "Victim": [[t] for t in fillers.victim],
        "Weapon": [[t] for t in fillers.weapon],
    }


def _slot_values(event: Event, kb_countries: Callable[[str], str | None]) -> dict:
    """The extra slots of one event in a comparable form (see ``score_full_slots``)."""
    place = event.location
    return {
        "date": event.date.isoformat() if event.date else None,
        "date_latest": event.date_latest.isoformat() if event.date_latest else None,
        "country": kb_countries(place.country) if place and place.country else None,
        "city": place.name if place and place.name and place.geo_precision == 1 else None,
        "claimed": any(c.stance == "claimed" for c in event.claims),
        "killed": event.fatalities.best if event.fatalities else None,
        "wounded": event.injuries.best if event.injuries else None,
    }


def merge_templates(templates: Sequence[dict]) -> list[dict]:
    """Join templates of the same type that share a filler: one incident told twice."""
    merged: list[dict] = []
    for template in templates:
        keys = _filler_keys(template)
        for other in merged:
            if other[gtt.INCIDENT_TYPE] == template[gtt.INCIDENT_TYPE] and (
                keys & _filler_keys(other) or not keys or not _filler_keys(other)
            ):
                for role in gtt.ROLES:
                    have = {gtt.normalize_mention(e[0]) for e in other[role]}
                    other[role].extend(
                        e for e in template[role] if gtt.normalize_mention(e[0]) not in have
                    )
                for slot, value in template.get("slots", {}).items():
                    if other.setdefault("slots", {}).get(slot) in (None, False):
                        other["slots"][slot] = value
                break
        else:
            merged.append({**template, **{r: list(template[r]) for r in gtt.ROLES}})
    return merged


def _filler_keys(template: dict) -> set[tuple[str, str]]:
    return {
        (role, gtt.normalize_mention(e[0]))
        for role in ("PerpOrg", "Target", "Victim")
        for e in template[role]
    }


def _event_sentences(event: Event, sentences: Sequence[tuple[int, int]]) -> list[int]:
    """Indices of the sentences that hold the event's evidence."""
    spans = [(s.start, s.end) for s in event.evidence]
    return [
        n for n, (a, b) in enumerate(sentences) if any(a <= s < b or s <= a < e for s, e in spans)
    ]


def map_document(
    text: str,
    result: ExtractResult,
    doc: Any,
    actor_mentions: Sequence[Any],
    country_name: Callable[[str], str | None] = lambda iso2: iso2,
    role_model: muc4_roles.RoleModel | None = None,
    incident_model: muc4_roles.IncidentModel | None = None,
) -> list[dict]:
    """MUC templates for one document from our extraction result and its parse.

    With a trained ``role_model`` the events give the templates (one per incident type) and
    the model fills their roles from the whole document; when no event maps to an incident,
    ``incident_model`` may still find the message relevant and give the template's type (a
    trigger lexicon misses many ways of telling an attack), and a message it finds clearly
    irrelevant gets no template even when an event was found; it also settles an event's type
    when it is clearly surer than the trigger rules. Without a role model, the
    head-word rules fill the roles from each event's sentences."""
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    coded: list[tuple[Event | None, str, list[int]]] = []
    for event in result.events:
        where = _event_sentences(event, sentences)
        context = " ".join(text[sentences[n][0] : sentences[n][1]] for n in where)
        kind = incident_type(event, context)
        if kind is not None:
            coded.append((event, kind, where))
    if role_model is not None:
        if incident_model is not None:
            if not incident_model.relevant(text):
                return []
            coded = [(e, incident_model.settle_type(k, text), w) for e, k, w in coded]
        fallback = incident_model.fallback_type(text) if incident_model and not coded else None
        if fallback is not None:
            coded.append((None, fallback, list(range(len(sentences)))))
        return _model_templates(doc, coded, role_model, country_name)
    phrases = noun_phrases(doc)
    templates = []
    for event, kind, _ in coded:
        template = event_template(event, kind, text, sentences, phrases, actor_mentions)
        template["slots"] = _slot_values(event, country_name)
        templates.append(template)
    return merge_templates(templates)


# Events of one type this many sentences apart or closer are told of one incident: 0 (only
# events sharing a sentence) scored best on MUC-4 train end to end, roles by the model fitted
# there (micro F1 33.6, against 33.3 for 1, 33.1 for 3 and 32.9 for one template per type).
INCIDENT_GAP = 0


@dataclass(frozen=True)
class Incident:
    """Events of one type read as one incident: the sentences that tell of it."""

    kind: str
    sentences: frozenset[int]
    events: tuple[Event, ...]


def group_incidents(
    coded: Sequence[tuple[Event | None, str, Sequence[int]]], gap: int = INCIDENT_GAP
) -> list[Incident]:
    """Join events of one type whose sentences lie within ``gap`` of each other (MUC keys
    one template per incident, and a message often reports several attacks far apart);
    incidents keep the order of their first event."""
    groups: list[Incident] = []
    for event, kind, where in coded:
        near = [
            g
            for g in groups
            if g.kind == kind and any(abs(a - b) <= gap for a in where for b in g.sentences)
        ]
        joined = Incident(
            kind,
            frozenset(where).union(*(g.sentences for g in near)),
            tuple(e for g in near for e in g.events) + ((event,) if event is not None else ()),
        )
        at = groups.index(near[0]) if near else len(groups)
        groups = [g for g in groups if g not in near]
        groups.insert(min(at, len(groups)), joined)
    return groups


def _model_templates(
    doc: Any,
    coded: Sequence[tuple[Event | None, str, list[int]]],
    model: muc4_roles.RoleModel,
    country_name: Callable[[str], str | None],
) -> list[dict]:
    """One template per incident (``group_incidents``); each candidate phrase the model gives
    a role goes to the template whose sentences are nearest to it (the first on a tie). An
    incident without an event (the document model's type) has no extra slots."""
    incidents = group_incidents(coded)
    templates = []
    for incident in incidents:
        slots: dict[str, Any] = {}
        for event in incident.events:
            for slot, value in _slot_values(event, country_name).items():
                if slots.get(slot) in (None, False):
                    slots[slot] = value
        templates.append(
            {gtt.INCIDENT_TYPE: incident.kind, **{r: [] for r in gtt.ROLES}, "slots": slots}
        )
    if not templates:
        return []
    seen: list[set[str]] = [set() for _ in templates]
    for cand, role, _ in muc4_roles.assign_roles(model, muc4_roles.candidates(doc)):
        i = min(
            range(len(incidents)),
            key=lambda k: min(
                (abs(cand.sentence - n) for n in incidents[k].sentences), default=10**6
            ),
        )
        key = gtt.normalize_mention(cand.text)
        if (
            key
            and key not in seen[i]
            and not (incidents[i].kind == "forced work stoppage" and role in ("Victim", "Weapon"))
        ):
            seen[i].add(key)
            templates[i][role].append([cand.text])
    return templates


# ---------------------------------------------------------------------------------------------
# Extra slots (full_slots) after alignment
# ---------------------------------------------------------------------------------------------


def load_full_slots(path: Path) -> dict[str, list[dict]]:
    """Relevant (non-``irrelevant``) key templates per docid, in key order."""
    out: dict[str, list[dict]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UnreadableInput(f"cannot read: {exc.strerror or exc}", source=str(path)) from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise MalformedLine(
                f"not valid JSON: {exc.msg}", source=str(path), line=number
            ) from exc
        if not isinstance(record, dict) or "docid" not in record:
            raise MalformedLine("expected an object with 'docid'", source=str(path), line=number)
        if record.get("irrelevant") or "incident_type" not in record:
            continue
        out.setdefault(record["docid"], []).append(record)
    return out


def _kept_gold_indices(raw: Sequence[dict]) -> list[int]:
    """Indices of the gold templates the metric keeps (section 3.1: repeats dropped)."""
    seen: set = set()
    kept = []
    for i, template in enumerate(raw):
        identity = (
            template[gtt.INCIDENT_TYPE],
            tuple(
                tuple(
                    tuple(m[0] if isinstance(m, list) else m for m in e) for e in template[r] if e
                )
                for r in gtt.ROLES
            ),
        )
        if identity not in seen:
            seen.add(identity)
            kept.append(i)
    return kept


def metric_assignment(pred: Sequence[dict], gold: Sequence[dict], docid: str) -> list[tuple]:
    """(predicted index, kept gold index) pairs the GTT metric matched in one document."""
    golds = gtt._gold_templates(list(gold), docid)
    preds = gtt._pred_templates(list(pred))
    if not golds or not preds:
        return []
    p_den = len(preds) + sum(len(r) for t in preds for r in t.roles)
    r_den = len(golds) + sum(len(r) for t in golds for r in t.roles)
    pairs = [[gtt._pair_counts(p, g) for g in golds] for p in preds]
    cp = [[sum(pair[0]) for pair in row] for row in pairs]
    cr = [[sum(pair[1]) for pair in row] for row in pairs]
    chosen = gtt._choose_assignment(cp, cr, p_den, r_den, len(golds))
    return [(i, j) for i, j in enumerate(chosen) if j is not None and pairs[i][j][0][0]]


def _fold(text: str | None) -> str:
    if not text:
        return ""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _date_ranges(raw: str | None) -> list[tuple[dt.date | None, dt.date]]:
    """'02 FEB 90', '- 04 FEB 90' (on or before), 'A - B', '(A - B) / (C)' as ranges."""
    if not raw:
        return []
    ranges = []
    for alt in raw.split("/"):
        dates = []
        for d, mon, yy in re.findall(r"(\d{1,2}) ([A-Z]{3}) (\d{2})", alt):
            try:
                dates.append(dt.date(1900 + int(yy), _MONTHS[mon], int(d)))
            except (KeyError, ValueError):
                continue
        if not dates:
            continue
        if len(dates) == 1 and alt.strip().strip("(").startswith("-"):
            ranges.append((None, dates[0]))
        else:
            ranges.append((min(dates), max(dates)))
    return ranges


def gold_slot_values(record: Mapping) -> dict:
    """The key's extra slots: date ranges, country, city, claimed, killed, wounded."""
    loc = record.get("location") or {}
    return {
        "date": _date_ranges(record.get("date_raw")),
        "country": loc.get("country"),
        "city": loc.get("city"),
        "claimed": bool(record.get("claimed")),
        "killed": record.get("killed_min") or None,
        "wounded": record.get("wounded_min") or None,
    }


# An open range ('- 04 FEB 90': before the report) accepts dates this far back.
_OPEN_RANGE_DAYS = 31


def slot_judgement(slot: str, gold: Mapping, pred: Mapping) -> tuple[bool, bool, bool]:
    """(gold has a value, prediction has one, they agree) for one slot of one pair."""
    if slot == "date":
        has_gold, has_pred = bool(gold["date"]), pred.get("date") is not None
        ok = False
        if has_gold and has_pred:
            day = dt.date.fromisoformat(pred["date"])
            for lo, hi in gold["date"]:
                start = lo or hi - dt.timedelta(days=_OPEN_RANGE_DAYS)
                ok = ok or start <= day <= hi
        return has_gold, has_pred, ok
    if slot in ("country", "city"):
        g, p = _fold(gold[slot]), _fold(pred.get(slot))
        return bool(g), bool(p), bool(g) and g == p
    if slot == "claimed":
        return (
            gold["claimed"],
            bool(pred.get("claimed")),
            gold["claimed"] and bool(pred.get("claimed")),
        )
    g, p = gold[slot], pred.get(slot) or None
    return g is not None, p is not None, g is not None and g == p


@dataclass(frozen=True)
class SlotScore:
    """Per extra slot: accuracy over aligned pairs and P/R/F1 counting unaligned templates."""

    pairs: int
    correct: int
    tp: int
    fp: int
    fn: int

    @property
    def accuracy(self) -> float:
        return 100 * self.correct / self.pairs if self.pairs else 0.0

    @property
    def precision(self) -> float:
        return 100 * self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return 100 * self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_full_slots(
    gold_lines: Sequence[dict],
    predictions: Mapping[str, Sequence[dict]],
    full: Mapping[str, Sequence[dict]],
) -> dict[str, SlotScore]:
    """Score the extra slots over the template pairs the GTT metric chose.

    The key file lists a document's relevant templates in the order of the GTT gold file,
    so the i-th relevant key template is the i-th gold template (their incident types are
    checked). Accuracy counts a pair right when both sides agree, including both empty;
    P/R/F1 count a value on an unaligned predicted template as a false positive and a value
    of an unaligned gold template as a false negative.
    """
    tallies = {s: [0, 0, 0, 0, 0] for s in FULL_SLOTS}  # pairs, correct, tp, fp, fn
    for record in gold_lines:
        docid = record["docid"]
        raw_gold = record["templates"]
        keys = list(full.get(docid, []))
        if len(keys) != len(raw_gold):
            raise InputError(
                f"{docid}: {len(keys)} relevant key templates for {len(raw_gold)} gold templates",
                source="full_slots",
            )
        kept = _kept_gold_indices(raw_gold)
        pred = list(predictions.get(gtt.doc_key(docid), []))
        pairs = metric_assignment(pred, raw_gold, docid)
        paired_pred = {i for i, _ in pairs}
        paired_gold = {j for _, j in pairs}
        for i, j in pairs:
            gold = gold_slot_values(keys[kept[j]])
            values = pred[i].get("slots", {})
            for slot in FULL_SLOTS:
                has_g, has_p, ok = slot_judgement(slot, gold, values)
                row = tallies[slot]
                row[0] += 1
                row[1] += ok or (not has_g and not has_p)
                row[2] += ok
                row[3] += has_p and not ok
                row[4] += has_g and not ok
        for i, template in enumerate(pred):
            if i not in paired_pred:
                for slot in FULL_SLOTS:
                    value = template.get("slots", {}).get(slot)
                    tallies[slot][3] += value not in (None, False)
        for j, index in enumerate(kept):
            if j not in paired_gold:
                gold = gold_slot_values(keys[index])
                for slot in FULL_SLOTS:
                    tallies[slot][4] += gold[slot] not in (None, False, [])
    return {s: SlotScore(*row) for s, row in tallies.items()}


# ---------------------------------------------------------------------------------------------
# The end-to-end run
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Muc4Run:
    """Predictions, the GTT report and the extra-slot scores of one end-to-end run."""

    predictions: dict[str, list[dict]]
    report: gtt.GttReport
    full_slots: dict[str, SlotScore] | None
    documents: int
    from_raw: int
    seconds: float
    truecased: bool
    roles: str = "rules"


def default_case_texts(data_dir: Path) -> list[str]:
    """Mixed-case English to learn word case from: the other corpora of ``data_dir``.

    Plain texts and XML are read as text; JSON (lines) files contribute their string values,
    token lists joined by spaces. Missing folders are skipped.
    """
    texts: list[str] = []
    patterns = (
        "geoparsing/*.xml",
        "rams/*.jsonlines",
        "wikievents/*.jsonl",
        "re3d/*/documents.json",
        "case2021_task2/*.tsv",
        "plover_gsr/*.txt",
    )
    for pattern in patterns:
        for path in sorted(data_dir.glob(pattern)):
            content = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix in (".xml",):
                texts.append(re.sub(r"<[^>]+>", " ", content))
            elif path.suffix in (".json", ".jsonl", ".jsonlines"):
                texts.extend(_json_strings(content))
            else:
                texts.append(content)
    return texts


def _json_strings(content: str) -> list[str]:
    """String values of a JSON or JSON Lines document, one per line; token lists joined."""
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if " " in value:
                out.append(value)
        elif isinstance(value, list):
            if value and all(isinstance(v, str) for v in value):
                out.append(" ".join(value))
            else:
                for v in value:
                    walk(v)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)

    decoder = json.JSONDecoder()
    i = 0
    while i < len(content):
        while i < len(content) and content[i].isspace():
            i += 1
        if i >= len(content):
            break
        try:
            value, i = decoder.raw_decode(content, i)
        except json.JSONDecodeError:
            break
        walk(value)
    return out


def build_recaser(
    extractor: Any, case_texts: Iterable[str], lowered: Iterable[str] = ()
) -> Callable[[str], str]:
    """A truecaser from the case profile of ``case_texts`` (mixed case), the common words of
    ``lowered`` (lower-cased documents) and the actor KB's names."""
    model = CaseModel.from_texts(case_texts, lowered)
    names: list[str] = []
    for actor in extractor.kb:
        names.append(actor.name)
        names.extend(getattr(actor, "aliases", ()) or ())
    index = _names_index(n for n in names if isinstance(n, str))

    def recase(text: str) -> str:
        return truecase(text, model, index, _document_acronyms(text))

    return recase


def run(
    gold_path: Path,
    extractor: Any,
    *,
    raw_dir: Path | None = None,
    limit: int | None = None,
    full_slots: Path | None = None,
    case_texts: Iterable[str] | None = None,
    lowered_texts: Iterable[str] = (),
    nlp: Any = None,
    progress: Callable[[int, int], None] | None = None,
    roles: str = "model",
) -> Muc4Run:
    """Extract from every gold document, map to templates and score them.

    ``raw_dir`` holds the original messages (used when a docid is found there, else the
    gold ``doctext``); ``case_texts`` are mixed-case texts for the truecaser (None or empty:
    the raw text is only lower-cased and sentence-capitalised); ``nlp`` is a spaCy pipeline
    with a parser and NER (loaded from the settings' model when not given). ``roles`` is
    "model" (the shipped role model fills the roles and the shipped incident model types the
    messages where no event was found; the rules when the role model is not installed) or
    "rules".
    """
    if roles not in ROLE_FILLERS:
        raise InputError(f"unknown role filler {roles!r}; choose one of {', '.join(ROLE_FILLERS)}")
    role_model = muc4_roles.load_role_model() if roles == "model" else None
    incident_model = muc4_roles.load_incident_model() if roles == "model" else None
    lines = read_gold_lines(gold_path)
    if limit is not None:
        lines = lines[:limit]
    raw = load_raw_texts(raw_dir) if raw_dir is not None else {}
    texts = list(case_texts or [])
    recase = build_recaser(extractor, texts, lowered_texts) if texts else _lower_recaser
    docs = prepare_documents(lines, raw, recase)
    if nlp is None:
        import spacy

        nlp = spacy.load(extractor.settings.spacy_model)
    country_name = _country_namer()
    started = time.perf_counter()
    predictions: dict[str, list[dict]] = {}
    for n, doc in enumerate(docs, start=1):
        result = extractor.extract(Article(id=doc.docid, text=doc.text, published=doc.published))
        parsed = nlp(doc.text)
        mentions = extractor.kb.find_mentions(doc.text)
        predictions[doc.key] = map_document(
            doc.text, result, parsed, mentions, country_name, role_model, incident_model
        )
        if progress is not None:
            progress(n, len(docs))
    seconds = time.perf_counter() - started
    gold = {record["docid"]: record["templates"] for record in lines}
    report = gtt.score(gold, predictions)
    slots = None
    if full_slots is not None:
        slots = score_full_slots(lines, predictions, load_full_slots(full_slots))
    return Muc4Run(
        predictions=predictions,
        report=report,
        full_slots=slots,
        documents=len(docs),
        from_raw=sum(d.from_raw for d in docs),
        seconds=seconds,
        truecased=bool(texts),
        roles="model" if role_model is not None else "rules",
    )


def _lower_recaser(text: str) -> str:
    """Without a case profile: lower case with capitalised sentence starts."""
    return truecase(text, CaseModel({}, frozenset(_WORD.findall(text.lower()))))


def default_lowered_texts(gold_path: Path) -> list[str]:
    """The lower-cased training texts beside the gold file (train.json), if present."""
    path = gold_path.parent / "train.json"
    if not path.is_file() or path.resolve() == gold_path.resolve():
        return []
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            if isinstance(record, dict) and isinstance(record.get("doctext"), str):
                texts.append(record["doctext"])
    return texts


def _country_namer() -> Callable[[str], str | None]:
    import pycountry

    def name(iso2: str) -> str | None:
        country = pycountry.countries.get(alpha_2=iso2)
        return country.name if country is not None else None

    return name


def slots_dict(scores: Mapping[str, SlotScore]) -> dict:
    """JSON-ready extra-slot figures (percent, two decimals) with their counts."""
    return {
        slot: {
            "accuracy": round(s.accuracy, 2),
            "precision": round(s.precision, 2),
            "recall": round(s.recall, 2),
            "f1": round(s.f1, 2),
            "pairs": s.pairs,
            "correct": s.correct,
            "tp": s.tp,
            "fp": s.fp,
            "fn": s.fn,
        }
        for slot, s in scores.items()
    }


def predictions_file(predictions: Mapping[str, Sequence[dict]]) -> dict:
    """Predictions in the GTT prediction-file format (extra slots dropped)."""
    return {
        key: {"pred_templates": [{k: t[k] for k in gtt.CATEGORIES} for t in templates]}
        for key, templates in predictions.items()
    }


def type_counts(predictions: Mapping[str, Sequence[dict]]) -> Counter:
    return Counter(t[gtt.INCIDENT_TYPE] for ts in predictions.values() for t in ts)
