"""Organisational developments: branches, foundings, pledges, splits, mergers, renames, alliances,
rivalries, leader changes, terrorist designations and dissolutions.

The stage is rule-based on purpose: these statements are formulaic in wire copy ("pledged
allegiance to", "broke away from", "was designated a foreign terrorist organisation"), the
held-out articles are few, and a precise pattern with explicit role rules (who is the subject,
who is the object) is easier to audit than a classifier. Each cue fires per sentence; the roles
are read from the same clause, using the actor knowledge base first and capitalised proper-noun
phrases second; "the group" / "it" fall back to the most recent group named earlier.

Record conventions (documented in the contract's terms):
- ``merger``: ONE record per merger. When a new name results ("A and B merged to form C",
  "C, formed through a merger of A and B") ``group`` is C and ``other`` lists the members as
  "A; B"; "A merged into B" gives group B, other A; "A merged with B" gives group A, other B.
- ``rename``: ``group`` is the new name, ``other`` the former name when stated.
- ``pledge``: ``parent`` is the organisation pledged to (a leader is mapped to his
  organisation); ``split``: the group left; ``branch_announced``: the announcing organisation.
  For other kinds ``parent`` is the KB parent of the group, when the KB has one.
- Dates: the date expression in the clause (anaphoric "two days later" rebased on the previous
  date in the text); else, for news, the publication date with day precision; background
  statements ("formerly known as", relative clauses) without a date get no date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from watchfloor.model import EvidenceSpan, OrgDevelopment
from watchfloor.pipeline.dates import DateMention, find_dates, rebase

if TYPE_CHECKING:
    from watchfloor.resolve.actors import ActorKB

__all__ = ["LEADER_ORGS", "find_org_developments"]

FIELD = "org_development"


class _Mention(Protocol):
    start: int
    end: int
    text: str
    actor: Any


# --------------------------------------------------------------------------- vocabulary

#: Leaders whose name stands for their organisation in "pledged allegiance to <leader>".
LEADER_ORGS: tuple[tuple[str, str], ...] = (
    ("abu bakr al-baghdadi", "Islamic State"),
    ("abu ibrahim al-hashimi", "Islamic State"),
    ("abu al-hasan al-hashimi", "Islamic State"),
    ("abu al-hussein al-husseini", "Islamic State"),
    ("abu hafs al-hashimi", "Islamic State"),
    ("baghdadi", "Islamic State"),
    ("osama bin laden", "al-Qaeda"),
    ("usama bin laden", "al-Qaeda"),
    ("bin laden", "al-Qaeda"),
    ("ayman al-zawahiri", "al-Qaeda"),
    ("zawahiri", "al-Qaeda"),
    ("saif al-adel", "al-Qaeda"),
    ("mullah omar", "Taliban"),
    ("mullah mohammad omar", "Taliban"),
    ("hibatullah akhundzada", "Taliban"),
    ("akhundzada", "Taliban"),
    ("akhtar mansour", "Taliban"),
    ("abu musab al-zarqawi", "al-Qaeda in Iraq"),
    ("zarqawi", "al-Qaeda in Iraq"),
    ("abubakar shekau", "Boko Haram"),
    ("shekau", "Boko Haram"),
)

# Words that make a capitalised phrase an organisation rather than a place or a person.


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


_ORG_WORDS = _words(
    """army front frente movement movimiento brigade brigades battalion battalions group groups
    organisation organization council shura party alliance coalition union liberation jihad
    mujahideen mujahidin mujahedeen ansar ansaru jabhat harakat harakah hizb hezb hizbul jamaat
    jama'at jama'atu jamaatu jamaah jemaah tanzim liwa katiba katibat kata'ib kataib ahrar forces
    force militia militias legion guard guards commandos comandos coordinadora ejército ejercito
    fuerzas resistance resistencia revolutionary tigers taliban lashkar jaish sipah tehreek tehrik
    province wilayat wilaya state network squad command brotherhood league fighters defenders
    guardians partisans rebels jund mahaz saraya sarayat hurras haqqani boko shabaab shabab qaeda
    qaida"""
)
_GROUP_NOUNS = (
    r"(?:group|front|faction|militia|movement|brigades?|battalion|organi[sz]ation|alliance"
    r"|coalition|network|outfit|wing|splinter|rebels|insurgents|militants|fighters|jihadists"
    r"|guerrillas|council|cell|insurgency)"
)
# Capitalised words that begin sentences or titles but never names of groups.
_NOT_NAME = _words(
    """the a an in on at by its their his her under after before since when while rival new
    last this that earlier later meanwhile however analysts officials police security
    government president minister monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    but and or so if as then also both other some several many most us u.s. it he she they
    islamist jihadist"""
)
_NON_GROUP_KINDS = frozenset(
    {
        "person",
        "individual",
        "state",
        "state_forces",
        "country",
        "government",
        "military",
        "police",
        "external",
        "civilian",
        "civilians",
        "protesters",
        "rioters",
        "generic_armed",
        "ethnic",
        "place",
        "location",
        "un",
        "ngo",
        "media",
    }
)
_STATE_INTER = frozenset({1, 5, 6, 7, 8})

_TOKEN = r"(?:(?:al|el|ad|ash|as|an|at|ar|az|ul|ud|wal|wa|bil|lil|li|bi|fi)[-‑])?[A-Z][\w'’‑-]*"
_CONNECT = r"(?:of|the|de|del|della|des|du|la|las|los|le|el|al|wal|wa|fi|li|bin|ibn|for|y|da)"
_PHRASE = re.compile(
    rf"(?<![\w'’-]){_TOKEN}(?:(?:\s+{_CONNECT})*\s+{_TOKEN}|\s+in\s+the\s+{_TOKEN}"
    rf"|\s+and\s+{_TOKEN})*"
)
_TRAIL_GROUP_NOUN = re.compile(rf"\s+(?:\w+\s+)?{_GROUP_NOUNS}\b")
_PARTICIPLE = r"-(?:based|linked|backed|allied|aligned|affiliated|led|run|held|controlled)$"
_DEMONYM = re.compile(r"(?:an|ian|ese|ish|i|ic)$")

# --------------------------------------------------------------------------- context filters

_HEDGE = re.compile(
    r"\b(?:could|might|may|would|should|will|shall|can|must|plan(?:s|ned|ning)?|"
    r"prepar(?:e|es|ed|ing)|intend(?:s|ed|ing)?|threaten(?:s|ed|ing)?|consider(?:s|ed|ing)?|"
    r"expected|likely|poised|seek(?:s|ing)?|sought|want(?:s|ed)?|tr(?:y|ies|ied|ying)|"
    r"talks?|negotiat\w*|propos\w*|urg\w+|refus\w+|fail\w*|mull\w*|weigh\w*|rumou?r\w*|"
    r"speculat\w*|unconfirmed|alleged(?:ly)?|possible|possibly|if|whether|unless|"
    r"call(?:s|ed|ing)?\s+(?:on|for)|aim(?:s|ed|ing)?|hop(?:e|es|ed|ing)|"
    r"about\s+to|going\s+to|set\s+to|ready\s+to)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:not|never|no\s+longer|neither|nor|no)\b|n['’]t\b", re.IGNORECASE)
_DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial)|dismiss(?:es|ed|ing)?|reject(?:s|ed|ing)?|refut\w*|"
    r"rebuff\w*|false(?:ly)?|baseless)\b",
    re.IGNORECASE,
)
_BACKGROUND = re.compile(
    r"(?:\b(?:formerly|previously|once|originally|who|which|whose)\b|,\s*$)[^,;]*$",
    re.IGNORECASE,
)
_CLAUSE_SEP = re.compile(
    r";|\s[—–]\s|\s-{1,2}\s|,\s+(?:and|but|while|whereas|although|though|as)\s+", re.IGNORECASE
)

# --------------------------------------------------------------------------- cue patterns

_LEADER_NOUN = (
    r"(?:new\s+|next\s+|interim\s+|acting\s+|supreme\s+|overall\s+|top\s+|deputy\s+)?"
    r"(?:leader|emir|amir|chief|head|commander-in-chief|supreme\s+commander|caliph"
    r"|secretary[- ]general|chairman|president)"
)
_TERROR = (
    r"(?:(?:a|an|as|the)\s+)*(?:(?i:foreign|global|international|banned|proscribed)\s+)?"
    r"(?:(?i:terrorist|terror)|Specially\s+Designated\s+Global\s+Terrorist|SDGT\b|FTO\b)"
)
_FORM_VERB = r"(?:formed|founded|created|established|set\s+up|launched)"
# "Wilayat al-Hind", "Wilaya Sinai": the Arabic form of "<place> Province"
_WILAYAT = (
    r"[\"“‘']?Wilaya[ht]?\s+(?:(?:al|el|ash|ad|as|at|ar|an|az|ul)[-‑])?[A-Z][\w'’-]*\b"
    r"(?!\s+(?:Province|Wilaya))"
)


@dataclass(frozen=True, slots=True)
class _Cue:
    kind: str
    form: str
    pattern: re.Pattern[str]


def _cue(kind: str, form: str, pattern: str, flags: int = 0) -> _Cue:
    return _Cue(kind, form, re.compile(pattern, flags))


_I = re.IGNORECASE
_CUES: tuple[_Cue, ...] = (
    # ---- pledge
    _cue(
        "pledge",
        "subj",
        r"\b(?:pledg(?:e|es|ed|ing)|sw(?:ore|orn|ear|ears|earing)|"
        r"renew(?:s|ed|ing)?|declar(?:e|es|ed|ing)|announc(?:e|es|ed|ing)|offer(?:s|ed|ing)?|"
        r"gave|giv(?:e|es|ing))\b(?:[^.;:,]{0,30}?)\b(?:allegiance|loyalty|bay['’]?ah?|baya"
        r"|fealty)\s+to\b",
        _I,
    ),
    # ---- branch
    _cue(
        "branch_announced",
        "subj",
        r"\b(?:announc|declar|proclaim|unveil|launch|establish|creat)\w*\s+(?:(?:the\s+)?"
        r"(?:creation|formation|establishment|founding|launch)\s+of\s+)?(?:(?:its|their|a|an|the)"
        r"\s+(?:new\s+)?(?:(?:[\"“‘']?(?:[A-Z][\w'’-]*\s+){1,3}(?:Province|Wilaya[ht]?)\b)"
        rf"|{_WILAYAT}|(?:(?:new|first|own)\s+)?(?:\w+\s+)?(?:province|wilaya[ht]?|branch"
        rf"|affiliate|chapter|franchise)\b)|{_WILAYAT})",
    ),
    _cue(
        "branch_announced",
        "became",
        r"\b(?:became|become|becomes|becoming|named|declared|accepted|recogni[sz]ed)\b[^.;]{0,40}?"
        r"\b(?:new|newest|latest|official)\s+(?:\w+\s+)?(?:affiliate|branch|province|franchise)\b",
    ),
    # ---- founded
    _cue(
        "founded",
        "poss",
        r"\bannounc(?:e|es|ed|ing)\s+(?:its|their|the\s+group['’]s)\s+"
        r"(?:founding|formation|creation|establishment|launch|birth)\b",
        _I,
    ),
    _cue("founded", "passive", rf"\b(?:was|were|been|is|are)\s+(?:\w+ly\s+)?{_FORM_VERB}\b"),
    _cue(
        "founded",
        "reduced",
        rf"(?<=,)\s*(?:which\s+was\s+|that\s+was\s+)?{_FORM_VERB}\s+"
        r"(?=in\b|on\b|last\b|this\b|by\b|after\b|as\b|during\b|early\b|late\b|\d)",
    ),
    _cue(
        "founded",
        "obj",
        rf"\b(?:{_FORM_VERB}|to\s+found|"
        r"(?:announc|declar|unveil)\w*\s+the\s+(?:formation|creation|founding|establishment|"
        r"launch)\s+of)\s+(?:(?:a|an)\s+new\s+(?:\w+\s+){0,2}?(?:group|alliance|coalition|front"
        r"|organi[sz]ation|movement|faction|militia|force|umbrella\s+group)\s*,?\s*"
        r"(?:called|named|known\s+as|dubbed)?\s*|the\s+)?(?=[\"“‘']?(?:al-|el-)?[A-Z])",
    ),
    # ---- split
    _cue(
        "split",
        "subj",
        r"\b(?:split(?:s|ting)?(?:\s+off)?|broke\s+away|break(?:s|ing)?\s+"
        r"away|splinter(?:ed|s)?|seceded|defected|breaking\s+away|parted\s+ways)\s+(?:from|with)"
        r"\b",
        _I,
    ),
    _cue(
        "split",
        "subj",
        r"\b(?:cut|cuts|cutting|severed|severs|sever)\s+(?:all\s+|its\s+|"
        r"their\s+|formal\s+|organi[sz]ational\s+)*(?:ties|links|relations)\s+with\b",
        _I,
    ),
    _cue(
        "split",
        "quit",
        r"\b(?:quit|quits|quitting|broke\s+with|breaks\s+with|"
        r"(?:left|leaves|leaving|abandoned)\s+the\s+ranks\s+of)\s+(?=(?:the\s+)?[\"“]?"
        r"(?:al-|el-)?[A-Z])",
    ),
    # "Boko Haram, from which ISWAP split in 2016": the parent before, the group inside
    _cue(
        "split",
        "rel",
        r"\bfrom\s+which\s+[^.;,]{1,60}?\s+(?:split(?:\s+off)?|broke\s+away|splintered|"
        r"seceded|defected|parted\s+ways)\b",
        _I,
    ),
    _cue(
        "split",
        "appos",
        r"\b(?:splinter|breakaway|break-away|dissident)\s+(?:group|faction|"
        r"wing|cell|movement|outfit)\s+(?:of|from)\b",
        _I,
    ),
    _cue(
        "split",
        "appos_pre",
        r"\b(?:splinter|breakaway|break-away)\s+(?:group|faction|wing"
        r"|outfit)\b(?!\s+(?:of|from)\b)",
        _I,
    ),
    # ---- merger
    _cue(
        "merger",
        "via",
        r"\b(?:formed|created|born|founded|established)\s+[^.;]{0,40}?"
        r"\b(?:through|by|after|from|following|in)\s+(?:a|the)\s+merger\s+(?:of|between)\b",
        _I,
    ),
    _cue("merger", "into", r"\bmerg(?:e|ed|es|ing)\s+(?:itself\s+)?into\b", _I),
    _cue(
        "merger",
        "with",
        r"\bmerg(?:e|ed|es|ing)\s+with\b|\bjoined\s+forces\s+with\b(?=[^.;]*"
        r"\bto\s+form\b)",
        _I,
    ),
    _cue(
        "merger",
        "plural",
        r"\b(?:merged|amalgamated|united|unified)\b(?:\s+(?:to\s+form|"
        r"into|as)\b)?",
    ),
    _cue(
        "merger",
        "noun",
        r"\b(?:announced|completed|agreed)\s+(?:a|the|their)\s+merger\b|"
        r"\bmerger\s+of\b(?![^.;]*\bmerger\b)",
        _I,
    ),
    # ---- rename
    _cue(
        "rename",
        "known_until",
        r"\b(?:was|were)\s+(?:known|called)\s+as\b(?=[^.;]{0,120}?"
        r"\buntil\b)",
        _I,
    ),
    _cue(
        "rename",
        "formerly",
        r"\b(?:formerly|previously|once|originally)\s+(?:known\s+as|"
        r"called|named)\b",
        _I,
    ),
    _cue(
        "rename",
        "new_name",
        r"\b(?:renamed|renames|renaming|rebranded|rebrands|rebranding|"
        r"changed\s+its\s+name\s+to|changes\s+its\s+name\s+to|now\s+calls\s+itself|"
        r"took\s+the\s+name|adopted\s+the\s+name)\b(?:\s+itself)?(?:\s+as)?",
        _I,
    ),
    _cue("rename", "adopted", r"\badopted\s+(?:its|their|a|the)\s+(?:new\s+)?name\b", _I),
    # ---- leader change
    _cue(
        "leader_change",
        "named",
        r"\b(?:nam(?:ed|es|ing)|appoint(?:ed|s|ing)?|cho(?:se|sen|"
        r"oses)|select(?:ed|s)|elect(?:ed|s)|pick(?:ed|s)|install(?:ed|s)|announc(?:ed|es))\b"
        rf"[^.;]{{0,80}}?\bas\s+(?:(?:its|the|their|his|her|a|the\s+group['’]s)\s+)?"
        rf"(?:{_LEADER_NOUN}|successor)\b",
        _I,
    ),
    _cue(
        "leader_change",
        "passive",
        r"\b(?:was|were|been|is|be)\s+(?:nam(?:ed)|appointed|"
        r"chosen|selected|elected|installed|sworn\s+in)\s+(?:as\s+)?(?:the\s+|its\s+)?"
        rf"{_LEADER_NOUN}\b",
        _I,
    ),
    _cue(
        "leader_change",
        "succeed",
        r"\bsucceed(?:ed|s|ing)?\s+(?=(?:the\s+late\s+|him\b|her\b"
        r"|[A-Z]))|\b(?:as|became|become|becomes|named)\s+(?:his|her|their|the)\s+successor"
        r"\b|\bsuccessor\s+(?:to|of)\s+(?=[A-Z])",
        _I,
    ),
    _cue(
        "leader_change",
        "took_over",
        r"\b(?:took|takes|taking|has\s+taken)\s+over\s+"
        rf"(?:as\s+(?:the\s+)?{_LEADER_NOUN}|the\s+leadership)\b|\btook\s+over\b(?=\s+(?:in|on|"
        r"after|from|when|following)\b|\s*[,.])",
        _I,
    ),
    _cue(
        "leader_change",
        "became",
        rf"\b(?:became|becomes|become)\s+(?:the\s+)?{_LEADER_NOUN}"
        r"\s+of\b|\bassum(?:ed|es)\s+(?:the\s+)?(?:leadership|command)\b|\b(?:was|were)\s+"
        r"killed\s+and\s+replaced\s+by\b",
        _I,
    ),
    # "Boko Haram leader Abubakar Shekau killed himself", "its leader X had been killed",
    # "the death of ISWAP leader Abu Musab al-Barnawi": the leadership falls vacant
    _cue(
        "leader_change",
        "killed",
        rf"\b{_LEADER_NOUN},?\s+(?:(?:(?-i:[A-Z])[\w'’.-]*|al-[\w'’-]+|bin|ibn)\s+){{1,5}},?\s*"
        r"(?:(?:was|has\s+been|"
        r"had\s+been)\s+(?:killed|assassinated|shot\s+dead)|(?:killed|blew\s+up)\s+himself|"
        r"died)\b|\bdeath\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?"
        rf"{_LEADER_NOUN}\s+(?-i:[A-Z])",
        _I,
    ),
    # ---- designation
    _cue(
        "designation",
        "verb",
        r"\b(?:re)?(?:designat(?:ed|es|ing|e)|list(?:ed|s|ing)|"
        r"blacklist(?:ed|s|ing)?|label(?:l?ed|s)|branded|declared|classif(?:ied|ies))\b"
        rf"(?=[^.;]{{0,90}}?\b{_TERROR})",
    ),
    _cue(
        "designation",
        "proscribed",
        r"\b(?:proscrib(?:ed|es|ing)|outlaw(?:ed|s)|banned)\b"
        r"(?=[^.;]{0,60}?\b(?:terror\w*|under\s+(?:anti-)?terror\w*))|\bproscribed\b",
        _I,
    ),
    _cue(
        "designation",
        "added",
        r"\badded\b(?=[^.;]{0,60}?\bto\s+(?:its|the|a)\s+"
        r"(?:\w+\s+){0,2}(?:terror\w*|blacklist|sanctions)\s*list)",
    ),
    # ---- alliance / rivalry / dissolution
    _cue(
        "alliance",
        "with",
        r"\b(?:formed|forged|announced|signed|sealed|struck)\s+(?:an?|the|a\s+"
        r"new)\s+(?:\w+\s+)?(?:alliance|pact|coalition)\s+with\b|\ballied\s+(?:itself\s+)?with"
        r"\b|\bjoined\s+forces\s+with\b(?![^.;]*\bto\s+form\b)",
        _I,
    ),
    _cue(
        "rivalry",
        "with",
        r"\b(?:declared\s+war\s+on|fell\s+out\s+with|turned\s+"
        r"(?:its\s+guns\s+)?(?:on|against)|broke\s+(?:off\s+)?(?:ties|relations)\s+with)\b",
        _I,
    ),
    _cue(
        "dissolved",
        "subj",
        r"\b(?:dissolved|disbanded)\s+itself\b|\bannounc(?:ed|es)\s+"
        r"(?:its|their)\s+(?:own\s+)?(?:dissolution|disbanding|disbandment)\b|\b(?:was|were|"
        r"been)\s+(?:formally\s+|officially\s+)?(?:dissolved|disbanded)\b|\bceased\s+to\s+exist"
        r"\b|\bannounc(?:ed|es)\s+(?:that\s+)?it\s+(?:was|had|is)\s+(?:disbanding|dissolving|"
        r"dissolved|disbanded)\b",
        _I,
    ),
)

_ANAPHOR = re.compile(
    r"^(?:(?:it|its|itself)|(?:the|this|that)\s+(?:[\w'’-]+\s+){0,2}(?:group|movement|"
    r"organi[sz]ation|militia|outfit|faction|network|insurgents|militants|jihadists|rebels|"
    r"alliance|coalition|front))$",
    re.IGNORECASE,
)
_AUX_TAIL = re.compile(
    r"(?:\s+(?:has|have|had|was|were|is|are|been|be|also|itself|themselves|then|later|"
    r"reportedly|formally|officially|publicly|now|first|already|recently|subsequently|finally|"
    r"jointly|in\s+turn|effectively))+\s*$",
    re.IGNORECASE,
)
_APPOSITIVE = re.compile(
    r",\s*(?:a|an|the|which|who|whose|including|led\s+by|based\s+in|once|formerly|also\s+known"
    r"\s+as|known\s+as|an?\s+\w+)\b[^,]*,",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class _Ref:
    """A group named in the text: canonical name, KB id and where the evidence lies."""

    name: str
    actor_id: str | None
    start: int
    end: int
    actor: Any = None


@dataclass(frozen=True, slots=True)
class _Draft:
    kind: str
    group: _Ref
    parent: str | None
    other: str | None
    span: tuple[int, int]
    date: DateMention | None
    background: bool


@dataclass(frozen=True, slots=True)
class _Ctx:
    text: str
    kb: Any
    mentions: tuple[_Ref, ...]
    dates: tuple[DateMention, ...]
    published: date | None
    earlier: list[_Draft] = field(default_factory=list)  # drafts of the sentences before


# --------------------------------------------------------------------------- public API


def find_org_developments(
    text: str,
    sentences: Sequence[tuple[int, int]],
    published: date | None,
    kb: ActorKB,
) -> list[OrgDevelopment]:
    """Organisational developments stated in ``text``, one record per development."""
    mentions = tuple(_group_mentions(text, kb))
    dates = tuple(find_dates(text, published)) if published is not None else ()
    drafts: list[_Draft] = []
    ctx = _Ctx(text, kb, mentions, dates, published, drafts)
    for s_start, s_end in sentences:
        s_start, s_end = max(0, s_start), min(len(text), s_end)
        if s_end <= s_start:
            continue
        drafts.extend(_sentence_drafts(ctx, s_start, s_end))
    merged = _merge(drafts)
    return [_to_record(ctx, d) for d in merged]


# --------------------------------------------------------------------------- sentence level


def _sentence_drafts(ctx: _Ctx, s_start: int, s_end: int) -> list[_Draft]:
    text = ctx.text
    sentence = text[s_start:s_end]
    out: list[_Draft] = []
    taken: list[tuple[str, int, int]] = []
    for cue in _CUES:
        for m in cue.pattern.finditer(sentence):
            c_start, c_end = s_start + m.start(), s_start + m.end()
            if any(k == cue.kind and c_start < e and c_end > s for k, s, e in taken):
                continue
            clause = _clause(text, s_start, s_end, c_start)
            if _blocked(text, s_start, clause, c_start, c_end, cue.kind):
                continue
            draft = _HANDLERS[cue.kind](ctx, cue.form, (s_start, s_end), clause, c_start, c_end)
            if draft is None:
                continue
            out.append(draft)
            taken.append((cue.kind, c_start, c_end))
    return out


def _clause(text: str, s_start: int, s_end: int, pos: int) -> tuple[int, int]:
    """The clause of the sentence that contains ``pos`` (split at ';', dashes, ', and')."""
    start, end = s_start, s_end
    for m in _CLAUSE_SEP.finditer(text, s_start, s_end):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def _blocked(
    text: str, s_start: int, clause: tuple[int, int], c_start: int, c_end: int, kind: str
) -> bool:
    """Hypotheticals, negations, denials and rumours are not developments."""
    left = text[max(clause[0], c_start - 45) : c_start]
    words = left.split()
    near = " ".join(words[-4:])
    if _HEDGE.search(near) or _NEGATION.search(" ".join(words[-3:])):
        return True
    if re.search(
        r"\b(?:rumou?rs?|reports?|speculation|claims?)\s+(?:of|about)\s+(?:an?\s+|the\s+)?"
        r"$",
        text[max(clause[0], c_start - 40) : c_start],
        re.IGNORECASE,
    ):
        return True
    if _DENIAL.search(text[s_start:c_start]):
        return True
    return bool(
        kind != "designation"
        and re.search(
            r"\b(?:if|whether|unless|would|could)\b", text[clause[0] : c_start], re.IGNORECASE
        )
    )


# --------------------------------------------------------------------------- entities


def _group_like_actor(actor: Any) -> bool:
    if actor is None or getattr(actor, "generic", False):
        return False
    kind = str(getattr(actor, "kind", "") or "").lower()
    if kind in _NON_GROUP_KINDS:
        return False
    inter = getattr(actor, "inter", None)
    return not (isinstance(inter, int) and inter in _STATE_INTER)


def _group_mentions(text: str, kb: Any) -> list[_Ref]:
    refs: list[_Ref] = []
    for m in kb.find_mentions(text):
        actor = m.actor
        if not _group_like_actor(actor) or m.end <= m.start:
            continue
        refs.append(_Ref(actor.name, actor.actor_id, m.start, m.end, actor))
    refs.sort(key=lambda r: (r.start, -r.end))
    return refs


def _clean_phrase(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading sentence words ('The', 'In') and trailing connectors from a phrase."""
    if re.search(_PARTICIPLE, text[start:end]):
        return start, start  # "Mali-based", "Iran-backed" describe, they do not name
    while start < end:
        m = re.match(r"[\w'’.-]+", text[start:end])
        if not m or m.group(0).lower() not in _NOT_NAME:
            break
        nxt = re.match(r"[\w'’.-]+\s*", text[start:end])
        start += nxt.end() if nxt else end - start
    while True:
        m = re.search(rf"\s+(?:{_CONNECT}|in|and)$", text[start:end])
        if not m:
            break
        end = start + m.start()
    return start, end


def _surface_phrases(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Capitalised proper-noun phrases in text[lo:hi], cleaned."""
    out = []
    for m in _PHRASE.finditer(text, lo, hi):
        s, e = _clean_phrase(text, m.start(), m.end())
        if e > s and text[s:e][:1].isalpha():
            if " and " in text[s:e] and not re.search(r"\s(?:of|for)\s", text[s:e]):
                e = s + text[s:e].index(" and ")
            out.append((s, e))
    return out


def _has_org_word(phrase: str) -> bool:
    words = re.split(r"[\s-]+", phrase.lower())
    return any(w.strip("'’") in _ORG_WORDS for w in words)


def _surface_ref(ctx: _Ctx, s: int, e: int) -> _Ref:
    """A surface name: resolved through the KB when it can be, kept verbatim otherwise."""
    surface = ctx.text[s:e]
    actor = _safe_resolve(ctx.kb, surface)
    if actor is not None and _group_like_actor(actor):
        return _Ref(actor.name, actor.actor_id, s, e, actor)
    return _Ref(surface, None, s, e, None)


def _safe_resolve(kb: Any, surface: str) -> Any:
    try:
        return kb.resolve(surface)
    except Exception:  # a lookup failure must not lose the article
        return None


def _entities(ctx: _Ctx, lo: int, hi: int, *, loose: bool) -> list[_Ref]:
    """Groups named in text[lo:hi]: KB mentions, then group-like capitalised phrases.

    ``loose`` also accepts any multi-word capitalised phrase (for slots such as the object of
    'formed', where a new group's name need carry no organisational word).
    """
    text = ctx.text
    found = [r for r in ctx.mentions if r.start >= lo and r.end <= hi]
    for s, e in _surface_phrases(text, lo, hi):
        phrase = text[s:e]
        overlapping = [r for r in found if r.start < e and r.end > s]
        if overlapping:
            longer = all(r.start >= s and r.end <= e for r in overlapping) and any(
                (r.end - r.start) < (e - s) for r in overlapping
            )
            if not (longer and _has_org_word(text[max(r.end for r in overlapping) : e])):
                continue
            found = [r for r in found if r not in overlapping]
            found.append(_surface_ref(ctx, s, e))
            continue
        trailing = bool(_TRAIL_GROUP_NOUN.match(text, e, hi))
        if trailing and " " not in phrase and _DEMONYM.search(phrase):
            trailing = False  # "the Algerian group" describes, it does not name
        group_like = _has_org_word(phrase) or trailing
        quoted = s > 0 and text[s - 1] in "\"“‘'"
        acronym = bool(re.fullmatch(r"[A-Z][A-Z-]{2,9}|(?:al|el|an|ash|ad)-[A-Z][\w'’-]+", phrase))
        if group_like or (loose and (len(phrase.split()) >= 2 or quoted or acronym)):
            found.append(_surface_ref(ctx, s, e))
    found.sort(key=lambda r: (r.start, -r.end))
    return found


def _antecedent(ctx: _Ctx, pos: int, exclude: set[str]) -> _Ref | None:
    """The most recent group named before ``pos``, skipping excluded names and ids."""
    for ref in reversed(ctx.mentions):
        if ref.end <= pos and not _excluded(ref, exclude):
            return ref
    return None


def _excluded(ref: _Ref, exclude: set[str]) -> bool:
    return bool({ref.name.lower(), (ref.actor_id or "").lower()} & exclude)


def _strip_appositives(region: str) -> str:
    """Blank out ', a militia in Derna,' style asides, keeping offsets."""
    return _APPOSITIVE.sub(lambda m: " " * len(m.group(0)), region)


def _subject(ctx: _Ctx, lo: int, cue: int, exclude: set[str]) -> _Ref | None:
    """The group the clause text[lo:cue] is about (the grammatical subject, roughly)."""
    text = ctx.text
    region = _strip_appositives(text[lo:cue])
    if region.rstrip().endswith(","):
        return _first_alias(ctx, lo, lo + len(region.rstrip()) - 1, exclude)
    cut = lo
    rel_start = lo
    relative = False
    for m in re.finditer(
        r"\b(?:that|when|after|because|as|saying)\b\s+|,\s*(?:who|which)\s+"
        r"|\b(?:said|says|announced|confirmed|stated|added|claimed|reported)\s+"
        r"(?=the\s|it\s|its\s|[A-Z])",
        region,
        re.IGNORECASE,
    ):
        cut = lo + m.end()
        relative = m.group(0).strip(", ").lower() in ("who", "which")
        rel_start = lo + m.start()
    if relative:
        ref = _nearest_left(ctx, lo, rel_start, exclude)
        if ref is not None:
            return ref
        cut = lo
    candidates = [r for r in _entities(ctx, cut, cue, loose=False) if not _excluded(r, exclude)]
    candidates = [
        r
        for r in candidates
        if not _possessive_of_person(text, r)
        and not re.search(
            r"\b(?:with|from|against|to|by|on|for)\s+(?:the\s+)?$",
            text[max(lo, r.start - 12) : r.start],
            re.IGNORECASE,
        )
    ]
    if candidates:
        return candidates[0]
    np = _AUX_TAIL.sub("", text[cut:cue]).strip(" ,")
    np = re.sub(
        r"^(?:(?:in|on|by|during|since)\s+[\w.]+(?:\s+\d{4})?,\s*)", "", np, flags=re.IGNORECASE
    )
    if not _ANAPHOR.match(np):
        np = re.sub(r"^[^,]{1,40},\s*", "", np)  # "Five days earlier, the group"
    if _ANAPHOR.match(np) or re.match(r"^(?:its|their)\s", np, re.IGNORECASE):
        # "Jamaat-ul-Ahrar, a TTP faction, said it had ...": the speaker, not its aside
        speaker = [
            r
            for r in _entities(ctx, lo, cut, loose=False)
            if not _excluded(r, exclude) and region[r.start - lo : r.end - lo].strip()
        ]
        if cut > lo and speaker:
            return speaker[0]
        return _antecedent(ctx, cut, exclude)
    return None


def _possessive_of_person(text: str, ref: _Ref) -> bool:
    """'al-Qaeda's deputy leader X announced' — the group is not the actor of the clause."""
    return bool(
        re.match(
            r"['’]s?\s+(?:\w+\s+)?(?:deputy|leader|spokesman|spokesperson|"
            r"chief|commander|emir|official)",
            text[ref.end : ref.end + 40],
        )
    )


def _first_alias(ctx: _Ctx, lo: int, pos: int, exclude: set[str]) -> _Ref | None:
    """The nearest group before ``pos``, or its first name in 'X, or Y,' (an alias list)."""
    refs = [r for r in _entities(ctx, lo, pos, loose=True) if not _excluded(r, exclude)]
    if not refs:
        return None
    best = refs[-1]
    for earlier in reversed(refs[:-1]):
        if not re.fullmatch(
            r"\s*,?\s*(?:or|also\s+known\s+as|aka)\s+(?:the\s+)?",
            ctx.text[earlier.end : best.start],
        ):
            break
        best = earlier
    return best


def _nearest_left(ctx: _Ctx, lo: int, pos: int, exclude: set[str]) -> _Ref | None:
    refs = [r for r in _entities(ctx, lo, pos, loose=True) if not _excluded(r, exclude)]
    return refs[-1] if refs else None


def _object(
    ctx: _Ctx, pos: int, hi: int, exclude: set[str], *, loose: bool, reach: int = 30
) -> _Ref | None:
    """The group named right after ``pos`` (within ``reach`` characters of it)."""
    refs = [r for r in _entities(ctx, pos, hi, loose=loose) if not _excluded(r, exclude)]
    for r in refs:
        gap = ctx.text[pos : r.start]
        if r.start - pos <= reach and not re.search(r"[;:]", gap):
            return r
    return None


def _leader_org(ctx: _Ctx, pos: int, hi: int) -> tuple[str, int] | None:
    """A leader's name right after ``pos`` mapped to his organisation (and where it ends)."""
    window = ctx.text[pos : min(hi, pos + 60)].lower()
    best: tuple[int, str, int] | None = None
    for name, org in LEADER_ORGS:
        i = window.find(name)
        if i < 0 or (i > 0 and window[i - 1].isalpha()):
            continue
        if best is None or i < best[0]:
            best = (i, org, pos + i + len(name))
    if best is None:
        return None
    return best[1], best[2]


def _org_name(ctx: _Ctx, name: str) -> str:
    actor = _safe_resolve(ctx.kb, name)
    return actor.name if actor is not None else name


def _kb_parent(ctx: _Ctx, ref: _Ref) -> str | None:
    if ref.actor is None:
        return None
    try:
        parent = ctx.kb.parent(ref.actor)
    except Exception:  # a broken parent link must not lose the record
        return None
    return parent.name if parent is not None else None


# --------------------------------------------------------------------------- dates


# ", a faction that broke away from the TTP in 2014,": an aside whose date is its own
_ASIDE = re.compile(r",\s+(?:(?:a|an|the)\s+[\w-]+\s+)?(?:that|which|who)\b[^,]*,", re.IGNORECASE)


def _date_in(ctx: _Ctx, clause: tuple[int, int], c_start: int, c_end: int) -> DateMention | None:
    """The date stated in the clause: nearest to the cue, anaphoric ones rebased, none future;
    a date inside an aside about something else ("a faction that broke away in 2014, has
    merged back") is not the development's."""
    asides = [
        m.span()
        for m in _ASIDE.finditer(ctx.text, clause[0], clause[1])
        if not (m.start() <= c_start and c_end <= m.end())
    ]
    inside = []
    for d in ctx.dates:
        if d.start < clause[0] or d.end > clause[1]:
            continue
        if any(a <= d.start and d.end <= b for a, b in asides):
            continue
        if d.anaphoric:
            anchors = [a for a in ctx.dates if a.end <= d.start and not a.anaphoric]
            if not anchors:
                continue  # "a week after" with nothing to count from
            d = rebase(d, anchors[-1].best)
        if ctx.published is None or d.earliest <= ctx.published:
            inside.append(d)
    if not inside:
        return None

    def distance(d: DateMention) -> int:
        return max(0, d.start - c_end, c_start - d.end)

    best = min(inside, key=distance)
    rank = {"day": 0, "week": 1, "month": 2, "year": 3}
    for d in inside:
        touching = abs(d.start - best.end) <= 2 or abs(best.start - d.end) <= 2
        if d is not best and touching and rank[d.precision] < rank[best.precision]:
            best = d
    return best


def _is_background(ctx: _Ctx, clause: tuple[int, int], c_start: int) -> bool:
    left = ctx.text[clause[0] : c_start]
    return bool(_BACKGROUND.search(left))


# --------------------------------------------------------------------------- kind handlers

_Handler = Callable[[_Ctx, str, tuple[int, int], tuple[int, int], int, int], "_Draft | None"]


def _draft(
    ctx: _Ctx,
    kind: str,
    group: _Ref | None,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    c_start: int,
    c_end: int,
    *,
    parent: str | None = None,
    other: str | None = None,
    extra: Sequence[int] = (),
) -> _Draft | None:
    if group is None or not group.name.strip():
        return None
    if parent is not None and parent.lower() == group.name.lower():
        return None
    points = [clause[0], clause[1], group.start, group.end, *extra]
    lo = max(sentence[0], min(points))
    hi = min(sentence[1], max(points))
    lo, hi = _trim(ctx.text, lo, hi)
    return _Draft(
        kind,
        group,
        parent,
        other,
        (lo, hi),
        _date_in(ctx, clause, c_start, c_end),
        _is_background(ctx, clause, c_start),
    )


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and (text[lo].isspace() or text[lo] in ",;"):
        lo += 1
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in ",;"):
        hi -= 1
    return lo, hi


def _pledge(
    ctx: _Ctx,
    form: str,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    c_start: int,
    c_end: int,
) -> _Draft | None:
    leader = _leader_org(ctx, c_end, clause[1])
    target = _object(ctx, c_end, clause[1], set(), loose=True, reach=12)
    if leader is not None and (target is None or leader[1] - c_end < 40):
        parent, p_end = _org_name(ctx, leader[0]), leader[1]
    elif target is not None:
        parent, p_end = target.name, target.end
    else:
        return None
    exclude = {parent.lower()}
    if target is not None and target.actor_id:
        exclude.add(target.actor_id.lower())
    # "pledged the group's loyalty" names the pledger inside the cue
    group = _subject(ctx, clause[0], c_start, exclude)
    if group is None and re.search(r"\bthe\s+group['’]s\b", ctx.text[c_start:c_end]):
        group = _antecedent(ctx, c_start, exclude)
    return _draft(
        ctx, "pledge", group, sentence, clause, c_start, c_end, parent=parent, extra=(p_end,)
    )


def _branch(
    ctx: _Ctx,
    form: str,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    c_start: int,
    c_end: int,
) -> _Draft | None:
    text = ctx.text
    cue_text = text[c_start:c_end]
    if form == "became":
        # "X became al-Qaeda's newest affiliate": X is the branch, the possessor the parent
        owner = _entities(ctx, c_start, c_end, loose=False)
        group = _subject(ctx, clause[0], c_start, set())
        if group is None or not owner:
            return None
        return _draft(
            ctx, "branch_announced", group, sentence, clause, c_start, c_end, parent=owner[-1].name
        )
    announcer = _subject(ctx, clause[0], c_start, set())
    if announcer is not None and announcer.end <= clause[0]:
        # "the group had declared a branch": the organisation announcing branches in this
        # story, not whichever group was named last ("... attacked Taliban fighters")
        announcer = _earlier_announcer(ctx, clause[0]) or announcer
    if announcer is None:
        return None
    parent = announcer.name
    leader = _leader_org(ctx, announcer.start, announcer.end + 1)
    if leader is not None:
        parent = _org_name(ctx, leader[0])
    given = _given_name(ctx, c_end, clause[1])
    named = re.search(
        r"(?:[\"“‘']?((?:[A-Z][\w'’-]*\s+){1,3}(?:Province|Wilaya[ht]?)))\b", cue_text
    ) or re.search(rf"({_WILAYAT})", cue_text)
    place = re.match(
        r"\s+(?:in|for|of|covering)\s+(?:the\s+)?((?:[A-Z][\w'’-]*\s*){1,3})",
        text[c_end : clause[1]],
    )
    names: list[str] = []
    if named:
        s, e = _trim(text, c_start + named.start(1), c_start + named.end(1))
        names.append(text[s:e])
    elif given is not None:
        s, e = given
        names.append(text[s:e])
    if place:
        p_s, p_e = _trim(text, c_end + place.start(1), c_end + place.end(1))
        if not names:
            s, e = p_s, p_e
        noun = re.search(
            r"(province|wilaya[ht]?|branch|affiliate|chapter|franchise)\s*$",
            cue_text,
            re.IGNORECASE,
        )
        word = (noun.group(1) if noun else "branch").lower()
        where = text[p_s:p_e]
        names.append(f"{where} Province" if word.startswith(("prov", "wila")) else where)
    if not names:
        return None
    group = _branch_ref(ctx, parent, names, s, e, place_only=not (named or given))
    return _draft(
        ctx,
        "branch_announced",
        group,
        sentence,
        clause,
        c_start,
        c_end,
        parent=parent,
        extra=(announcer.start,),
    )


def _earlier_announcer(ctx: _Ctx, pos: int) -> _Ref | None:
    """The announcer of the last branch coded before ``pos``, as named before ``pos``."""
    for draft in reversed(ctx.earlier):
        if draft.kind != "branch_announced" or draft.parent is None:
            continue
        wanted = draft.parent.lower()
        for ref in reversed(ctx.mentions):
            if ref.end <= pos and ref.name.lower() == wanted:
                return ref
    return None


_NAMING = re.compile(
    r"(?:\s+(?:in|for|of|covering)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s*){1,3})?\s*,?\s*"
    r"(?:(?:which|that)\s+(?:it|they|the\s+[a-z]+)\s+(?:has\s+|had\s+|have\s+)?"
    r"|(?:which\s+|that\s+)?(?:was|is|to\s+be)\s+)?"
    r"(?:named|called|dubbed|styled|termed|christened|known\s+as)\s+(?:it\s+)?(?:the\s+)?"
)


def _given_name(ctx: _Ctx, pos: int, hi: int) -> tuple[int, int] | None:
    """'a branch for India, which it named Wilayat al-Hind': where the new name is written."""
    text = ctx.text
    naming = _NAMING.match(text, pos, hi)
    if naming is None:
        return None
    at = naming.end()
    if at < hi and text[at] in "\"“‘'":
        close = re.search(r"[\"”’']", text[at + 1 : hi])
        if close is None or close.start() == 0:
            return None
        return at + 1, at + 1 + close.start()
    phrase = _PHRASE.match(text, at, hi)
    if phrase is None:
        return None
    s, e = _clean_phrase(text, phrase.start(), phrase.end())
    return (s, e) if e > s else None


def _wilayat_province(name: str) -> str | None:
    """'Wilayat al-Hind' -> 'Hind Province' (the English form the KB and readers use)."""
    m = re.fullmatch(
        r"Wilaya[ht]?\s+(?:(?:al|el|ash|ad|as|at|ar|an|az|ul)[-‑])?([A-Z][\w'’-]*)", name
    )
    return f"{m.group(1)} Province" if m else None


def _branch_ref(
    ctx: _Ctx, parent: str, names: Sequence[str], s: int, e: int, *, place_only: bool
) -> _Ref:
    """The branch as the KB knows it (by its given name, then by its place), else a new name."""
    bares = [re.sub(r"^[\"“‘']|[\"”’']$", "", n).strip() for n in names]
    forms: list[str] = []
    for bare in bares:
        province = _wilayat_province(bare)
        forms += [bare, f"{parent} {bare}", f"{parent}'s {bare}"]
        if province is not None:
            forms += [f"{parent} {province}", province]
        elif not re.search(r"(?i)province|wilaya", bare):
            forms += [f"{parent} in {bare}", f"{parent} in the {bare}"]
    for candidate in forms:
        actor = _safe_resolve(ctx.kb, candidate)
        if actor is not None and _group_like_actor(actor) and actor.name.lower() != parent.lower():
            return _Ref(actor.name, actor.actor_id, s, e, actor)
    first = bares[0]
    province = _wilayat_province(first)
    if province is not None:
        return _Ref(f"{parent} {province}", None, s, e, None)
    if first.lower().startswith(parent.lower()):
        return _Ref(first, None, s, e, None)
    if re.search(r"(?i)province|wilaya", first):
        return _Ref(f"{parent} {first}", None, s, e, None)
    if place_only:  # "a branch in Yemen"
        return _Ref(f"{parent} in {first}", None, s, e, None)
    return _Ref(first, None, s, e, None)


def _founded(
    ctx: _Ctx,
    form: str,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    c_start: int,
    c_end: int,
) -> _Draft | None:
    text = ctx.text
    after = text[c_end : clause[1]]
    if re.match(r"[^.;]{0,60}\bmerg(?:er|ing|ed)\b", after, re.IGNORECASE):
        return None  # the merger handler codes it
    if form == "obj":
        group = _object(ctx, c_end, clause[1], set(), loose=True, reach=4)
        if (
            group is not None
            and re.match(r"\s*(?:of|in)\b", text[group.end : clause[1]])
            and group.actor_id is None
            and not _has_org_word(group.name)
        ):
            return None  # "formed part of", "established in"
    elif form == "reduced":
        group = _nearest_left(ctx, clause[0], c_start, set())
        if group is not None and text[group.end : c_start].strip(" ,\"”’'()"):
            group = None if len(text[group.end : c_start].strip(" ,")) > 12 else group
    else:
        group = _subject(ctx, clause[0], c_start, set())
    if (
        group is not None
        and form != "obj"
        and group.actor_id is None
        and not _has_org_word(group.name)
        and form != "poss"
    ):
        return None
    return _draft(ctx, "founded", group, sentence, clause, c_start, c_end)


def _split(
    ctx: _Ctx,
    form: str,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    c_start: int,
    c_end: int,
) -> _Draft | None:
    text = ctx.text
    if form in ("rel", "appos_pre"):
        # the parent is named before the cue: "Boko Haram, from which ISWAP split", "X, an
        # al-Qaeda splinter group"
        if form == "rel":
            parent_ref = _nearest_left(ctx, clause[0], c_start, set())
            if parent_ref is None:
                return None
            inside = text.lower().index("which", c_start) + len("which")
            group = _object(ctx, inside, c_end, {parent_ref.name.lower()}, loose=True, reach=4)
        else:
            owner = _entities(ctx, max(clause[0], c_start - 40), c_start, loose=False)
            if not owner:
                return None
            parent_ref = owner[-1]
            head = text[clause[0] : parent_ref.start]
            head = re.sub(r",?\s*(?:an?|the)\s*$", "", head)
            group = _nearest_left(
                ctx, clause[0], clause[0] + len(head.rstrip(" ,")), {parent_ref.name.lower()}
            )
            if group is None:
                exclude = {parent_ref.name.lower()}
                group = _object(ctx, c_end, clause[1], exclude, loose=True, reach=6)
        return _draft(
            ctx,
            "split",
            group,
            sentence,
            clause,
            c_start,
            c_end,
            parent=parent_ref.name,
            extra=(parent_ref.start,),
        )
    parent_ref = _object(ctx, c_end, clause[1], set(), loose=True, reach=20)
    parent: str | None = parent_ref.name if parent_ref else None
    p_end = parent_ref.end if parent_ref else c_end
    anaphoric_parent = parent_ref is None and bool(
        re.match(
            r"\s+(?:the|its)\s+(?:group|movement|organi[sz]ation|group['’]s|parent|mother)",
            text[c_end : clause[1]],
        )
    )
    if anaphoric_parent:
        # "broke away from the group's central command": the group named before this clause
        subject = _subject(ctx, clause[0], c_start, set())
        before = subject.start if subject is not None else c_start
        ante = _antecedent(ctx, before, {subject.name.lower()} if subject else set())
        parent = ante.name if ante else None
    exclude = {parent.lower()} if parent else set()
    if parent_ref is not None and parent_ref.actor_id:
        exclude.add(parent_ref.actor_id.lower())
    if form == "appos":
        head = re.sub(r",?\s*(?:an?|the)\s+(?:\w+\s+)?$", "", text[clause[0] : c_start])
        group = _nearest_left(ctx, clause[0], clause[0] + len(head.rstrip(" ,")), exclude)
    else:
        group = _subject(ctx, clause[0], c_start, exclude)
        if group is not None and _person_subject(text, clause[0], c_start, group):
            return None
    if group is None or parent is None:
        return None
    return _draft(
        ctx, "split", group, sentence, clause, c_start, c_end, parent=parent, extra=(p_end,)
    )


def _person_subject(text: str, lo: int, cue: int, group: _Ref) -> bool:
    """'its military chief defected', 'commanders of X left': people, not a group, moved."""
    between = text[group.end : cue] if group.end <= cue else ""
    said = list(re.finditer(r"\b(?:said|says|announced|confirmed|that)\b", between))
    if said:
        between = between[said[-1].end() :]
    before = text[lo : group.start] if group.start >= lo else ""
    person = (
        r"\b(?:chief|commander|commanders|leader|leaders|members?|fighters|official|"
        r"officials|spokesman|deputy|emir|founder|co-founder|cleric|militants)\b"
    )
    return bool(
        re.search(person, between, re.IGNORECASE)
        or re.search(rf"{person}\s+(?:of|from)\s+(?:the\s+)?$", before, re.IGNORECASE)
    )


def _merger(
    ctx: _Ctx,
    form: str,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    c_start: int,
    c_end: int,
) -> _Draft | None:
    text = ctx.text
    after = (c_end, clause[1])
    if form == "via":
        result = _nearest_left(ctx, clause[0], c_start, set())
        if result is not None and len(text[result.end : c_start].strip(" ,")) > 12:
            result = None
        members = _members(ctx, c_end, clause[1])
        if result is None and members:
            result, members = members[0], members[1:]
        if result is not None and not members:  # "formed through a merger of four groups"
            return _draft(ctx, "merger", result, sentence, clause, c_start, c_end)
        return _merger_draft(ctx, result, members, sentence, clause, c_start, c_end)
    if form == "into":
        into = _object(ctx, c_end, clause[1], set(), loose=True, reach=8)
        source = _subject(ctx, clause[0], c_start, {into.name.lower()} if into else set())
        members = [source] if source is not None else []
        return _merger_draft(ctx, into, members, sentence, clause, c_start, c_end)
    if form in ("with", "plural"):
        formed = re.search(
            r"\bto\s+form\s+|\binto\s+(?:a\s+new\s+\w+\s*,?\s*)?|\bas\s+", text[c_start : clause[1]]
        )
        result = None
        if formed:
            result = _object(ctx, c_start + formed.end(), clause[1], set(), loose=True, reach=8)
        if form == "with":
            partner = _object(ctx, c_end, clause[1], set(), loose=True, reach=8)
            if partner is None:
                return None
            subject = _subject(ctx, clause[0], c_start, {partner.name.lower()})
            if subject is None:
                return None
            members = [subject, partner]
            members += [r for r in _members(ctx, partner.end, clause[1]) if r not in members]
        else:
            members = _members(ctx, clause[0], c_start)
            if len(members) < 2:
                return None
        if result is not None:
            members = [r for r in members if r.name != result.name]
            return _merger_draft(ctx, result, members, sentence, clause, c_start, c_end)
        return _merger_draft(ctx, members[0], members[1:], sentence, clause, c_start, c_end)
    # noun: "the merger of A and B (into C)"
    members = _members(ctx, *after)
    if len(members) < 2:
        return None
    into = re.search(r"\b(?:into|to\s+form|forming|creating)\s+", text[c_end : clause[1]])
    if into:
        result = _object(ctx, c_end + into.end(), clause[1], set(), loose=True, reach=8)
        if result is not None:
            members = [r for r in members if r.name != result.name]
            return _merger_draft(ctx, result, members, sentence, clause, c_start, c_end)
    return _merger_draft(ctx, members[0], members[1:], sentence, clause, c_start, c_end)


def _members(ctx: _Ctx, lo: int, hi: int) -> list[_Ref]:
    """Groups listed as 'A, B and C' in text[lo:hi] (stopping at 'into' / 'to form')."""
    stop = re.search(r"\b(?:into|to\s+form|forming|creating|in\s+\d{4})\b", ctx.text[lo:hi])
    if stop:
        hi = lo + stop.start()
    out: list[_Ref] = []
    for r in _entities(ctx, lo, hi, loose=True):
        if all(r.name != o.name for o in out):
            out.append(r)
    return out


def _merger_draft(
    ctx: _Ctx,
    result: _Ref | None,
    members: Sequence[_Ref],
    sentence: tuple[int, int],
    clause: tuple[int, int],
    c_start: int,
    c_end: int,
) -> _Draft | None:
    if result is None:
        return None
    others = [m.name for m in members if m.name.lower() != result.name.lower()]
    if not others:
        return None
    points = [m.start for m in members] + [m.end for m in members]
    return _draft(
        ctx,
        "merger",
        result,
        sentence,
        clause,
        c_start,
        c_end,
        other="; ".join(others),
        extra=points,
    )


def _rename(
    ctx: _Ctx,
    form: str,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    c_start: int,
    c_end: int,
) -> _Draft | None:
    text = ctx.text
    if form in ("known_until", "formerly"):
        if form == "formerly":
            new = _nearest_left(ctx, clause[0], c_start, set())
            if new is not None and len(text[new.end : c_start].strip(" ,(")) > 3:
                return None
        else:
            new = _subject(ctx, clause[0], c_start, set())
        old = _object(ctx, c_end, clause[1], set(), loose=True, reach=8)
        if new is None or old is None:
            return None
        if new.name.lower() == old.name.lower() and new.actor_id is None:
            return None
        return _draft(
            ctx,
            "rename",
            new,
            sentence,
            clause,
            c_start,
            c_end,
            other=_surface_name(text, old),
            extra=(old.end,),
        )
    if form == "adopted":
        group = _subject(ctx, clause[0], c_start, set())
        return _draft(ctx, "rename", group, sentence, clause, c_start, c_end)
    new = _object(ctx, c_end, clause[1], set(), loose=True, reach=10)
    old = _subject(ctx, clause[0], c_start, set())
    if new is None:
        return None
    other = _surface_name(text, old) if old is not None else None
    if other is not None and other.lower() == new.name.lower():
        other = None
    return _draft(
        ctx,
        "rename",
        new,
        sentence,
        clause,
        c_start,
        c_end,
        other=other,
        extra=(old.start,) if old is not None and old.start >= clause[0] else (),
    )


def _surface_name(text: str, ref: _Ref) -> str:
    """The name as written (an old name must not collapse into the KB's current name)."""
    written = text[ref.start : ref.end].strip()
    return written or ref.name


def _leader(
    ctx: _Ctx,
    form: str,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    c_start: int,
    c_end: int,
) -> _Draft | None:
    text = ctx.text
    if form == "succeed" and re.match(r"(?i)succeed\w*\s+in\b", text[c_start : c_end + 3]):
        return None
    if form == "took_over" and not re.search(
        r"(?i)\b(?:leader|led\s+by|predecessor|successor|emir|chief|head|leadership)\b",
        text[sentence[0] : sentence[1]],
    ):
        return None
    if form == "killed":
        return _leader_killed(ctx, sentence, clause, c_start, c_end)
    of = re.match(r"\s+(?:of|for)\s+", text[c_end : clause[1]])
    group: _Ref | None = None
    if of:
        group = _object(ctx, c_end + of.end(), clause[1], set(), loose=False, reach=10)
    if group is None:
        before = [r for r in _entities(ctx, sentence[0], c_start, loose=False)]
        if before:
            group = before[-1]
    if group is None:
        np = text[sentence[0] : c_start]
        if re.search(
            r"(?i)\b(?:its|the\s+group|the\s+movement|the\s+organi[sz]ation|it)\b", np
        ) or re.search(r"(?i)\b(?:its|the\s+group['’]s)\b", text[c_start:c_end]):
            group = _antecedent(ctx, c_start, set())
    if group is None:
        after = _entities(ctx, c_end, sentence[1], loose=False)
        group = after[0] if after else None
    return _draft(ctx, "leader_change", group, sentence, clause, c_start, c_end)


def _leader_killed(
    ctx: _Ctx, sentence: tuple[int, int], clause: tuple[int, int], c_start: int, c_end: int
) -> _Draft | None:
    """A leader's death is a change of his group's leadership; the group is the one that
    names him ("Boko Haram leader", "its leader"), never a group named later in the clause
    ("a tribal leader was killed by the TTP")."""
    text = ctx.text
    lead = re.search(
        r"(?i)\b(?:leader|emir|amir|chief|head|caliph|commander-in-chief)\b", text[c_start:c_end]
    )
    at = c_start + lead.start() if lead else c_start
    named = [r for r in _entities(ctx, sentence[0], at, loose=False) if at - r.end <= 12]
    group = named[-1] if named else None
    if group is None and re.search(
        r"(?i)\b(?:its|the\s+group['’]s)\s+(?:\w+\s+)?$", text[sentence[0] : at]
    ):
        group = _antecedent(ctx, at, set())
    return _draft(ctx, "leader_change", group, sentence, clause, c_start, c_end)


def _designation(
    ctx: _Ctx,
    form: str,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    c_start: int,
    c_end: int,
) -> _Draft | None:
    text = ctx.text
    cue_word = text[c_start:c_end].lower()
    if re.search(
        r"\b(?:lift|revok|rescind|remov|delist|revers|overturn)\w*\s+(?:\w+\s+){0,3}$",
        text[max(clause[0], c_start - 40) : c_start],
        re.IGNORECASE,
    ):
        return None
    term = re.search(rf"\b{_TERROR}", text[c_end : clause[1]])
    hi = c_end + term.start() if term else min(clause[1], c_end + 60)
    group = _object(ctx, c_end, hi, set(), loose=False, reach=40)
    passive = re.search(
        r"\b(?:was|were|been|is|are|being)\s+(?:\w+ly\s+)?$", text[clause[0] : c_start]
    )
    if group is None or (passive and group.start > c_end):
        group = _subject(ctx, clause[0], c_start, set())
    if group is None and cue_word == "proscribed":
        group = _object(ctx, c_end, clause[1], set(), loose=False, reach=30)
    if (
        cue_word in ("declared", "branded", "labelled", "labeled", "labels", "listed")
        and term is None
    ):
        return None
    draft = _draft(ctx, "designation", group, sentence, clause, c_start, c_end)
    if draft is not None and draft.background and draft.date is None:
        return None  # "X, which has been designated ...": a standing status, not news
    return draft


def _counterpart_handler(kind: str, *, loose: bool) -> Any:
    """Alliances and rivalries read the same way: a group, a cue, and the other group."""

    def handler(
        ctx: _Ctx,
        form: str,
        sentence: tuple[int, int],
        clause: tuple[int, int],
        c_start: int,
        c_end: int,
    ) -> _Draft | None:
        partner = _object(ctx, c_end, clause[1], set(), loose=loose, reach=10)
        if partner is None:
            return None
        group = _subject(ctx, clause[0], c_start, {partner.name.lower()})
        return _draft(
            ctx,
            kind,
            group,
            sentence,
            clause,
            c_start,
            c_end,
            other=partner.name,
            extra=(partner.end,),
        )

    return handler


_alliance = _counterpart_handler("alliance", loose=True)
_rivalry = _counterpart_handler("rivalry", loose=False)


def _dissolved(
    ctx: _Ctx,
    form: str,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    c_start: int,
    c_end: int,
) -> _Draft | None:
    group = _subject(ctx, clause[0], c_start, set())
    if group is not None and group.actor_id is None and not _has_org_word(group.name):
        return None
    return _draft(ctx, "dissolved", group, sentence, clause, c_start, c_end)


_HANDLERS: dict[str, _Handler] = {
    "pledge": _pledge,
    "branch_announced": _branch,
    "founded": _founded,
    "split": _split,
    "merger": _merger,
    "rename": _rename,
    "leader_change": _leader,
    "designation": _designation,
    "alliance": _alliance,
    "rivalry": _rivalry,
    "dissolved": _dissolved,
}


# --------------------------------------------------------------------------- merging


def _key_names(d: _Draft) -> set[str]:
    names = {_norm(d.group.name)}
    if d.kind in ("merger", "alliance", "rivalry") and d.other:
        names |= {_norm(n) for n in d.other.split(";")}
    return names


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower().removeprefix("the "))


def _same(a: _Draft, b: _Draft) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind in ("merger", "alliance", "rivalry"):
        if not (_key_names(a) & _key_names(b)):
            return False
    elif (a.group.actor_id or _norm(a.group.name)) != (b.group.actor_id or _norm(b.group.name)):
        return False
    if (
        a.kind in ("pledge", "split")
        and a.parent
        and b.parent
        and _norm(a.parent) != _norm(b.parent)
    ):
        return False
    if a.date is not None and b.date is not None:
        return a.date.earliest <= b.date.latest and b.date.earliest <= a.date.latest
    return True


def _merge(drafts: Sequence[_Draft]) -> list[tuple[_Draft, list[tuple[int, int]]]]:
    """One record per development: repeated mentions add evidence and fill in the date."""
    groups: list[tuple[_Draft, list[tuple[int, int]]]] = []
    for d in drafts:
        for i, (kept, spans) in enumerate(groups):
            if _same(kept, d):
                better = kept
                if kept.date is None and d.date is not None:
                    better = replace(kept, date=d.date, background=d.background)
                if better.parent is None and d.parent is not None:
                    better = replace(better, parent=d.parent)
                if better.other is None and d.other is not None:
                    better = replace(better, other=d.other)
                if d.span not in spans:
                    spans = [*spans, d.span]
                groups[i] = (better, spans)
                break
        else:
            groups.append((d, [d.span]))
    groups.sort(key=lambda g: min(s for s, _ in g[1]))
    return groups


def _to_record(ctx: _Ctx, item: tuple[_Draft, list[tuple[int, int]]]) -> OrgDevelopment:
    d, spans = item
    parent = d.parent if d.parent is not None else _kb_parent(ctx, d.group)
    evidence = [
        EvidenceSpan(field=FIELD, start=s, end=e, text=ctx.text[s:e]) for s, e in sorted(spans)
    ]
    when: date | None = None
    earliest: date | None = None
    latest: date | None = None
    precision: str | None = None
    if d.date is not None:
        when, earliest, latest, precision = (
            d.date.best,
            d.date.earliest,
            d.date.latest,
            d.date.precision,
        )
    elif ctx.published is not None and not d.background:
        when = earliest = latest = ctx.published
        precision = "day"
    elif d.background:
        precision = "unknown"
    return OrgDevelopment(
        kind=d.kind,
        group=d.group.name,
        group_id=d.group.actor_id,
        parent=parent,
        other=d.other,
        date=when,
        date_earliest=earliest,
        date_latest=latest,
        date_precision=precision,
        evidence=evidence,
    )
