"""Event assembly: group trigger sentences into incidents and code each one.

One incident per reported attack: a sentence that adds detail to the incident just told (no new
date, no new town, no "separately"/"a second") is folded into it; "the attack"/"that bombing"
refers back rather than starting a new one. Each incident is then coded from its own sentences:
type and sub-type, date, place, perpetrator and status, targets, tolls, claims and evidence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from watchfloor.model import (
    Actor,
    CasualtyReport,
    Claim,
    Event,
    EvidenceSpan,
    Place,
    Target,
)
from watchfloor.pipeline.casualties import CasualtyMention
from watchfloor.pipeline.dates import DateMention, rebase
from watchfloor.pipeline.participants import (
    Statement,
    TargetMention,
    find_statements,
    find_targets,
)
from watchfloor.pipeline.places import EventPlace
from watchfloor.pipeline.segment import Sentence
from watchfloor.pipeline.triggers import (
    RULES,
    TriggerMatch,
    find_triggers,
    is_hypothetical,
    non_event_reason,
)
from watchfloor.resolve.actors import ActorKB, ActorMention, KBActor

FLAGS = re.IGNORECASE
NEW_INCIDENT_CUE = re.compile(
    r"\b(?:separate(?:ly)?|another|second|third|fourth|elsewhere|meanwhile|earlier|later|"
    r"previous(?:ly)?|also on|in a similar|a day after|days? (?:before|after)|in other|"
    r"minutes later|hours later)\b",
    FLAGS,
)
INTERVENTION = re.compile(
    r"\btear ?gas\b|\bwater cannons?\b|\bbatons?\b|\bdispers(?:ed|e)\b|\bbaton[- ]charged?\b"
    r"|\bclear(?:ed)? (?:\w+ )?(?:protesters|demonstrators|the sit-in|the crowd)\b"
    r"|\brubber bullets\b|\barrested (?:\w+ ){0,3}(?:protesters|demonstrators)\b",
    FLAGS,
)
EXCESSIVE_FORCE = re.compile(
    r"\b(?:fired|opened fire|shot) (?:live (?:rounds|ammunition) )?(?:on|at|into) (?:the )?"
    r"(?:protesters|demonstrators|crowds?|marchers)\b|\blive (?:ammunition|rounds|fire)\b"
    r"|\bkill(?:ed|ing) (?:\w+ ){0,3}(?:protesters|demonstrators)\b",
    FLAGS,
)
CROWD = re.compile(
    r"\b(?:protesters|demonstrators|rioters|protest(?:s|ing)?|demonstrations?|rally|rallies|"
    r"marchers|mobs?)\b",
    FLAGS,
)
ROWDY = re.compile(
    r"\b(?:threw|hurled|pelted|throwing|hurling) (?:\w+ ){0,2}(?:stones|rocks|bricks|petrol bombs|"
    r"molotov cocktails|firebombs)\b|\bclashed with (?:the )?(?:riot )?(?:police|security forces)\b"
    r"|\btorched\b|\bset(?:ting)? (?:fire to|ablaze|\w+ (?:\w+ )?(?:alight|ablaze|on fire))\b"
    r"|\bvandali[sz](?:ed|ing)\b|\bpetrol bombs\b|\bstone[- ]?pelting\b"
    # ACLED counts road blocks of burning tyres or barricades as destructive, so violent
    r"|\bburn(?:ed|t|ing) (?:\w+ )?(?:tyres|tires)\b"
    r"|\b(?:erected|set up|built|burning) barricades\b"
    r"|\bsmashed\b|\bransacked\b|\bwent on the rampage\b|\brioting\b|\brioters\b",
    FLAGS,
)
MOB = re.compile(r"\bmob\b|\blynch", FLAGS)
BY_AGENT = re.compile(r"\bby\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+){0,3}$", FLAGS)
WEAPONS = re.compile(
    r"\b(suicide (?:vest|belt)s?|car bombs?|truck bombs?|roadside bombs?|magnetic bombs?|IEDs?|"
    r"improvised explosive devices?|landmines?|grenades?|mortars?|rockets?|missiles?|drones?|"
    r"artillery|AK-47s?|Kalashnikovs?|rifles?|pistols?|guns?|knives|knife|machetes?|"
    r"explosives?)\b",
    FLAGS,
)
SECURITY_OPERATIONS = {"arrests", "disrupted"}
VIOLENT_FAMILIES = {
    "bombing",
    "airstrike",
    "shelling",
    "grenade",
    "attack",
    "clash",
    "abduction",
    "territory_gov",
    "territory_nsa",
}
COMPATIBLE_FAMILIES = (VIOLENT_FAMILIES, SECURITY_OPERATIONS, {"protest", "riot"})
GTD_ATTACK_TYPE = {
    "bombing": "Bombing/Explosion",
    "airstrike": "Bombing/Explosion",
    "shelling": "Bombing/Explosion",
    "grenade": "Bombing/Explosion",
    "attack": "Armed Assault",
    "clash": "Armed Assault",
    "abduction": "Hostage Taking (Kidnapping)",
}
ASSASSINATION = re.compile(r"\bassassinat", FLAGS)

# Between a subject and the trigger: the subject belongs to another clause
CLAUSE_BREAK = re.compile(
    r"[;:]|\b(?:after|before|when|while|as|since|because|following|amid|hours after|days after|"
    r"with the|talks with|allegiance to)\b",
    FLAGS,
)
AFFILIATION_AFTER = re.compile(
    r"-(?:linked|affiliated|allied|aligned|backed|inspired|loyal|led|controlled|held)\b", FLAGS
)
# a name followed by an attack verb in the active voice is that clause's doer
ACTIVE_ATTACK_AFTER = re.compile(
    r"\s+(?:(?:fighters|militants|rebels|gunmen|insurgents|members|jihadists|attackers)\s+)?"
    r"(?:had\s+|have\s+)?(?:stormed|attacked|raided|ambushed|opened fire|shot|killed|"
    r"massacred|overran|struck|abducted|kidnapped|torched|bombed)\b",
    FLAGS,
)
SPEAKER_VERB = re.compile(
    r"\b(?:said|says|say|told|confirmed|announced|reported|stated|added|denied|claimed)\b",
    FLAGS,
)
# "five fighters killed when gunmen attacked": a participle whose victims come before it
REDUCED_PASSIVE = re.compile(
    r"(?:killed|wounded|injured|abducted|kidnapped|shot dead|executed|slain)\s+"
    r"(?:when|while|as|by|during|after|in an?|in the)\b",
    FLAGS,
)
# "... after soldiers recovered the bodies": the noun opens a clause of its own
SUBJECT_OF_CLAUSE = re.compile(
    r"\b(?:after|when|while|because|until|before)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", FLAGS
)
SELF_REPORT = re.compile(
    r"\s+(?:(?:late |early )?on \w+\s+)?(?:that\s+)?(?:they|it|we|its|their)\b", FLAGS
)
# "attacked government buildings, sparking a gunfight with security forces": both sides fought
EXCHANGE_WITH_FORCES = re.compile(
    r"\b(?:gunfights?|gun battles?|firefights?|shootouts?|exchanges? of fire|exchanged fire|"
    r"returned fire)\b",
    FLAGS,
)
# the subject of "bombed"/"killed" is an aircraft: an air strike
AIRCRAFT_BEFORE = re.compile(
    r"\b(?:jets?|warplanes?|aircraft|helicopters?|gunships?|drones?|planes?|air force)\s+"
    r"(?:had\s+|have\s+|has\s+)?(?:\w+\s+)?$",
    FLAGS,
)
# "police said on Tuesday they had foiled a plot": the speaker tells an act of its own
SELF_ACT = re.compile(
    r"\s+(?:(?:late |early )?on \w+\s+)?(?:that\s+)?(?:they|it|we|its \w+)\s+"
    r"(?:had\s+|have\s+)?"
    r"(?:foiled|thwarted|arrested|detained|killed|seized|repelled|captured|recovered|defused|"
    r"launched|carried out|conducted|rescued|raided|struck|shot)\b",
    FLAGS,
)
# "Police blamed ISWAP for an attack": neither the blamer nor the blamed is the text's own doer;
# who is blamed reaches the event as an attribution, never as a confirmed actor
BLAME_VERB = re.compile(
    r"\b(?:blam(?:ed|es|ing)|accus(?:ed|es|ing)|attribut(?:ed|es|ing)|held (?:\w+ )?responsible)\b",
    FLAGS,
)
TOLL_WORD = re.compile(r"\btoll\b|\bnumber of (?:dead|deaths|victims|casualties)\b", FLAGS)
# a toll told of other incidents: "several attacks, including the siege in which 67 died"
OTHER_INCIDENTS_TOLL = re.compile(
    r"\b(?:in which|during which|which killed|that killed|including)\b[^.;]*$"
    r"|\b(?:19|20)\d\d\b[^.;]*$",
    FLAGS,
)
# "the toll later rose to 14": a later, higher count of the same dead
TOLL_RISE = re.compile(r"\b(?:rose|risen|rising|climbed|increased|jumped|reached)\b", FLAGS)
# "A commander of the TTP was killed ... in a drone strike": the group is the strike's victim
VICTIM_PASSIVE_BETWEEN = re.compile(
    r"\b(?:was|were|had been|has been|have been)\s+(?:\w+\s+)?(?:killed|wounded|injured|shot|"
    r"abducted|kidnapped|executed|slain|targeted|hit|ambushed|attacked)\b",
    FLAGS,
)
# "The workers were seized by Mai-Mai militiamen": a later sentence naming the deed's agent
AGENT_OF_DEED_BEFORE = re.compile(
    r"\b(?:was|were|been|being)\s+(?:\w+\s+)?(?:seized|kidnapped|abducted|killed|attacked|shot|"
    r"ambushed|bombed|targeted|captured|executed|beheaded|massacred|carried out)\s+by\s+"
    r"(?:the\s+|a\s+|an\s+)?(?:(?:suspected|alleged)\s+)?$",
    FLAGS,
)
# "Fighting between the Congolese army and CODECO militiamen": the two sides, in that order
BETWEEN_SIDES = re.compile(r"\s+(?:\w+\s+){0,2}?between\s+(?P<first>[^.;]{2,80}?)\s+and\s+", FLAGS)
PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|got)\s+(?:\w+\s+)?$", FLAGS)
# "police said", "police spokesman Abdifatah Aden said", "the state police command said"
REPORTING_AFTER = re.compile(
    r"(?:'s)?\s+(?:(?:officials?|spokes(?:man|woman|person)|sources?|commanders?|chief|command|"
    r"department|headquarters)\s+(?:(?-i:[A-Z])[\w'-]+\s+){0,3})?"
    r"(?:said|say|says|told|reported|added|announced|confirmed|stated)\b",
    FLAGS,
)

#: (sentence, trigger offset) -> the event's place as named in that sentence, if any
PlaceLocator = Callable[[Sentence, int], EventPlace | None]


@dataclass(slots=True)
class Incident:
    """An incident being assembled from one or more sentences."""

    trigger: TriggerMatch
    sentences: list[Sentence]
    date: DateMention | None = None
    report_date: DateMention | None = None  # "the army said on Saturday": a fallback only
    # undated: the date of the incident it follows on from, else the last date told before it
    context_date: DateMention | None = None
    place: EventPlace | None = None
    statements: list[Statement] = field(default_factory=list)
    references: list[TriggerMatch] = field(default_factory=list)
    # the first sentence's trigger: who did what to whom is read around it, even when a later
    # sentence gives a more specific trigger for the type ("... said its fighters repelled")
    opening: TriggerMatch | None = None
    # the part of the first sentence that tells this incident, when the sentence tells two
    # ("marched on Sunday after a bombing last month killed 80"): (start, end) in the text
    bounds: tuple[int, int] | None = None

    @property
    def family(self) -> str:
        return self.trigger.rule.family


@dataclass(frozen=True, slots=True)
class ArticleView:
    """Everything the article-level stages found, handed to the assembler."""

    text: str
    published: dt.date | None
    sentences: Sequence[Sentence]
    actor_mentions: Sequence[ActorMention]
    dates: Sequence[DateMention]
    casualties: dict[int, list[CasualtyMention]]  # by sentence index
    fiction: bool


def _within(items: Sequence, start: int, end: int) -> list:
    return [x for x in items if x.start >= start and x.end <= end]


def _compatible(family: str, other: str) -> bool:
    if family == other:
        return True
    return any(family in group and other in group for group in COMPATIBLE_FAMILIES)


def _adds_toll(
    current: Incident,
    sentence: Sentence,
    tolls: Sequence[CasualtyMention],
    dates: Sequence[DateMention],
    view: ArticleView,
) -> bool:
    """A sentence with no event word of its own, right after the incident's last sentence in
    its paragraph, that gives a kind of toll the incident lacks: "... killing three militants.
    Two Taliban fighters were wounded." A date or a cue of another incident keeps it apart."""
    last = current.sentences[-1]
    if not tolls or sentence.index != last.index + 1 or sentence.paragraph != last.paragraph:
        return False
    # "The toll later rose to 14": "later" is the toll's, not another incident's
    rising = all(TOLL_RISE.search(m.text) for m in tolls)
    if dates or (NEW_INCIDENT_CUE.search(sentence.text) and not rising):
        return False
    if any(OTHER_INCIDENTS_TOLL.search(sentence.text, 0, m.start - sentence.start) for m in tolls):
        return False  # "... including the 2013 Westgate siege in which 67 people died"
    # "Some officials put the toll at more than 50": another source's count of the same dead
    about_toll = all(TOLL_WORD.search(m.text) for m in tolls)
    known = {m.kind for s in current.sentences for m in view.casualties.get(s.index, [])}
    return rising or about_toll or all(m.kind not in known for m in tolls)


def segment_incidents(view: ArticleView, locate: PlaceLocator) -> list[Incident]:
    """Walk the sentences in order, opening, extending or referring back to incidents."""
    incidents: list[Incident] = []
    current: Incident | None = None
    for sentence in view.sentences:
        if sentence.headline:
            continue
        mentions = _within(view.actor_mentions, sentence.start, sentence.end)
        statements = find_statements(
            sentence.text, sentence.start, mentions, _antecedent(view.actor_mentions, sentence)
        )
        reason = non_event_reason(sentence.text, view.fiction)
        if reason in ("fiction", "figurative"):
            continue
        triggers = [
            t
            for t in find_triggers(sentence.text, sentence.start)
            if not is_hypothetical(sentence.text, t.start - sentence.start)
            and not _inside_actor_name(t, mentions)
        ]
        dates = list(_within(view.dates, sentence.start, sentence.end))
        tolls = view.casualties.get(sentence.index, [])
        has_toll = bool(tolls)
        # "the attack", "that bombing": told already, unless the clause adds a toll
        references = [
            t
            for t in triggers
            if incidents
            and (t.definite or PRONOUN_PASSIVE.search(sentence.text[: t.start - sentence.start]))
            and not any(0 <= m.start - t.end < 40 for m in tolls)
        ]
        fresh = (
            []
            if reason
            else [
                t
                for t in triggers
                if t not in references
                and not _in_relative_clause(sentence.text, t.start - sentence.start)
                # "claimed responsibility for the attack" with no attack told yet: the article
                # knows the incident only through the claim, so the claim introduces it
                and not (
                    t.definite
                    and not has_toll
                    and not _has_own_date(dates, t.start)
                    and not (statements and not incidents)
                )
                and not _is_tally(sentence.text, t.start - sentence.start, t.text)
            ]
        )
        for ref in references:
            referents = _referents(incidents, ref, sentence)
            own = _date_after(dates, ref, view.text)
            for target in referents:
                target.references.append(ref)
                if own is not None:
                    _sharpen_date(target, own)  # "since the attack on the base on April 9"
                if not fresh:  # a sentence with news of its own keeps its statements
                    target.statements.extend(statements)
            if referents and not fresh:
                statements = []
        if not fresh:
            if current is not None and statements:
                current.statements.extend(statements)
            if current is not None and _adds_toll(current, sentence, tolls, dates, view):
                current.sentences.append(sentence)  # "... killing three. Two were wounded."
            continue
        main = max(fresh, key=lambda t: _main_rank(t, fresh, sentence))
        place = locate(sentence, main.start)
        if main.definite and _has_own_date(dates, main.start):
            # "The blast on March 12 also wounded 30": the incident told earlier, now dated
            own = _nearest(dates, main.start, view.text)
            same = [
                i
                for i in _referents(incidents, main, sentence)
                if own is not None
                and not _is_report_date(own, view.text)
                and _compatible(i.family, main.rule.family)
                and (i.date is None or i.date.earliest <= own.best <= i.date.latest)
            ]
            if same:
                same[-1].sentences.append(sentence)
                same[-1].statements.extend(statements)
                if own is not None:
                    _sharpen_date(same[-1], own)
                continue
        if (
            current is not None
            and main.rule.family in SECURITY_OPERATIONS
            and (current.family in VIOLENT_FAMILIES or current.family in ("protest", "riot"))
            and _part_of_operation(current, sentence, dates, place)
        ):
            # "weapons were recovered from the attackers", "suspects were detained": the
            # operation already told, not a new event, unless dated or placed apart
            current.sentences.append(sentence)
            current.statements.extend(statements)
            continue
        # the day a claim or statement came out does not set the incident apart
        own_dates = [d for d in dates if not _is_report_date(d, view.text)]
        if current is not None and _continues(current, sentence, main, own_dates, place):
            current.sentences.append(sentence)
            current.statements.extend(statements)
            if dates and (current.date is None or current.date.precision != "day"):
                better = _nearest(dates, main.start, view.text)
                if better is not None and not _is_report_date(better, view.text):
                    current.date = better  # first date, or a sharper one for the same window
            if place is not None and (
                current.place is None
                or (current.place.place.geo_precision or 3) > (place.place.geo_precision or 3)
            ):
                current.place = place  # a finer place for the same incident
            if main.rule.priority > current.trigger.rule.priority and _compatible(
                current.family, main.rule.family
            ):
                current.trigger = main
            continue
        earlier_here = _same_place_incident(incidents, sentence, main, own_dates, place)
        if earlier_here is not None and not NEW_INCIDENT_CUE.search(sentence.text):
            # "police in Mastung confirmed an officer had been killed": the Mastung killing
            # told a few sentences before, between which another incident was told
            earlier_here.sentences.append(sentence)
            earlier_here.statements.extend(statements)
            continue
        background = _background_clause(main, fresh, sentence, dates, tolls)
        if background is not None:
            dates = [d for d in dates if d.start < background.start]
            own_clause = _clause(sentence, sentence.start, background.start, view.text)
            place = locate(own_clause, main.start)
        date = _nearest(dates, main.start, view.text)
        referred = [i.date for ref in references for i in _referents(incidents, ref, sentence)]
        if date is not None and _counts_from_trigger(date, main):
            # "two days after a drone attack": the attack is the anchor, dated back from the
            # sentence's own day, or from the incident it names ("The attack came two weeks
            # after clashes")
            own = [d.best for d in dates if not d.anaphoric and d.precision == "day"]
            own += [d.best for d in referred if d is not None]
            date = rebase(_inverted(date), own[0]) if own else None
        reported = date is not None and _is_report_date(date, view.text)
        earlier = [d for d in view.dates if d.end <= sentence.start and not d.anaphoric]
        current = Incident(
            trigger=main,
            opening=main,
            sentences=[sentence],
            date=None if reported else date,
            report_date=date if reported else None,
            context_date=next((d for d in referred if d is not None), None)
            or (earlier[-1] if earlier else None),
            place=place,
            statements=list(statements),
        )
        incidents.append(current)
        if background is not None:
            split = background.start
            current.bounds = (sentence.start, split)
            told = [d for d in view.dates if split <= d.start < sentence.end]
            incidents.append(
                Incident(
                    trigger=background.trigger,
                    opening=background.trigger,
                    sentences=[sentence],
                    date=told[0] if told else None,
                    place=locate(sentence, background.trigger.start),
                    bounds=(split, sentence.end),
                )
            )
    return incidents


def _clause(sentence: Sentence, start: int, end: int, text: str) -> Sentence:
    """The part of a sentence that tells one of its two incidents."""
    return replace(sentence, start=start, end=end, text=text[start:end])


@dataclass(frozen=True, slots=True)
class _Background:
    start: int  # where its clause begins ("after ...")
    trigger: TriggerMatch


# "marched on Sunday after a suicide bombing last month killed 80": the clause after the
# connector tells an earlier incident of another kind
BACKGROUND_CONNECTOR = re.compile(
    r"\b(?:after|following)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$", FLAGS
)


def _background_clause(
    main: TriggerMatch,
    fresh: Sequence[TriggerMatch],
    sentence: Sentence,
    dates: Sequence[DateMention],
    tolls: Sequence[CasualtyMention],
) -> _Background | None:
    """A second incident in the sentence: another kind of event, told after the main one
    behind "after"/"following", with a date or a toll of its own."""
    for t in fresh:
        if t.start <= main.end or _compatible(main.rule.family, t.rule.family):
            continue
        connector = BACKGROUND_CONNECTOR.search(sentence.text, 0, t.start - sentence.start)
        if connector is None:
            continue
        own_date = any(d.start >= t.start for d in dates)
        own_toll = any(m.start >= t.start for m in tolls)
        if own_date or own_toll:
            return _Background(sentence.start + connector.start(), t)
    return None


# "two attacks", "several bombings": a tally of incidents told elsewhere, not one incident
TALLY_BEFORE = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|several|multiple|numerous|many|"
    r"dozens of|scores of|hundreds of|a series of|a string of|a wave of|\d+)\s+"
    # "two weeks after clashes": a time span, not a count of incidents
    r"(?!(?:days?|weeks?|months?|years?|hours?|minutes?|decades?)\b)"
    r"(?:[\w-]+\s+){0,2}$",
    FLAGS,
)
INCIDENT_PLURAL = re.compile(
    r"(?:attacks|bombings|blasts|explosions|raids|killings|clashes|strikes|assaults|"
    r"ambushes|shootings|abductions|kidnappings|operations)$",
    FLAGS,
)
REPORTED_THAT = re.compile(
    r"\b(?:said|says|say|told \w+|announced|reported|added|confirmed|claimed|stated|"
    r"denied|believe[ds]?)\s+(?:(?:on|late on|early on) \w+\s+|\w+day\s+)?that\s*$",
    FLAGS,
)
# "he had been killed": someone already introduced, in an incident already told
PRONOUN_PASSIVE = re.compile(
    r"\b(?:he|she|they|him|it)\s+(?:had\s+|has\s+|have\s+)?(?:been|was|were)\s+$", FLAGS
)
THAT_VERB = re.compile(
    r"that\s+(?:(?:was|were|is|are|had|has|have|been|also|then|later|reportedly)\b|\w+ed\b|$)",
    FLAGS,
)
BEGAN_WITH_BEFORE = re.compile(
    r"\b(?:which|that)\s+(?:began|started|opened)\b[^.;]{0,40}\bwith\s+(?:[\w-]+\s+){0,3}$", FLAGS
)
RELATIVE_BEFORE = re.compile(r"\b(?:who|which|that|whom)\s+(?:\w+\s+){0,3}$", FLAGS)
REPORT_DATE_BEFORE = re.compile(
    r"\b(?:said|says|told \w+|announced|reported|added|stated|confirmed)\s+$", FLAGS
)
# "police on Tuesday confirmed that": the day of the statement, told before its verb
REPORT_DATE_AFTER = re.compile(
    r"\s*(?:night|morning|evening)?\s*(?:said|says|confirmed|announced|told|reported|stated|"
    r"added|denied|claimed)\b",
    FLAGS,
)
# "a statement carried by its Amaq agency late on Thursday": when the claim was published
CLAIM_CHANNEL_BEFORE = re.compile(
    r"\b(?:statement|claim|message|video|posting|communiqu[eé]|announcement|news agency|"
    r"outlet|channel|Amaq|Telegram|website|broadcast)\b(?P<gap>[^.;]{0,40})$",
    FLAGS,
)
CLAIM_CONTENT = re.compile(r"\b(?:that|said|says|saying|claimed|claiming)\b", FLAGS)
# "the funerals on Wednesday of five fighters killed on Monday": a later day of mourning
AFTERMATH_BEFORE = re.compile(
    r"\b(?:funerals?|buried|burial|mourn(?:ers|ed|ing)?|vigil|laid to rest|died|succumbed|"
    r"passed away)\b[^.;,]{0,30}$",
    FLAGS,
)


# "two days after a drone attack", "in protest at the killing": the trigger sets the scene
BACKGROUND_MARKER = re.compile(
    r"\b(?:after|following|since|in the wake of|in response to|in retaliation for)\b", FLAGS
)
# in a protest sentence, what the crowd protests about: "demanding protection from attacks"
GRIEVANCE_BEFORE = re.compile(
    r"\b(?:over|against|from|about|protesting|denouncing|condemning|demanding|to denounce|"
    r"to protest|to condemn)\s+(?:an?|the|their|recent)?\s*(?:[\w-]+\s+){0,3}$",
    FLAGS,
)
ANAPHOR_DIRECTION = re.compile(r"\b(?:after|before)$", FLAGS)
OPERATION_DATE_CUE = re.compile(r"\b(?:separate(?:ly)?|another|elsewhere|earlier|later)\b", FLAGS)


def _main_rank(
    trigger: TriggerMatch, fresh: Sequence[TriggerMatch], sentence: Sentence
) -> tuple[bool, bool, int, int]:
    """Which of a sentence's triggers is its news: not one in a scene-setting phrase ("after a
    drone attack") or a protest's grievance, and not an arrest or seizure made in the course of
    a violent incident the same sentence tells; then the most specific, then the first."""
    offset = trigger.start - sentence.start
    before = sentence.text[max(0, offset - 80) : offset]
    protest = any(t.rule.family == "protest" for t in fresh)
    # everything after the marker is the scene: "..., two days after a drone attack"
    background = bool(BACKGROUND_MARKER.search(sentence.text, 0, offset)) or (
        protest and trigger.rule.family != "protest" and bool(GRIEVANCE_BEFORE.search(before))
    )
    # a bomb word beside "foiled"/"defused" is the device, not an explosion
    violent = any(
        t.rule.family in ("attack", "clash", "airstrike", "shelling") and t.rule.priority >= 50
        for t in fresh
    )
    incidental = trigger.rule.family in SECURITY_OPERATIONS and violent
    return (not background, not incidental, trigger.rule.priority, -trigger.start)


def _date_after(
    dates: Sequence[DateMention], trigger: TriggerMatch, text: str
) -> DateMention | None:
    """A day date told in the words right after a trigger ("the attack ... on April 9")."""
    for d in dates:
        if (
            0 <= d.start - trigger.end <= 50
            and not d.anaphoric
            and d.precision == "day"
            and not _is_report_date(d, text)
            and "." not in text[trigger.end : d.start]
        ):
            return d
    return None


def _sharpen_date(incident: Incident, date: DateMention) -> None:
    """Give an incident a day date when it has none, only the day it was reported, or a
    coarser window that holds the day."""
    current = incident.date
    if current is None or (
        current.precision != "day" and current.earliest <= date.best <= current.latest
    ):
        incident.date = date


def _counts_from_trigger(date: DateMention, trigger: TriggerMatch) -> bool:
    """'two days after a drone attack': the offset counts from the trigger, not to it."""
    return (
        date.anaphoric
        and date.offset_days is not None
        and bool(ANAPHOR_DIRECTION.search(date.text))
        and 0 <= trigger.start - date.end <= 25
    )


def _inverted(date: DateMention) -> DateMention:
    offset = -(date.offset_days or 0)
    return replace(date, offset_days=offset)


def _same_place_incident(
    incidents: Sequence[Incident],
    sentence: Sentence,
    main: TriggerMatch,
    dates: Sequence[DateMention],
    place: EventPlace | None,
) -> Incident | None:
    """An incident of the same kind told in the last paragraphs at the town this undated
    sentence names: the sentence tells more of it."""
    if place is None or not place.place.name or any(d.precision == "day" for d in dates):
        return None
    for incident in reversed(incidents[:-1]):
        if sentence.paragraph - incident.sentences[-1].paragraph > 1:
            break
        there = incident.place.place if incident.place is not None else None
        if (
            there is not None
            and there.name == place.place.name
            and _compatible(incident.family, main.rule.family)
        ):
            return incident
    return None


def _part_of_operation(
    current: Incident,
    sentence: Sentence,
    dates: Sequence[DateMention],
    place: EventPlace | None,
) -> bool:
    """An arrest or seizure sentence that belongs to the violent incident just told: close by,
    with no day of its own, no other town and nothing marking it as a separate operation."""
    if sentence.paragraph - current.sentences[-1].paragraph > 1:
        return False
    if OPERATION_DATE_CUE.search(sentence.text):
        return False
    if current.date is not None and any(
        not d.anaphoric
        and d.precision == "day"
        and not (current.date.earliest <= d.best <= current.date.latest)
        for d in dates
    ):
        return False
    if place is not None and current.place is not None:
        here, there = place.place, current.place.place
        if here.name and there.name and here.name != there.name:
            return False
    return True


def _in_relative_clause(sentence: str, offset: int) -> bool:
    """'miners who were abducted and killed': background to the sentence's own news.
    'the ministry said that soldiers repelled': reported news, not a relative clause."""
    window = sentence[max(0, offset - 70) : offset]
    if BEGAN_WITH_BEFORE.search(window):
        return True  # "the assault, which began on Friday with two car bombs": its opening
    match = RELATIVE_BEFORE.search(window)
    if match is None:
        return False
    if not match.group(0).lower().startswith("that"):
        return True  # who / which / whom
    if REPORTED_THAT.search(window[: match.start() + 5]):
        return False
    # "the house that was raided" is relative; "informed ... that Turkish forces set up" is not
    return bool(THAT_VERB.match(window, match.start()))


def _is_tally(sentence: str, offset: int, trigger: str) -> bool:
    return bool(INCIDENT_PLURAL.search(trigger)) and bool(
        TALLY_BEFORE.search(sentence[max(0, offset - 40) : offset])
    )


def _has_own_date(dates: Sequence[DateMention], near: int | None = None) -> bool:
    """A day or week date of its own, within a few words of ``near`` when given."""
    return any(
        not d.anaphoric
        and d.precision in ("day", "week")
        and (near is None or abs(d.start - near) < 60)
        for d in dates
    )


def _antecedent(mentions: Sequence[ActorMention], sentence: Sentence) -> ActorMention | None:
    """The armed group named last before the sentence: what "the group" and "its" refer to."""
    for m in reversed(mentions):
        if m.end <= sentence.start and not m.actor.generic and m.actor.inter not in (1, 8):
            return m
    return None


def _inside_actor_name(trigger: TriggerMatch, mentions: Sequence[ActorMention]) -> bool:
    """ "Red Brigades-Fighting Communist Party" holds no event; "Russian shelling", a force
    named by what it does, still tells the shelling."""
    return any(
        m.start <= trigger.start
        and trigger.end <= m.end
        and not (m.start < trigger.start and trigger.end == m.end)
        for m in mentions
        if not m.actor.generic
    )


def _referents(
    incidents: Sequence[Incident], ref: TriggerMatch, sentence: Sentence
) -> list[Incident]:
    """Incidents a definite mention points back to: the latest compatible one, or for a plural
    ("the bombings", "both attacks") every compatible one in the paragraphs just before."""
    compatible = [i for i in incidents if _compatible(i.family, ref.rule.family)]
    if not compatible:
        return incidents[-1:]
    # "the killing in Tank": the incident at the place the reference names
    after = sentence.text[ref.end - sentence.start : ref.end - sentence.start + 40]
    named = [
        i
        for i in compatible
        if i.place is not None
        and i.place.place.name
        and re.match(rf"\s+(?:in|at|near|on) (?:the )?{re.escape(i.place.place.name)}\b", after)
    ]
    if named:
        return named[-1:]
    if ref.text.lower().endswith("s") and not ref.text.lower().endswith("ss"):
        recent = [i for i in compatible if sentence.paragraph - i.sentences[-1].paragraph <= 2]
        return recent or compatible[-1:]
    return compatible[-1:]


def _nearest(dates: Sequence[DateMention], position: int, text: str = "") -> DateMention | None:
    """The date closest to the trigger, passing over the day a statement was made
    ("the ministry said on Saturday that ... on Thursday")."""
    if not dates:
        return None

    return min(dates, key=lambda d: (_is_report_date(d, text), abs(d.start - position)))


def _is_report_date(mention: DateMention, text: str) -> bool:
    """A day that dates something said or done about the incident (a statement, a claim, a
    funeral or a later death) rather than the incident itself."""
    if not text:
        return False
    before = text[max(0, mention.start - 60) : mention.start]
    if REPORT_DATE_BEFORE.search(before[-20:]) or AFTERMATH_BEFORE.search(before):
        return True
    if REPORT_DATE_AFTER.match(text, mention.end):
        return True
    claim = CLAIM_CHANNEL_BEFORE.search(before)
    return claim is not None and not CLAIM_CONTENT.search(claim.group("gap"))


def _continues(
    current: Incident,
    sentence: Sentence,
    main: TriggerMatch,
    dates: Sequence[DateMention],
    place: EventPlace | None,
) -> bool:
    """Does this trigger sentence add detail to the current incident rather than start one?"""
    street = {current.family, main.rule.family} & {"protest", "riot"}
    crackdown = street and any(CROWD.search(s.text) for s in current.sentences)
    if not (_compatible(current.family, main.rule.family) or crackdown):
        return False
    if sentence.paragraph - current.sentences[-1].paragraph > 1:
        return False
    if NEW_INCIDENT_CUE.search(sentence.text):
        return False
    if (
        dates
        and current.date is not None
        and not any(
            d.earliest <= current.date.latest and current.date.earliest <= d.latest for d in dates
        )
    ):
        return False  # a sentence dated outside the incident's window tells a new one
    if place is not None and current.place is not None:
        here, there = place.place, current.place.place
        refines = there.geo_precision == 3 and here.admin1 == there.admin1
        if here.name and there.name and here.name != there.name and not refines:
            return False
    return True


# -- coding one incident ------------------------------------------------------------------


def _is_speaker(text: str, end: int, limit: int | None) -> bool:
    """'Police in Khyber Pakhtunkhwa on Monday said ...': a name whose own verb, a few words
    on and with no punctuation or trigger between, is a reporting verb."""
    if limit is None or limit <= end:
        return False
    gap = text[end : min(limit, end + 60)]
    verb = SPEAKER_VERB.search(gap)
    if verb is None or re.search(r"[,.;:]", gap[: verb.start()]):
        return False
    if SELF_REPORT.match(text, end + verb.end()):
        return False  # "the SDF said they had foiled": the speaker tells its own act
    return not find_triggers(gap[: verb.start()])


def _state_actor(actor: KBActor) -> bool:
    return actor.kind == "state_forces" or actor.inter == 1


def _actor_record(kb: ActorKB, actor: KBActor, status: str | None) -> Actor:
    parent = kb.parent(actor)
    return Actor(
        name=actor.name,
        actor_id=actor.actor_id,
        parent=parent.name if parent else None,
        inter=actor.inter,
        status=status,
    )  # type: ignore[arg-type]


def _span(text: str, field_name: str, start: int, end: int) -> EvidenceSpan:
    return EvidenceSpan(field=field_name, start=start, end=end, text=text[start:end])


def _report(
    mentions: Sequence[CasualtyMention], fighters_are_targets: bool = False
) -> CasualtyReport | None:
    """Conservative toll: the lowest credible figure, plus attackers reported as also dead (kept
    apart too). A toll that "rose to 14" supersedes the earlier count: it is the best, the
    first the low. When state forces struck, the "fighters" killed are their targets."""
    counted = [m for m in mentions if m.count.best is not None]
    victims = [m for m in counted if fighters_are_targets or not m.attackers]
    attackers = [m for m in counted if m.attackers and not fighters_are_targets]
    if not victims and not attackers:
        return None
    lowest = min(victims, key=lambda m: m.count.best or 0) if victims else None
    risen = [m for m in victims if TOLL_RISE.search(m.text)]
    chosen = max(risen, key=lambda m: m.start) if risen else lowest
    best = chosen.count.best if chosen else 0
    low = lowest.count.low if lowest else 0
    high = max((m.count.high or m.count.best or 0) for m in victims) if victims else None
    extra = (attackers[0].count.best or 0) if attackers else None
    if extra is not None:
        best = (best or 0) + extra
        low = (low or 0) + extra if low is not None else None
        high = (high or 0) + extra
    if high is not None and best is not None and high < best:
        high = best
    return CasualtyReport(
        low=low,
        best=best,
        high=high,
        qualifier=chosen.count.qualifier if chosen else None,
        attackers=extra,
    )


def _competing_blame(kb: ActorKB, statements: Sequence[Statement]) -> bool:
    """Two unrelated groups blamed and none claiming: "JNIM said IS was behind it, while an
    IS outlet accused JNIM". A branch and its parent ("IS", "ISKP") are one suspect."""
    if any(s.stance == "claimed" for s in statements):
        return False
    blamed = [
        s.actor
        for s in statements
        if s.actor is not None and s.stance in ("attributed_by_officials", "suspected")
    ]
    families = [{a.actor_id, *(p.actor_id for p in kb.ancestors(a))} for a in blamed]
    return any(not (f & g) for i, f in enumerate(families) for g in families[i + 1 :])


def _agent_told_later(view: ArticleView, later: Sequence[Sentence]) -> ActorMention | None:
    """A named group a later sentence of the incident gives as the agent of a passive deed
    ("The workers were seized by Mai-Mai militiamen on April 25"), when the first sentence
    names none; unnamed "gunmen" are left to the first sentence's reading."""
    for sentence in later:
        for m in _within(view.actor_mentions, sentence.start, sentence.end):
            window = view.text[max(sentence.start, m.start - 60) : m.start]
            if not m.actor.generic and AGENT_OF_DEED_BEFORE.search(window):
                return m
    return None


def code_incident(
    incident: Incident,
    previous: Incident | None,
    view: ArticleView,
    kb: ActorKB,
    fallback: EventPlace | None,
    lead_date: DateMention | None = None,
) -> Event:
    """Code one incident; ``fallback`` and ``lead_date`` stand in when its sentences name no
    place or date (the dateline's town, the date the lead paragraph gives)."""
    text = view.text
    first = incident.sentences[0]
    if incident.bounds is not None:
        # the sentence tells two incidents: this one is read in its own clause only
        first = _clause(first, *incident.bounds, text)
    sentences = [first, *incident.sentences[1:]]
    rule = incident.trigger.rule
    event_type, sub_type = rule.event_type, rule.sub_event_type
    evidence = [
        _span(text, "event", first.start, first.end),
        _span(text, "trigger", incident.trigger.start, incident.trigger.end),
    ]

    # date
    date_precision = "unknown"
    date = earliest = latest = None
    mention = incident.date or incident.report_date or incident.context_date or lead_date
    anchor = previous.date if previous is not None else incident.context_date
    if mention is not None and mention.anaphoric and anchor is not None:
        mention = rebase(mention, anchor.best)  # "five days earlier" than the incident before
        incident.date = mention
    if mention is not None:
        date, earliest, latest = mention.best, mention.earliest, mention.latest
        date_precision = mention.precision
        if mention is incident.date:
            evidence.append(_span(text, "date", mention.start, mention.end))
    elif view.published is not None:
        date, latest = view.published, view.published
        earliest = view.published - dt.timedelta(days=1)
        date_precision = "day"

    # place
    place_found = incident.place or fallback
    location: Place | None = place_found.place if place_found else None
    if place_found is not None and place_found.start is not None and place_found.end is not None:
        evidence.append(_span(text, "location", place_found.start, place_found.end))

    # actors in the incident's first sentence: before the trigger = doer, after = done to
    mentions = _within(view.actor_mentions, first.start, first.end)
    opening = incident.opening or incident.trigger
    trigger_at = opening.start
    passive = bool(
        PASSIVE_BEFORE.search(text[max(first.start, trigger_at - 16) : trigger_at])
    ) or bool(REDUCED_PASSIVE.match(text, trigger_at))
    doers: list[ActorMention] = []
    acting_doers: list[ActorMention] = []
    receivers: list[ActorMention] = []
    blame = BLAME_VERB.search(text, first.start, trigger_at)
    accused: list[ActorMention] = []
    # "clashes between X and Y": X is actor1 and Y actor2, though both follow the trigger
    sides = BETWEEN_SIDES.match(text, opening.end)
    first_side = (
        [m for m in mentions if sides.start("first") <= m.start < sides.end("first")][:1]
        if sides is not None and opening.rule.family == "clash"
        else []
    )
    for m in mentions:
        if blame is not None and m.start < trigger_at:
            if m.start >= blame.end():
                accused.append(m)  # "accused the army of killing civilians"
            continue  # the blamer, or the blamed named before "for the attack"
        reporting = REPORTING_AFTER.match(text, m.end)
        if (reporting and not SELF_ACT.match(text, reporting.end())) or AFFILIATION_AFTER.match(
            text, m.end
        ):
            continue  # "Police said ...", "al-Qaeda-linked JNIM": a source or a modifier
        if _is_speaker(text, m.end, min(first.end, trigger_at) if m.end <= trigger_at else None):
            continue  # "Police in Khyber Pakhtunkhwa on Monday said ...": a speaker
        by_agent = BY_AGENT.search(text[max(first.start, m.start - 30) : m.start])
        same_clause = not CLAUSE_BREAK.search(text[m.end : trigger_at])
        if m.start < trigger_at and VICTIM_PASSIVE_BETWEEN.search(text, m.end, trigger_at):
            receivers.append(m)
            continue
        # "killed when ADF fighters stormed the village": the subject of the attack clause
        acting = m.start > trigger_at and bool(ACTIVE_ATTACK_AFTER.match(text, m.end))
        if acting:
            acting_doers.append(m)
        if (
            by_agent
            or acting
            or m in first_side
            or (m.start < trigger_at and not passive and same_clause)
        ):
            doers.append(m)
        elif m.start > trigger_at or passive:
            receivers.append(m)
        # else: named in an earlier clause ("suspended talks with the ELN after an attack"):
        # neither side of the deed

    perpetrator: Actor | None = None
    claims: list[Claim] = []
    for st in incident.statements:
        if st.stance == "suspected" and rule.family == "arrests":
            continue
        by = st.actor.name if st.actor is not None else st.surface
        if by is None:
            continue
        claims.append(
            Claim(
                by=by,
                stance=st.stance,
                channel=st.channel,  # type: ignore[arg-type]
                evidence=_span(text, "claim", st.start, st.end),
            )
        )
    country = location.country if location else None
    as_of = date or view.published  # the regime and branches of the event's day

    def statement_about(stance: str) -> KBActor | None:
        found = next((s for s in incident.statements if s.stance == stance and s.actor), None)
        return found.actor if found is not None else None

    # a claim outranks the text's own subject, which outranks what officials or police think
    # the subject of the attack clause itself comes before names met on the way
    doers.sort(key=lambda m: m not in acting_doers)
    named_doers = [m for m in doers if not m.actor.generic]
    # civilians, protesters and rioters are never an attack's unnamed perpetrator
    generic_doers = [m for m in doers if m.actor.generic and m.actor.inter not in (5, 6, 7)]
    claimed = statement_about("claimed")
    open_blame = _competing_blame(kb, incident.statements)
    if claimed is not None:
        perpetrator = _actor_record(kb, _localise(kb, claimed, country, as_of), "claimed")
    elif named_doers:
        doer = named_doers[0]
        window = text[max(first.start, doer.start - 25) : doer.start]
        suspected = bool(re.search(r"\bsuspected\b|\bbelieved\b|\balleged\b", window, FLAGS))
        # "the RSF killed 87 people, the U.N. said ... The RSF denied any involvement": the
        # text tells someone's account of a deed its doer disputes
        denied = any(
            s.stance == "denied" and s.actor is not None and s.actor.actor_id == doer.actor.actor_id
            for s in incident.statements
        )
        perpetrator = _actor_record(
            kb,
            _localise(kb, doer.actor, country, as_of),
            "suspected" if suspected else "attributed" if denied else "confirmed",
        )
    elif rule.family != "arrests" and not open_blame:
        # an arrest of "suspected Maoists": the suspects are whom the forces acted on; two
        # groups blaming each other leave the perpetrator open
        for stance, status in (
            ("attributed_by_officials", "attributed"),
            ("suspected", "suspected"),
        ):
            blamed = statement_about(stance)
            if blamed is not None:
                perpetrator = _actor_record(kb, _localise(kb, blamed, country, as_of), status)
                break
    if perpetrator is None and accused and not open_blame:
        blamed_actor = _localise(kb, accused[0].actor, country, as_of)
        if not blamed_actor.generic:
            perpetrator = _actor_record(kb, blamed_actor, "attributed")
    if perpetrator is None and not open_blame:
        agent = _agent_told_later(view, incident.sentences[1:])
        if agent is not None:
            doers.append(agent)
            before = text[max(0, agent.start - 20) : agent.start]
            suspected = bool(re.search(r"\b(?:suspected|alleged)\s+$", before))
            perpetrator = _actor_record(
                kb,
                _localise(kb, agent.actor, country, as_of),
                "suspected" if suspected else "confirmed",
            )
    if perpetrator is None and rule.family == "clash":
        # "killed in a clash with marines": the forces on the other side are a party too
        for m in receivers:
            force = _localise(kb, m.actor, country, as_of) if m.actor.generic else None
            if force is not None and not force.generic and force.inter == 1:
                perpetrator = _actor_record(kb, force, "confirmed")
                break
    if perpetrator is None and generic_doers:
        generic = _localise(kb, generic_doers[0].actor, country, as_of)
        perpetrator = _actor_record(kb, generic, "unknown" if generic.generic else "confirmed")
    if perpetrator is not None:
        source = next((m for m in doers if m.actor.name == perpetrator.name), None)
        if source is not None:
            evidence.append(_span(text, "perpetrator", source.start, source.end))

    # targets
    targets: list[TargetMention] = []
    for t in find_targets(first.text, first.start):
        after = t.start >= trigger_at
        passive_subject = passive and trigger_at - 100 <= t.start < trigger_at
        reporting = bool(REPORTING_AFTER.match(text, t.end)) or _is_speaker(
            text, t.end, trigger_at if t.end <= trigger_at else None
        )
        inside_doer = any(m.start <= t.start < m.end for m in doers)
        # "killed in an attack ... after soldiers recovered the bodies": another clause
        other_clause = after and bool(SUBJECT_OF_CLAUSE.search(text[trigger_at : t.start]))
        if (after or passive_subject) and not reporting and not inside_doer and not other_clause:
            targets.append(t)
    target_records = [
        Target(name=t.text, category=t.category, civilian=t.civilian) for t in targets
    ]
    for m in receivers:
        if m.actor.generic:
            continue  # "civilians", "gunmen" after the verb are covered by the target lexicon
        if perpetrator is None or m.actor.actor_id != perpetrator.actor_id:
            target_records.insert(
                0,
                Target(
                    name=m.actor.name,
                    category="state_forces" if _state_actor(m.actor) else "armed_group",
                    civilian=False,
                ),
            )

    # casualties
    tolls = [
        m
        for s in sentences
        for m in view.casualties.get(s.index, [])
        if s is not first or first.start <= m.start < first.end
    ]
    # "an air strike killing three fighters", "troops killed 20 militants": the fighters
    # were struck, not the attackers
    perp_is_state = bool(perpetrator and perpetrator.inter == 1)
    fighters_struck = (
        perp_is_state
        or rule.family in ("airstrike", "shelling")
        or bool(target_records and target_records[0].category in ("armed_group", "rival_militants"))
    )
    fatalities = _report([m for m in tolls if m.kind == "killed"], fighters_struck)
    injuries = _report([m for m in tolls if m.kind == "injured"])
    for m in tolls[:2]:
        evidence.append(
            _span(text, "fatalities" if m.kind == "killed" else "injuries", m.start, m.end)
        )

    # type refinement with what we now know
    incident_text = " ".join(s.text for s in sentences)
    if rule.family in ("bombing", "attack") and AIRCRAFT_BEFORE.search(
        text, max(first.start, opening.start - 45), opening.start
    ):
        # "a military jet bombed a village", "its aircraft had killed 20": from the air
        rule = next(r for r in RULES if r.family == "airstrike")
        event_type, sub_type = rule.event_type, rule.sub_event_type
    first_target = target_records[0] if target_records else None
    crowd = bool(CROWD.search(incident_text))
    named_armed = perpetrator is not None and perpetrator.inter in (2, 3, 4, 8)
    if rule.family in ("attack", "clash") and crowd and not named_armed:
        # a street confrontation: crowds turning violent, or forces turning on a crowd
        # police arresting rioters are not firing on a crowd: the crowd's own violence decides
        rowdy = bool(ROWDY.search(incident_text))
        if EXCESSIVE_FORCE.search(incident_text) or (
            perp_is_state and rule.family == "attack" and not rowdy
        ):
            event_type, sub_type = "Protests", "Excessive force against protesters"
        else:
            event_type, sub_type = "Riots", "Violent demonstration"
        rule = next(
            r for r in RULES if r.family == ("protest" if event_type == "Protests" else "riot")
        )
    elif rule.family == "attack":
        if (
            (first_target is not None and first_target.civilian is False)
            or (
                perp_is_state
                and first_target is not None
                and first_target.category in ("rival_militants", "armed_group")
            )
            or EXCHANGE_WITH_FORCES.search(first.text)
        ):
            event_type, sub_type = "Battles", "Armed clash"
    elif rule.family in ("territory_gov", "territory_nsa") and perpetrator is not None:
        sub_type = (
            "Government regains territory"
            if perp_is_state
            else "Non-state actor overtakes territory"
        )
    elif rule.family in ("protest", "riot") and EXCESSIVE_FORCE.search(incident_text):
        event_type, sub_type = "Protests", "Excessive force against protesters"
        rule = next(r for r in RULES if r.family == "protest")
    elif rule.family == "protest":
        if ROWDY.search(incident_text):
            event_type, sub_type = "Riots", "Violent demonstration"
            rule = next(r for r in RULES if r.family == "riot")
        elif INTERVENTION.search(incident_text):
            sub_type = "Protest with intervention"
    elif rule.family == "riot" and MOB.search(incident_text) and fatalities:
        sub_type = "Mob violence"

    # demonstrators are the protest's actor1; police who break it up are its actor2
    intervening: Actor | None = None
    if rule.family in ("protest", "riot") and (perpetrator is None or perpetrator.inter == 1):
        intervening = perpetrator
        label = "Protesters" if rule.family == "protest" else "Rioters"
        where = _country_name(country) if country else None
        perpetrator = Actor(
            name=f"{label} ({where})" if where else label,
            inter=6 if rule.family == "protest" else 5,
            status="confirmed",
        )

    civilian_targeting: bool | None = None
    if event_type == "Battles":
        civilian_targeting = False
    elif event_type in ("Violence against civilians", "Explosions/Remote violence"):
        if first_target is not None and first_target.civilian is not None:
            civilian_targeting = first_target.civilian
        elif event_type == "Violence against civilians":
            civilian_targeting = True

    attack_type = GTD_ATTACK_TYPE.get(rule.family)
    if attack_type == "Armed Assault" and ASSASSINATION.search(incident_text):
        attack_type = "Assassination"
    weapons = sorted({w.lower() for w in WEAPONS.findall(incident_text)})

    confidence = 0.45
    confidence += 0.1 if mention is not None else 0.0
    confidence += 0.1 if location is not None and location.geo_precision in (1, 2) else 0.0
    confidence += 0.1 if perpetrator is not None and perpetrator.actor_id else 0.0
    confidence += 0.1 if fatalities or injuries else 0.0
    confidence += 0.05 if len(incident.sentences) > 1 or incident.references else 0.0

    actor2 = intervening
    if (
        actor2 is None
        and target_records
        and target_records[0].category in ("state_forces", "armed_group")
    ):
        actor2 = Actor(name=target_records[0].name)
    return Event(
        event_type=event_type,  # type: ignore[arg-type]
        sub_event_type=sub_type,
        attack_type=attack_type,
        date=date,
        date_earliest=earliest,
        date_latest=latest,
        date_precision=date_precision,  # type: ignore[arg-type]
        location=location,
        perpetrator=perpetrator,
        actor1=perpetrator,
        actor2=actor2,
        targets=target_records,
        civilian_targeting=civilian_targeting,
        fatalities=fatalities,
        injuries=injuries,
        weapons=weapons,
        claims=claims,
        evidence=_dedupe(evidence),
        confidence=round(min(confidence, 0.95), 2),
    )


def _localise(
    kb: ActorKB, actor: KBActor, country: str | None, on: dt.date | None = None
) -> KBActor:
    """The most specific actor the place allows: "troops" in Nigeria are Nigeria's military,
    "al-Qaeda militants" in Yemen are its Yemeni branch when exactly one branch had been
    announced there by the article's date."""
    if country is None:
        return actor
    if actor.generic:
        role = getattr(actor, "role", None)
        when = on.isoformat() if on else None  # Afghanistan's army of 2018 is not the Taliban's
        forces = (
            kb.police_forces(country, when)
            if role == "police"
            else kb.state_forces(country, when)
            if role == "military"
            else None
        )
        return forces or actor
    day = on.isoformat() if on else "9999"
    branches = [
        a
        for a in kb
        if a.parent_id == actor.actor_id
        and country in a.countries
        and a.branch_announced is not None
        and a.branch_announced <= day
    ]
    return branches[0] if len(branches) == 1 else actor


def _dedupe(spans: list[EvidenceSpan]) -> list[EvidenceSpan]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for span in spans:
        key = (span.field, span.start, span.end)
        if key not in seen:
            seen.add(key)
            out.append(span)
    return out


def _country_name(iso2: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=iso2)
    return getattr(country, "common_name", None) or (country.name if country else iso2)
