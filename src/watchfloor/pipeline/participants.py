"""Who did it and to whom: perpetrator candidates, targets, and statements of responsibility.

Works on one sentence at a time with the actor mentions the knowledge base found in it. A claim
by a group is kept apart from an official's attribution, a suspicion and a denial: the event
assembler decides the perpetrator's status from all of them together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from watchfloor.resolve.actors import ActorMention, KBActor

FLAGS = re.IGNORECASE

CLAIM = re.compile(
    r"\bclaim(?:ed|s|ing)? (?:responsibility|credit)\b|\bclaim(?:ed|s)? (?:the|that|this|both|"
    r"its|an?|last \w+'s|\w+day's) (?:\w+ ){0,3}(?:attack|attacks|bombing|bombings|killing|"
    r"killings|blast|assault|strike|abduction|kidnapping|operation)s?\b"
    r"|\bclaimed (?:to have|it had|that its)\b"
    r"|\bclaimed in (?:a|an) (?:statement|video|message|post)\b"
    r"|\bsaid (?:(?:on|in|via|through) (?:\w+ ){1,4})?(?:that )?(?:it|its (?:fighters|militants|"
    r"members|men|soldiers|mujahideen)) (?:had )?(?:carried out|was behind|killed|attacked|"
    r"targeted|struck|detonated|ambushed|hit|shot|planted|fired|downed)\b"
    r"|\bsaid it (?:had )?(?:carried out|was behind|killed|attacked|targeted|struck|detonated)\b"
    r"|\bsaid (?:that )?(?:it|its \w+) (?:had )?launched (?:a|an|the) (?:\w+ )?"
    r"(?:attack|assault|raid|strike|bombing|ambush)\b"
    r"|\b(?:a|another|second|third|separate|the) (?:\w+ )?claim said\b"
    r"|\bsaid (?:(?:on|in|via|through) (?:\w+ ){1,5})?that (?:one of |two of )?its "
    r"(?:\S+ ){1,3}?(?:had |have )?"
    r"(?:carried out|conducted|launched|executed)\b"
    r"|\bsaying (?:that )?the (?:attack|bombing|operation|assault|killing)s? (?:was|were) "
    r"(?:the work of|carried out by) its\b"
    r"|\b(?:took|takes?|taking|accepted|accepts?) (?:responsibility|credit)\b"
    r"|\bclaimed by\b|\bclaimed\b(?= it)",
    FLAGS,
)
NEGATED_CLAIM = re.compile(
    r"\b(?:no (?:group|one|organi[sz]ation|faction)|nobody|none of|not (?:yet )?(?:been )?"
    r"claimed|has not|have not|hasn't|haven't|did not|didn't|yet to)\b",
    FLAGS,
)
DENIAL = re.compile(
    r"\bden(?:ied|ies|ying) (?:any )?(?:involvement|responsibility|(?:that )?(?:it|they) "
    r"(?:was|were|had)|carrying out|a role|any role|the|that|being)\b"
    r"|\bden(?:ied|ies|ying) (?:that )?(?:his|its|her|their) (?:\w+ )?(?:was|were|had)\b"
    r"|\brejected (?:the )?(?:claims?|accusations?|allegations?)\b"
    r"|\bdistanced (?:itself|themselves)\b",
    FLAGS,
)
ATTRIBUTION = re.compile(
    r"\bblam(?:ed|es|ing)\b|\baccus(?:ed|es|ing)\b|\battribut(?:ed|es)\b"
    r"|\bheld (?:\w+ )?responsible\b|\bsaid (?:\w+ ){0,4}(?:was|were) behind\b"
    r"|\bsaid (?:\w+ ){0,3}(?:carried out|was responsible|were responsible)\b"
    r"|\b(?:were|was|is|are) responsible\b"
    r"|\bsaid (?:\w+ ){0,4}(?:was|were) (?:members? of|fighters (?:of|from)|loyal to|from)\b"
    r"|\b(?:was|were) behind\b",
    FLAGS,
)
RELATIVE_ASIDE_BEFORE = re.compile(r",\s*(?:which|who)\b[^,]*,\s*$", FLAGS)
BLAME_BEFORE_VERB = re.compile(r"(?:was|were|is|are) (?:behind|responsible)", FLAGS)
SUSPICION = re.compile(
    r"\bsuspect(?:ed|s)?\b|\bbelieved (?:to (?:be|have)|that)\b|\bbelieve(?:d)? (?:the|that)\b"
    r"|\blikely\b|\bprobably\b|\bthought to\b|\blinked to\b|\bthe hallmarks of\b|\bbearing the "
    r"hallmarks\b|\bpresumed\b|\ballegedly\b",
    FLAGS,
)
# "JNIM, which has said it carried out similar raids": a track record, not a claim of this attack
TRACK_RECORD_AFTER = re.compile(
    r"\s*(?:[\w-]+\s+){0,3}?(?:similar|previous|past|earlier|such|frequent|repeated|"
    r"a (?:string|series|spate|wave) of|(?:some|many|most) of the (?:worst|deadliest|bloodiest|"
    r"biggest|largest|most))\b",
    FLAGS,
)
# "Suspected jihadists killed ... VDP": the suspicion is of unnamed men, not of a group named later
GENERIC_SUSPECTS_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:jihadists?|militants?|gunmen|gunman|insurgents?|attackers?|assailants?|"
    r"rebels?|fighters?|bandits?|extremists?|terrorists?|islamists?|herders?|kidnappers?|"
    r"bombers?|raiders)\b",
    FLAGS,
)
CHANNEL = re.compile(
    r"\b(Amaq|Telegram|Twitter|X account|Facebook|WhatsApp|website|video|audio|statement|"
    r"message to (?:journalists|reporters)|phone call|social media|al-Naba|Nashir|Shahada|"
    r"al-Kataib|Umar Media|Andalus|radio|leaflet|communiqu[eé])\b",
    FLAGS,
)

# Targets: (pattern, category, civilian?) - checked in order, first match per span wins.
TARGET_LEXICON: tuple[tuple[re.Pattern[str], str, bool], ...] = tuple(
    (re.compile(p, FLAGS), cat, civ)
    for p, cat, civ in (
        (
            r"\bpolice(?:man|men|woman|women| officers?| constables?| stations?| posts?| "
            r"checkpoints?| vans?| patrols?| chief| commander)?\b|\bconstables?\b|\bcops?\b"
            r"|\blevies\b|\bgendarmes?\b|\bgendarmerie\b",
            "police",
            False,
        ),
        (
            r"\bsoldiers?\b|\btroops\b|\barmy\b|\bmilitary\b|\bsecurity forces\b|\bsecurity "
            r"personnel\b|\bparamilitar(?:y|ies)\b|\bFrontier Corps\b|\bconvoy\b|\bpatrol\b"
            r"|\bcheckpoints?\b|\b(?:military|army) (?:base|post|camp|vehicle)s?\b"
            r"|\bpeacekeepers?\b"
            r"|\bforces\b|\bguards?\b|\bmilitiamen\b|\bservicem[ae]n\b",
            "military",
            False,
        ),
        (
            r"\b(?:Taliban|rival|opposing|rebel|jihadist|insurgent|militant)s? (?:fighters|"
            r"commanders?|positions?|members)\b|\bmilitants\b|\binsurgents\b|\bfighters\b"
            r"|\bcommanders?\b|\bjihadists\b|\brebels\b",
            "rival_militants",
            False,
        ),
        (r"\bjournalists?\b|\breporters?\b|\bcameram[ae]n\b", "journalists", True),
        (
            r"\bvaccinators?\b|\bhealth workers?\b|\baid workers?\b|\bdoctors?\b|\bnurses?\b"
            r"|\bpolio (?:team|workers?)\b|\bhospital\b|\bclinic\b|\bmedics?\b",
            "health_aid",
            True,
        ),
        (
            r"\bmosques?\b|\bchurch(?:es)?\b|\bshrines?\b|\btemples?\b|\bworshippers\b|\bclerics?\b"
            r"|\bimams?\b|\bpriests?\b|\bpilgrims\b|\bprocession\b|\bcongregation\b",
            "religious",
            True,
        ),
        (
            r"\bofficials?\b|\bgovernor\b|\bmayor\b|\bjudges?\b|\blawmakers?\b|\bministers?\b"
            r"|\bpoliticians?\b|\bcandidates?\b|\b(?:district )?commissioner\b|\bMPs?\b"
            r"|\bgovernment (?:building|office|palace|compound)s?\b|\bpolling stations?\b",
            "government",
            True,
        ),
        (
            r"\bschools?\b|\bstudents?\b|\bteachers?\b|\buniversit(?:y|ies)\b|\bpupils\b",
            "education",
            True,
        ),
        (
            r"\bpipelines?\b|\bpower (?:lines?|pylons?|station|plant)\b|\btowers?\b|\bbridges?\b"
            r"|\brailway\b|\btrains?\b|\bgas (?:pipeline|field)\b|\bwells\b|\bvessels?\b|\bships?\b"
            r"|\btankers?\b|\bcarriers?\b|\btrawlers?\b",
            "infrastructure",
            False,
        ),
        (
            r"\bcivilians?\b|\bvillagers\b|\bresidents\b|\bshoppers\b|\bpassengers\b|\bchildren\b"
            r"|\bwomen\b|\bfarmers\b|\bfishermen\b|\bcommuters\b|\bminers\b|\bworkers\b|\btraders\b"
            r"|\bfamil(?:y|ies)\b|\bmarket\b|\bpeople\b|\bpassers-by\b|\bguests\b|\bhotel\b"
            r"|\bwedding\b|\bfuneral\b|\bbus\b|\bcommunity leaders?\b|\bactivists?\b|\bhostages\b"
            r"|\bmen\b|\btourists\b|\bforeigners\b|\bengineers\b|\bmigrants\b|\brefugees\b",
            "civilians",
            True,
        ),
    )
)


@dataclass(frozen=True, slots=True)
class TargetMention:
    start: int
    end: int
    text: str
    category: str
    civilian: bool


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence's statement about who is responsible for an incident."""

    stance: str  # claimed | denied | attributed_by_officials | suspected
    actor: KBActor | None
    surface: str | None
    channel: str | None
    start: int  # span of the sentence clause that states it (article offsets)
    end: int


def find_targets(sentence: str, offset: int = 0) -> list[TargetMention]:
    """Target nouns in a sentence, non-overlapping, in text order."""
    taken: list[tuple[int, int]] = []
    found: list[TargetMention] = []
    for pattern, category, civilian in TARGET_LEXICON:
        for match in pattern.finditer(sentence):
            s, e = match.span()
            if any(s < te and e > ts for ts, te in taken):
                continue
            taken.append((s, e))
            found.append(TargetMention(offset + s, offset + e, match.group(0), category, civilian))
    return sorted(found, key=lambda t: t.start)


GROUP_ANAPHOR = re.compile(
    r"\b(?:the (?:group|militant group|militants|organi[sz]ation|movement|jihadists|insurgents|"
    r"rebels)|it|its (?:fighters|militants|members|spokesman|media (?:arm|wing)|news agency))\b",
    FLAGS,
)


# "An al-Shabaab spokesman said the group had carried out the attack": the group's own voice
OWN_VOICE_CLAIM = re.compile(
    r"(?:'s|’s)?\s+(?:\w+\s+){0,2}(?:spokes(?:man|woman|person)|commander|leader|statement|"
    r"official)\s+(?:\w+\s+){0,3}(?:said|says|told \w+)\s+(?:(?:in|on|via) (?:\w+ ){1,4})?"
    r"(?:that\s+)?(?:it|they|the group|its \w+|the group['’]s \w+)\s+"
    r"(?:had\s+|have\s+|has\s+)?(?:carried out|was behind|were behind|killed|attacked|"
    r"targeted|launched|struck|detonated|ambushed|planted|fired|conducted)\b",
    FLAGS,
)
# "a little-known faction calling itself the Somali Islamic Resistance": a group the knowledge
# base does not know, named by the text itself
SELF_NAMED_GROUP = re.compile(
    r"\b(?:faction|group|outfit|organi[sz]ation|movement|militia|cell)\s+(?:calling itself|"
    r"that calls itself|called|named|known as)\s+(?:the\s+)?[\"“']?"
    r"(?P<name>(?-i:[A-Z])[\w'-]*(?:\s+(?:of\s+|al-)?(?-i:[A-Z])[\w'-]*){0,6})",
    FLAGS,
)
GENERIC_CHANNELS = {"statement", "video", "audio", "website", "leaflet", "social media", "radio"}


def _channel(sentence: str) -> str | None:
    """How a claim was made; a named outlet ("Amaq", "Telegram") beats "a statement"."""
    found = [m.group(1) for m in CHANNEL.finditer(sentence)]
    specific = [c for c in found if c.lower() not in GENERIC_CHANNELS]
    return (specific or found or [None])[0]


def _speaker_before(named: Sequence[ActorMention], blamed: ActorMention) -> ActorMention | None:
    """The named actor closest before the blamed one in the sentence: who speaks."""
    before = [
        m for m in named if m.end <= blamed.start and m.actor.actor_id != blamed.actor.actor_id
    ]
    return before[-1] if before else None


def find_statements(
    sentence: str,
    offset: int,
    mentions: Sequence[ActorMention],
    antecedent: ActorMention | None = None,
) -> list[Statement]:
    """Claims, denials, attributions and suspicions stated in one sentence.

    ``antecedent`` is the group named last before this sentence: "the group said it..." and
    "its fighters..." claim for it when the sentence names no group of its own."""
    named = [m for m in mentions if not m.actor.generic]
    channel = _channel(sentence)
    statements: list[Statement] = []

    def nearest(position: int, before_only: bool = False) -> ActorMention | None:
        best: ActorMention | None = None
        best_distance = 10**9
        for m in named:
            local = m.start - offset
            if before_only and local > position:
                continue
            distance = abs(local - position)
            if distance < best_distance:
                best, best_distance = m, distance
        return best

    end = offset + len(sentence)
    for m in named:
        if m.actor.inter not in (1, 8) and OWN_VOICE_CLAIM.match(sentence, m.end - offset):
            statements.append(Statement("claimed", m.actor, m.text, channel, offset, end))
            break
    for match in [] if statements else CLAIM.finditer(sentence):
        prefix = sentence[max(0, match.start() - 40) : match.start()]
        if NEGATED_CLAIM.search(prefix) or NEGATED_CLAIM.search(match.group(0)):
            continue
        if TRACK_RECORD_AFTER.match(sentence, match.end()):
            continue
        if match.group(0).lower() == "claimed by":
            after = [m for m in named if m.start - offset >= match.end()]
            actor = after[0] if after else None
        else:
            actor = nearest(match.start(), before_only=True)
            after = nearest(match.start())
            # "the group said it had killed dozens of Mozambican soldiers": the state forces
            # named after the claim are its victims, never its author
            if actor is None and after is not None and after.actor.inter != 1:
                actor = after
        self_named = SELF_NAMED_GROUP.search(sentence, 0, match.start())
        if actor is None and self_named is not None:
            name = self_named.group("name")
            statements.append(Statement("claimed", None, name, channel, offset, end))
            break
        # "The army said it had ...": a generic speaker is not the group named earlier
        generic_speaker = any(
            m.actor.generic and m.start - offset < match.start() for m in mentions
        )
        if (
            actor is None
            and not generic_speaker
            and antecedent is not None
            and (GROUP_ANAPHOR.search(sentence[: match.end()]) or "claim said" in match.group(0))
        ):
            actor = antecedent
        if actor is not None:
            statements.append(Statement("claimed", actor.actor, actor.text, channel, offset, end))
            break
    for match in DENIAL.finditer(sentence):
        actor = nearest(match.start(), before_only=True) or nearest(match.start())
        if actor is not None:
            statements.append(Statement("denied", actor.actor, actor.text, channel, offset, end))
            break
    if not any(s.stance == "claimed" for s in statements):
        blamed: list[ActorMention] = []
        for match in ATTRIBUTION.finditer(sentence):
            if TRACK_RECORD_AFTER.match(sentence, match.end()):
                continue
            # "(said) IS fighters were behind the killings": the blamed group comes first
            copula = BLAME_BEFORE_VERB.search(match.group(0))
            if copula is not None:
                verb_at = match.start() + copula.start()
                if SUSPICION.search(sentence, 0, verb_at):
                    continue  # "said it believed the faction was behind": a suspicion
                inside = [m for m in named if match.start() <= m.start - offset < verb_at]
                # "the Ajang-Ajang faction of Abu Sayyaf, which has pledged allegiance to
                # Islamic State, was behind": the subject stands before the relative clause
                aside = RELATIVE_ASIDE_BEFORE.search(sentence, 0, match.start())
                actor = (
                    inside[-1]
                    if inside
                    else nearest(aside.start() if aside else match.start(), before_only=True)
                )
            else:
                actor = nearest(match.end())
            if actor is None or any(b.actor.actor_id == actor.actor.actor_id for b in blamed):
                continue
            blamed.append(actor)
            # a rival armed group's accusation is an opinion, not an official attribution
            speaker = _speaker_before(named, actor)
            rival = speaker is not None and speaker.actor.inter in (2, 3)
            stance = "suspected" if rival else "attributed_by_officials"
            statements.append(Statement(stance, actor.actor, actor.text, None, offset, end))
            if len(blamed) == 2:
                break  # "JNIM said IS was behind it, while an IS outlet accused JNIM"
    if not statements:
        for match in SUSPICION.finditer(sentence):
            unnamed = GENERIC_SUSPECTS_AFTER.match(sentence, match.end())
            if unnamed is not None and not any(
                match.end() <= m.start - offset < unnamed.end() for m in named
            ):
                continue
            actor = nearest(match.end())
            if actor is not None and abs(actor.start - offset - match.start()) < 80:
                statements.append(
                    Statement("suspected", actor.actor, actor.text, None, offset, end)
                )
                break
    return statements
