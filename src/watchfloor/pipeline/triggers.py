"""Event triggers: the words that report an incident, with the ACLED type they point to.

A trigger is a regular-expression match inside one sentence. Each pattern names the ACLED
event type and sub-type it suggests on its own; ``events.py`` later refines the choice with the
targets and actors around it. Filters here drop what only looks like an event: figurative use
("heart attack", "box-office bomb"), fiction, threats and hypotheticals, habitual or historical
summaries, and anniversaries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FLAGS = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class TriggerRule:
    family: str  # coarse incident family: bombing, airstrike, shelling, attack, clash, ...
    event_type: str
    sub_event_type: str
    pattern: re.Pattern[str]
    priority: int  # higher wins when one sentence holds several triggers


def _rule(family: str, event_type: str, sub: str, pattern: str, priority: int) -> TriggerRule:
    return TriggerRule(family, event_type, sub, re.compile(pattern, FLAGS), priority)


EXPLOSIONS = "Explosions/Remote violence"
BATTLES = "Battles"
VAC = "Violence against civilians"
STRATEGIC = "Strategic developments"

RULES: tuple[TriggerRule, ...] = (
    _rule(
        "bombing",
        EXPLOSIONS,
        "Suicide bomb",
        r"\bsuicide[- ](?:bomb(?:er|ers|ing|ings|s)?|attack(?:er|ers|s)?|blast|car[- ]bomb"
        r"|truck bomb)\b|\bblew (?:himself|herself|themselves) up\b"
        r"|\bdetonated (?:his|her|their) (?:explosive|suicide) (?:vests?|belts?)\b"
        r"|\bbombers? (?:drove|rammed|detonated|struck|blew)\b",
        90,
    ),
    _rule(
        "airstrike",
        EXPLOSIONS,
        "Air/drone strike",
        r"\b(?:air|drone|aerial|missile) ?(?:strikes?|raids?|attacks?|bombardment)\b"
        r"|\bairstrikes?\b|\bwarplanes?\b|\bfighter jets?\b|\bhelicopter gunships?\b"
        r"|\bdrones? (?:[\w-]+ ){0,4}(?:struck|hit|attacked|targeted|fired|slammed|crashed)\b"
        r"|\b(?:forces|aircraft|jets|planes|warships?|navy) (?:struck|hit|bombed|pounded)\b"
        r"|\b(?:aircraft|jets) (?:struck|hit|bombed|targeted)\b"
        r"|\bunmanned (?:aerial |combat )?(?:aircraft|vehicles?)\b"
        r"|\b(?:aircraft|warplanes?|jets|helicopters?|planes) (?:[\w-]+ ){0,3}"
        r"(?:fired|dropped|bombed|pounded|strafed)\b"
        r"|\bdropped (?:[\w-]+ ){0,2}bombs\b"
        r"|\b(?:by|from) (?:an? |the )?(?:[\w-]+ ){0,2}(?:drones?|warplanes?|aircraft)\b",
        85,
    ),
    _rule(
        "shelling",
        EXPLOSIONS,
        "Shelling/artillery/missile attack",
        r"(?<!tear gas )(?<!tear-gas )(?<!teargas )\bshell(?:ing|ed|s)\b"
        r"|\bmortars?(?: (?:rounds?|shells?|fire|bombs?))?\b"
        r"|\bartillery\b|\brockets?\b(?![- ]propelled)|\bmissiles?\b|\bprojectiles?\b",
        80,
    ),
    # "stun grenades", "tear gas grenades": crowd control, not a grenade attack; "handed over
    # a grenade launcher": a weapon named, not a grenade thrown
    _rule(
        "grenade",
        EXPLOSIONS,
        "Grenade",
        r"(?<!propelled )(?<!stun )(?<!flash )(?<!smoke )(?<!gas )(?<!flash-bang )\bgrenades?\b"
        r"(?! launchers?)",
        78,
    ),
    _rule(
        "chemical",
        EXPLOSIONS,
        "Chemical weapon",
        r"\bchemical (?:weapons?|attacks?|agents?|munitions|strike)\b|\bsarin\b|\bnerve agents?\b"
        r"|\bchlorine (?:gas|attacks?|bombs?|barrels?)\b|\bmustard gas\b|\btoxic gas attacks?\b"
        r"|\bpoison(?:ous)? gas\b",
        95,
    ),
    _rule(
        "sexual_violence",
        VAC,
        "Sexual violence",
        r"\b(?:gang-)?rap(?:ed|es|ing)?\b|\bsexual(?:ly)? (?:assault(?:ed|s)?|abused?|violence|"
        r"exploitation|slavery)\b|\bsex slaves?\b",
        72,
    ),
    _rule(
        "bombing",
        EXPLOSIONS,
        "Remote explosive/landmine/IED",
        r"\b(?:roadside|car|truck|motorcycle|bicycle|magnetic|sticky|remote[- ]controlled|"
        r"parcel|homemade|home-made|improvised|time|pipe) bombs?\b"
        r"|(?<!petrol )(?<!petrol-)(?<!fire )\bbomb(?:s|ing|ings|ed)?\b"
        r"|\bblasts?\b|\bexplosions?\b|\bexploded\b|\bIEDs?\b"
        r"|\bimprovised explosive devices?\b|\blandmines?\b|\bland mines?\b"
        r"|\bexplosives?[- ](?:laden|packed)\b|\bpacked with explosives\b"
        r"|\bdetonat(?:ed|ing|ion)\b|\bblew up\b",
        75,
    ),
    _rule(
        "abduction",
        VAC,
        "Abduction/forced disappearance",
        r"\bkidnap(?:ped|ping|pings|pers|s)?\b|\babduct(?:ed|ion|ions|ing|s)?\b"
        r"|\btaken hostage\b|\bheld hostage\b|\bhostage[- ]taking\b|\btook (?:\w+ )?hostages?\b"
        r"|\b(?:were|was) taken (?:from|away)\b|\bseized (?:\w+ ){0,3}hostages?\b"
        # "the workers were seized by militiamen": people seized, not weapons or a town
        r"|\b(?:soldiers|workers|nationals|people|civilians|villagers|students|schoolgirls|girls"
        r"|boys|women|children|men|passengers|tourists|journalists|officers|policemen|engineers"
        r"|missionaries|priests|crew(?: members)?|he|she|they) (?:were|was|had been|have been)"
        r" seized\b",
        70,
    ),
    _rule(
        "territory_gov",
        BATTLES,
        "Government regains territory",
        r"\brecaptur(?:ed|e|ing)\b|\bretook\b|\bretaken\b|\bregain(?:ed|s)? control\b"
        r"|\bliberated\b|\bwrested (?:back )?control\b",
        68,
    ),
    _rule(
        "territory_nsa",
        BATTLES,
        "Non-state actor overtakes territory",
        r"\boverr(?:an|un)\b|\b(?:seized|captured|took|taken|take) (?:full )?control of\b"
        r"|\b(?:seized|captured|stormed and took) (?:on \w+ )?(?:the |a )?(?:[\w-]+ ){0,2}"
        r"(?:town|village|city|district|base|area|border crossing|neighbou?rhood|hill|airport|"
        r"highway|road|checkpoint|province|region|territory|positions?)\b",
        66,
    ),
    _rule(
        "clash",
        BATTLES,
        "Armed clash",
        r"\bclash(?:es|ed|ing)?\b|\bfighting\b|\bfought\b|\bgun ?battles?\b|\bfirefights?\b"
        r"|\bexchange(?:d)? (?:of )?fire\b|\bbattle(?:d|s)?\b|\bskirmish(?:es|ed)?\b"
        r"|\brepel(?:led|s)?\b|\brepuls(?:ed|e)\b|\bambush(?:ed|es)?\b|\binfighting\b"
        r"|\bshootout\b|\brocket[- ]propelled grenades?\b|\bRPGs?\b",
        60,
    ),
    _rule(
        "attack",
        VAC,
        "Attack",
        r"\bshot dead\b|\bgunned down\b|\bopened fire\b|\bshot and (?:killed|wounded|injured)\b"
        # "shot down a drone": an interception, which ACLED does not code as an attack
        r"|\bshooting\b(?! down)|\bshot\b(?! down)|\bstorm(?:ed|ing)\b|\battack(?:ed|s|ing|ers?)?\b"
        r"|\bassault(?:ed|s)?\b|\bmassacre(?:d|s)?\b|\bbehead(?:ed|ing|ings)\b"
        r"|\bstabb(?:ed|ing)\b|\bassassinat(?:ed|ion|ions)\b|\bhacked to death\b"
        r"|\bkill(?:ed|ing|ings)\b|\bexecuted\b|\bmurder(?:ed|s)?\b|\bslain\b|\blynch(?:ed|ing)\b"
        r"|\bpetrol[- ]bomb(?:s|ed|ing)?\b|\bfire[- ]?bomb(?:s|ed|ing)?\b"
        r"|\bmolotov cocktails?\b"
        # "a 30-hour siege of the hotel": gunmen holding a building; "under siege" is a state,
        # and "forces ended the siege" tells its end, not the attack
        r"|(?<!under )(?<!under a )(?<!ended a )(?<!ended the )(?<!end the )(?<!end a )"
        r"(?<!lifted the )(?<!broke the )\bsiege\b(?! of (?:the )?(?:city|town))",
        50,
    ),
    # a raid on its own is usually an arrest operation; with killing it is an attack or clash
    _rule("attack", VAC, "Attack", r"\braid(?:ed|s|ing)?\b", 30),
    _rule(
        "riot",
        "Riots",
        "Violent demonstration",
        r"\briot(?:s|ers|ing|ed)?\b|\bstone[- ]?pelting\b|\bpelted\b|\bset fire to\b"
        r"|\btorched\b|\bset ablaze\b|\bvandali[sz]ed\b|\bmob\b",
        45,
    ),
    _rule(
        "protest",
        "Protests",
        "Peaceful protest",
        r"\bprotest(?:s|ed|ers|ors|ing)?\b|\bdemonstrat(?:ion|ions|ors|ed)\b|\brall(?:y|ies|ied)\b"
        r"|\bsit-ins?\b|\bstaged a march\b"
        r"|\b(?:protesters|demonstrators|crowds?|thousands|hundreds|residents|students|"
        r"supporters|women|workers|activists|mourners) (?:\w+ ){0,2}marched\b"
        r"|\bstrikes? by\b|\bwent on strike\b"
        r"|\bblocked (?:a |the )?(?:main )?(?:road|highway)\b",
        40,
    ),
    _rule(
        "disrupted",
        STRATEGIC,
        "Disrupted weapons use",
        r"\bdefused\b|\bfoiled\b|\bthwarted\b|\bdisrupted (?:a|the) (?:plot|attack)\b"
        r"|\bdismantled (?:\w+ ){0,3}(?:bomb|device|IED|explosive)s?\b"
        r"|\b(?:seized|found|discovered|intercepted|recovered|confiscated|uncovered|unearthed) "
        r"(?:[\w-]+ ){0,6}(?:explosives?|explosive devices?|weapons|arms|ammunition|suicide vests?|"
        r"belts?|IEDs?|caches?|bomb-making|rockets|grenades|landmines|mines)\b"
        r"|\b(?:caches?|explosives?|devices?|IEDs?|bombs?|weapons|arms|ammunition)\s+"
        r"(?:[\w-]+ ){0,4}(?:was|were) (?:found|discovered|seized|intercepted|defused|recovered|"
        r"confiscated)\b"
        r"|\bbomb[- ]disposal (?:squad|team|unit)s? (?:defused|safely)\b",
        77,  # above the bomb words it usually sits beside ("defused a bomb")
    ),
    _rule(
        "arrests",
        STRATEGIC,
        "Arrests",
        r"\barrest(?:ed|s|ing)?\b|\bdetain(?:ed|s|ing)?\b|\bapprehended\b"
        r"|\btaken into custody\b|\brounded up\b|\bcaptured (?:\w+ ){0,3}(?:suspects|militants|"
        r"commanders?|fighters|members)\b",
        33,
    ),
    _rule(
        "agreement",
        STRATEGIC,
        "Agreement",
        # the act of agreeing, not every mention of talks or a ceasefire
        r"\b(?:signed|agreed|reached|struck|brokered|declared|announced|sealed) (?:[\w-]+ ){0,3}"
        r"(?:cease-?fire|truce|deal|agreement|accord|pact|memorandum)s?\b"
        r"|\b(?:cease-?fire|truce) (?:took effect|came into (?:force|effect)|began|was agreed)\b"
        r"|\bagreed to (?:a |an )?(?:cease-?fire|truce|exchange|swap|release|withdraw)\b"
        r"|\bprisoner (?:swap|exchange)\b",
        30,
    ),
    _rule(
        "base",
        STRATEGIC,
        "Headquarters or base established",
        r"\b(?:set up|established|opened|built|inaugurated) (?:a |an |its |the )?(?:new )?"
        r"(?:[\w-]+ )?(?:military |joint |operational |observation |security )?"
        r"(?:base|headquarters|camp|outpost|post|point|position)s?\b"
        r"|\b(?:base|headquarters|outpost|observation (?:post|point))s? (?:was|were) "
        r"(?:set up|established|opened)\b",
        32,
    ),
    _rule(
        "looting",
        STRATEGIC,
        "Looting/property destruction",
        r"\bloot(?:ed|ing)\b|\bransack(?:ed|ing)\b|\b(?:burn(?:ed|t)|destroyed|razed) (?:down )?"
        r"(?:\w+ ){0,2}(?:houses|homes|shops|villages?|farms|crops|wells)\b",
        31,
    ),
    _rule(
        "transfer",
        STRATEGIC,
        "Non-violent transfer of territory",
        r"\bwithdr(?:ew|awn|awal)\b|\bpulled out\b|\bhanded over (?:control|the base|the town)\b",
        20,
    ),
)

# Phrases that look like triggers but are not events.
FIGURATIVE = re.compile(
    r"\b(?:heart|panic|asthma|anxiety|cyber|verbal|personal) attacks?\b"
    r"|\battack(?:s|ed)? (?:on|against) (?:the |his |her |their )?(?:budget|plan|policy|policies|"
    r"proposal|bill|press|media|reforms?|democracy|rights|character|record|economy|spending|"
    r"opposition's|government's (?:plan|policy|budget))\b"
    r"|\bbox[- ]office\b|\bphoto[- ]?bomb|\bbombshell\b|\bbath bombs?\b|\bsex bomb\b"
    r"|\bshot (?:over|on location|in (?:black|colou?r|studio))\b|\bphoto ?shoot\b"
    r"|\bshooting (?:star|guard|schedule|script|range)\b|\bexplosive (?:set pieces?|growth|"
    r"performance|debate|revelations?|report)\b|\bfires? all its ammunition\b"
    r"|\bbattle (?:of wits|for votes|against (?:inflation|cancer|obesity|covid|the virus))\b"
    r"|\bprice war\b|\bbudget battle\b|\blegal battle\b|\bcourt battle\b",
    FLAGS,
)
FICTION = re.compile(
    r"\b(?:film|films|movie|movies|thriller|cinema|cinemas|novel|documentary|premiere|screenplay|"
    r"box office|director|actor|actress|sitcom|TV series|video game|play|stage show|plot twist|"
    r"fictional|imaginary|fictitious|subplot)\b",
    FLAGS,
)
HYPOTHETICAL = re.compile(
    r"\b(?:threaten(?:ed|s)? to|could|would|might|may|plans? to|planned to|planning to|"
    r"vow(?:ed|s)? to|warn(?:ed|s)? (?:of|that)|if|will|intend(?:ed|s)? to|preparing to|"
    r"was to|were to|aimed to|hoping to|fear(?:ed|s)? (?:that|of)|feared|risk of|"
    r"(?:a|the) plot to|plotting to|discuss(?:ed|ing|es)?|consider(?:ed|ing|s)?|"
    r"call(?:ed|ing|s)? for|propos(?:ed|ing|es))\b",
    FLAGS,
)
HABITUAL = re.compile(
    r"\brepeated (?:\w+ )?(?:attacks|raids|bombings|assaults|strikes|ambushes)\b"
    r"|\b(?:has|have) been (?:fighting|battling|attacking|targeting)\b"
    r"|\b(?:regularly|repeatedly|routinely|frequently|often|habitually|has long|have long|"
    r"over the years|in the past (?:decade|\w+ years|year)|in recent years|for years|"
    r"since (?:the )?(?:1[89]\d\d|20\d\d)|campaign of|wave of|history of|notorious for|"
    r"known for|has carried out|have carried out|has killed|have killed|have been killed|"
    r"has been killed|are blamed for|is blamed for|has waged|have waged|insurgency that|"
    r"up to [\d,]+ people in the|a string of|a series of|a spate of|scores of attacks|"
    r"has repeatedly|have been targeted|are often|is often|continue(?:d|s)? in the|"
    r"ha(?:s|ve) intensified|ha(?:s|ve) escalated|ha(?:s|ve) continued|"
    r"coalition fighting|forces fighting|groups fighting|militias fighting|"
    r"(?:months|years|decades|weeks) of|for (?:(?:more than|over|nearly|almost|about) )?"
    r"(?:\w+ )(?:years|decades)|stepped up|regular (?:\w+ )?(?:attacks|raids|bombings|clashes)|"
    r"ha(?:s|ve) fought|since (?:early |late |mid-)?(?:January|February|March|April|May|June|"
    r"July|August|September|October|November|December|last year|the start of)|"
    r"(?:second|third|fourth|fifth|sixth|seventh|\w+th) (?:[\w-]+ ){0,3}(?:attack|bombing|"
    r"assault|raid|incident|blast) (?:[\w-]+ ){0,8}(?:since|this year|this month))\b",
    FLAGS,
)
COMMEMORATION = re.compile(
    r"\b(?:anniversary|commemorat\w*|memorial|marked \w+ years since|years after the)\b", FLAGS
)
# A definite reference to an incident already told ("the attack", "that bombing").
ORDINAL_BEFORE = re.compile(
    r"\b(?:first|second|third|fourth|fifth|another|other|new|separate)\s+(?:[\w-]+\s+)?$", FLAGS
)
DEFINITE_BEFORE = re.compile(
    r"(?:\b(?:the|that|this|these|those|its|their|his|her|same|latest|last week's|"
    r"\w+day's|yesterday's|recent|previous|earlier|both)\s+"
    r"(?:[\w-]+(?:'s|’s)?\s+){0,2})$",
    FLAGS,
)


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    rule: TriggerRule
    start: int  # offsets into the article text
    end: int
    text: str
    definite: bool  # "the attack" / "that bombing": likely a reference to a told incident


TERRITORY_FAMILIES = frozenset({"territory_nsa", "territory_gov"})
TERRITORY_PAST_VERBS = frozenset({"overran", "overrun", "retook", "retaken"})


def _is_verb(trigger: str, family: str) -> bool:
    """A verb told after "the militants" is news, not a reference back to a told incident."""
    words = trigger.lower().split()
    if words[-1].endswith("ed"):
        return True
    # "seized the town", "took control of", "overran": a taking of ground
    return family in TERRITORY_FAMILIES and (
        (len(words) > 1 and words[0] != "control") or words[0] in TERRITORY_PAST_VERBS
    )


def find_triggers(sentence: str, offset: int = 0) -> list[TriggerMatch]:
    """Non-overlapping trigger matches in one sentence, most specific rule first."""
    taken: list[tuple[int, int]] = []
    found: list[TriggerMatch] = []
    for rule in sorted(RULES, key=lambda r: -r.priority):
        for match in rule.pattern.finditer(sentence):
            start, end = match.span()
            if any(start < e and end > s for s, e in taken):
                continue
            taken.append((start, end))
            before = sentence[max(0, start - 40) : start]
            found.append(
                TriggerMatch(
                    rule,
                    offset + start,
                    offset + end,
                    match.group(0),
                    # "the attack" is a reference; "that killed" is a relative clause and
                    # "the second bomber" a new incident
                    bool(DEFINITE_BEFORE.search(before))
                    and not _is_verb(match.group(0), rule.family)
                    and not ORDINAL_BEFORE.search(before),
                )
            )
    return sorted(found, key=lambda t: t.start)


# "..., the latest in a wave of mass kidnappings": this incident, placed in its series
LATEST_IN_SERIES = re.compile(
    r"\b(?:the )?latest (?:\w+ ){0,2}in (?:a|an) (?:\w+ )?(?:wave|string|series|spate|spree) of\b",
    FLAGS,
)


def non_event_reason(sentence: str, article_is_fiction: bool) -> str | None:
    """Why the triggers of this sentence do not report a real, specific incident (or None)."""
    if article_is_fiction:
        return "fiction"
    if FIGURATIVE.search(sentence):
        return "figurative"
    if COMMEMORATION.search(sentence):
        return "commemoration"
    if HABITUAL.search(LATEST_IN_SERIES.sub(" ", sentence)):
        return "habitual"
    return None


def is_hypothetical(sentence: str, trigger_start: int) -> bool:
    """A threat, plan or conditional governs the trigger: look in the words just before it."""
    window = sentence[max(0, trigger_start - 60) : trigger_start]
    return bool(HYPOTHETICAL.search(window))


def article_is_fiction(text: str) -> bool:
    """Reviews and culture pieces: several fiction words across the article."""
    return len(FICTION.findall(text)) >= 4
