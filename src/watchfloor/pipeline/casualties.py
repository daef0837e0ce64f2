"""Parse casualty counts and find killed/injured figures in news sentences.

A figure counts only when it is tied to a kill or injure word inside the same clause: either
the word governs it ("killed 5 people", "wounding at least 30 others", "left 3 dead"), or the
figure is the subject of a passive or intransitive form ("5 people were killed", "two soldiers
and a policeman died", "12 dead"), also across a phrase that describes the victims ("a soldier
who was on patrol was killed", "5 soldiers patrolling the area were killed"), or it is the
value of a death toll ("the death toll rose to 20"), a list of the dead ("among the dead were 3
children") or a force's loss ("the army lost 5 soldiers"). "Was shot" alone says nothing of the
outcome and is not read; "suffered 7 casualties" lumps dead and wounded and is skipped.
Everything else with a number in it (dates, ages, distances, money, counts of vaccinated
children) is ignored because no such link exists.

Vague quantities follow ACLED's conservative reading: the best estimate is the lowest figure
the words allow ("more than 20" -> 20, "dozens" -> 12, "between 10 and 15" -> 10).

The matcher works on a light tokenisation with hand-written rules, not a parser, so it is fast
and deterministic; it does not follow figures across sentences. ``attackers`` is True only
when the counted noun itself names attackers ("three militants were killed", "the bomber
died"); a figure that merely *includes* attackers ("killing 12 people including two attackers")
is one mention of 12 with ``attackers`` False.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from number_parser import parse_number

Kind = Literal["killed", "injured"]

__all__ = ["CasualtyMention", "Count", "find_casualties", "parse_count"]


@dataclass(frozen=True, slots=True)
class Count:
    """A reported number of people: bounds when the text gives them, and a conservative best."""

    low: int | None
    best: int | None
    high: int | None
    qualifier: str | None


@dataclass(frozen=True, slots=True)
class CasualtyMention:
    """One killed or injured figure with the span of the phrase that states it."""

    kind: Kind
    count: Count
    start: int
    end: int
    text: str
    victims: str | None
    attackers: bool


# --------------------------------------------------------------------------- vocabulary


def _words(spaced: str) -> frozenset[str]:
    """A word list written as one spaced string, which keeps long vocabularies readable."""
    return frozenset(spaced.split())


_NUMBER_WORDS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion"
)
_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

# (words, name, semantics): lower = "at least n", upper = "at most about n",
# below = "fewer than n" (no usable best), approx = "about n", exact = plain n.
_QUALIFIERS: tuple[tuple[tuple[str, ...], str | None, str], ...] = tuple(
    sorted(
        [
            (("at", "least"), "at least", "lower"),
            (("no", "fewer", "than"), "no fewer than", "lower"),
            (("no", "less", "than"), "no less than", "lower"),
            (("not", "less", "than"), "no less than", "lower"),
            (("more", "than"), "more than", "lower"),
            (("over",), "over", "lower"),
            (("upwards", "of"), "upwards of", "lower"),
            (("in", "excess", "of"), "more than", "lower"),
            (("a", "minimum", "of"), "at least", "lower"),
            (("just", "over"), "over", "lower"),
            (("well", "over"), "over", "lower"),
            (("nearly",), "nearly", "upper"),
            (("almost",), "almost", "upper"),
            (("up", "to"), "up to", "upper"),
            (("as", "many", "as"), "as many as", "upper"),
            (("close", "to"), "nearly", "upper"),
            (("at", "most"), "at most", "upper"),
            (("a", "maximum", "of"), "at most", "upper"),
            (("just", "under"), "nearly", "upper"),
            (("fewer", "than"), "fewer than", "below"),
            (("less", "than"), "fewer than", "below"),
            (("under",), "fewer than", "below"),
            (("about",), "about", "approx"),
            (("around",), "around", "approx"),
            (("some",), "some", "approx"),
            (("roughly",), "roughly", "approx"),
            (("approximately",), "approximately", "approx"),
            (("an", "estimated"), "an estimated", "approx"),
            (("estimated",), "an estimated", "approx"),
            (("a", "total", "of"), None, "exact"),
            (("all",), None, "exact"),
            (("only",), None, "exact"),
            (("just",), None, "exact"),
            (("exactly",), None, "exact"),
            (("another",), "another", "exact"),
            (("a", "further"), "another", "exact"),
            (("an", "additional"), "another", "exact"),
        ],
        key=lambda q: -len(q[0]),
    )
)

# Plural magnitudes: the conservative reading is the unit itself ("dozens" -> 12).
_MAGNITUDES = {
    "dozens": 12,
    "scores": 20,
    "tens": 10,
    "hundreds": 100,
    "thousands": 1000,
    "millions": 1_000_000,
}
_FEW = (("a", "handful", "of"), ("a", "handful"), ("a", "few"), ("several",))
_UNKNOWN = (
    ("a", "number", "of"),
    ("a", "lot", "of"),
    ("lots", "of"),
    ("many",),
    ("numerous",),
    ("multiple",),
    ("countless",),
    ("some",),
)
_PAIRS = (("a", "couple", "of"), ("a", "couple"), ("a", "pair", "of"), ("both",))


def _forms(*pairs: str) -> dict[str, bool]:
    """Map 'singular/plural' spellings to whether the form is singular."""
    table: dict[str, bool] = {}
    for pair in pairs:
        singular, _, plural = pair.partition("/")
        if singular:
            table[singular] = True
        if plural:
            table.setdefault(plural, False)
    return table


_ATTACKER_NOUNS = _forms(
    "attacker/attackers",
    "militant/militants",
    "gunman/gunmen",
    "insurgent/insurgents",
    "fighter/fighters",
    "bomber/bombers",
    "assailant/assailants",
    "terrorist/terrorists",
    "jihadist/jihadists",
    "jihadi/jihadis",
    "extremist/extremists",
    "rebel/rebels",
    "kidnapper/kidnappers",
    "bandit/bandits",
    "infiltrator/infiltrators",
    "raider/raiders",
    "perpetrator/perpetrators",
    "shooter/shooters",
    "hijacker/hijackers",
    "/taliban",
)
_PERSON_NOUNS = {
    **_forms(
        "person/people",
        "/persons",
        "civilian/civilians",
        "soldier/soldiers",
        "/troops",
        "trooper/troopers",
        "policeman/policemen",
        "policewoman/policewomen",
        "/police",
        "officer/officers",
        "constable/constables",
        "cop/cops",
        "guard/guards",
        "/personnel",
        "member/members",
        "child/children",
        "kid/kids",
        "boy/boys",
        "girl/girls",
        "woman/women",
        "man/men",
        "student/students",
        "pupil/pupils",
        "teacher/teachers",
        "worshipper/worshippers",
        "worshiper/worshipers",
        "villager/villagers",
        "resident/residents",
        "passenger/passengers",
        "protester/protesters",
        "protestor/protestors",
        "demonstrator/demonstrators",
        "pilgrim/pilgrims",
        "tourist/tourists",
        "journalist/journalists",
        "reporter/reporters",
        "worker/workers",
        "farmer/farmers",
        "herder/herders",
        "herdsman/herdsmen",
        "shepherd/shepherds",
        "fisherman/fishermen",
        "miner/miners",
        "driver/drivers",
        "trader/traders",
        "shopkeeper/shopkeepers",
        "customer/customers",
        "bystander/bystanders",
        "pedestrian/pedestrians",
        "patient/patients",
        "doctor/doctors",
        "nurse/nurses",
        "vaccinator/vaccinators",
        "official/officials",
        "leader/leaders",
        "commander/commanders",
        "chief/chiefs",
        "elder/elders",
        "cleric/clerics",
        "imam/imams",
        "priest/priests",
        "monk/monks",
        "nun/nuns",
        "relative/relatives",
        "/others",
        "victim/victims",
        "militiaman/militiamen",
        "recruit/recruits",
        "cadet/cadets",
        "sailor/sailors",
        "airman/airmen",
        "marine/marines",
        "paramilitary/paramilitaries",
        "hostage/hostages",
        "prisoner/prisoners",
        "inmate/inmates",
        "detainee/detainees",
        "suspect/suspects",
        "robber/robbers",
        "pirate/pirates",
        "poacher/poachers",
        "smuggler/smugglers",
        "combatant/combatants",
        "jawan/jawans",
        "serviceman/servicemen",
        "servicemember/servicemembers",
        "peacekeeper/peacekeepers",
        "contractor/contractors",
        "employee/employees",
        "/staff",
        "/forces",
        "volunteer/volunteers",
        "youth/youths",
        "infant/infants",
        "baby/babies",
        "toddler/toddlers",
        "teenager/teenagers",
        "adult/adults",
        "wife/wives",
        "husband/husbands",
        "son/sons",
        "daughter/daughters",
        "brother/brothers",
        "sister/sisters",
        "father/fathers",
        "mother/mothers",
        "mayor/mayors",
        "governor/governors",
        "lawmaker/lawmakers",
        "politician/politicians",
        "candidate/candidates",
        "councillor/councillors",
        "councilor/councilors",
        "judge/judges",
        "lawyer/lawyers",
        "activist/activists",
        "supporter/supporters",
        "christian/christians",
        "muslim/muslims",
        "hindu/hindus",
        "jew/jews",
        "kurd/kurds",
        "turk/turks",
        "hazara/hazaras",
        "/rohingya",
        "local/locals",
        "occupant/occupants",
        "guest/guests",
        "spectator/spectators",
        "player/players",
        "mourner/mourners",
        "commuter/commuters",
        "voter/voters",
        "agent/agents",
        "ranger/rangers",
        "security/",
        "individual/individuals",
        "national/nationals",
        "foreigner/foreigners",
        "migrant/migrants",
        "refugee/refugees",
        "citizen/citizens",
        "casualty/",
    ),
    # Titles and trades that head victim phrases in news copy ("a district commissioner").
    **_forms(
        *_words(
            """commissioner/commissioners administrator/administrators inspector/inspectors
        sergeant/sergeants captain/captains colonel/colonels lieutenant/lieutenants
        corporal/corporals commando/commandos gendarme/gendarmes deputy/deputies
        minister/ministers chairman/chairmen chairwoman/chairwomen president/presidents
        director/directors engineer/engineers technician/technicians manager/managers
        headmaster/headmasters surgeon/surgeons medic/medics paramedic/paramedics
        firefighter/firefighters rescuer/rescuers bodyguard/bodyguards watchman/watchmen
        predecessor/predecessors successor/successors
        tribesman/tribesmen senator/senators legislator/legislators diplomat/diplomats
        ambassador/ambassadors envoy/envoys spokesman/spokesmen spokeswoman/spokeswomen
        editor/editors photographer/photographers cameraman/cameramen blogger/bloggers
        professor/professors lecturer/lecturers businessman/businessmen
        businesswoman/businesswomen merchant/merchants vendor/vendors labourer/labourers
        laborer/laborers pastor/pastors bishop/bishops preacher/preachers
        missionary/missionaries sheikh/sheikhs mullah/mullahs chieftain/chieftains
        warlord/warlords thief/thieves"""
        )
    ),
    **_ATTACKER_NOUNS,
}
_PERSON_NOUNS.pop("security", None)
_PERSON_NOUNS.pop("casualty", None)
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ans?|is|i|ese|ites?)")
_YEAR_OLD = re.compile(r"(?:\d+|[a-z]+(?:-[a-z]+)?)-years?-olds?")

# Words after a number that show it counts something other than people.
_NOT_PEOPLE = _words(
    """years year yrs months month weeks week days day hours hour hrs minutes minute mins
    seconds second km kms kilometres kilometers kilometre kilometer miles mile metres meters
    metre meter m ft feet foot yards yard inches percent per pct % pm am o'clock times
    dollars usd rupees euros pounds naira shillings birr afghanis dinars rials pesos yuan cents
    tons tonnes kg kilograms kilos litres liters storeys stories floors acres hectares
    cattle cows goats sheep camels livestock animals dogs donkeys horses birds chickens
    houses homes buildings shops stores vehicles cars trucks buses tanks aircraft planes
    helicopters drones rockets missiles mortars shells rounds bullets bombs grenades mines
    ieds weapons guns rifles attacks raids incidents villages towns cities districts
    provinces states countries schools churches mosques temples hospitals cases doses votes
    seats points th st nd rd degrees"""
)
_MONTH_NAMES = _words(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)
_BAD_BEFORE_NUMBER = _words(
    """$ £ € ¥ rs no number aged age ages page pages article resolution section chapter route
    highway road flight room gate sector block phase camp level grade class unit battalion
    brigade division regiment corps paragraph clause item verse"""
)

# past forms that say how someone was killed once "to death" follows
_TO_DEATH_PAST = ("hacked", "stabbed", "beaten", "beat", "shot", "clubbed", "burned", "bludgeoned")

_ACTIVE: tuple[tuple[tuple[str, ...], Kind], ...] = tuple(
    sorted(
        [
            ((w,), "killed")
            for w in (
                "kill",
                "kills",
                "killed",
                "killing",
                "slew",
                "slays",
                "slaying",
                "murdered",
                "murdering",
                "massacred",
                "massacring",
                "slaughtered",
                "slaughtering",
                "executed",
                "executing",
                "beheaded",
                "beheading",
                "assassinated",
                "assassinating",
                "lynched",
                "lynching",
            )
        ]
        + [((w, "dead"), "killed") for w in ("shot", "shooting", "shoots", "shooting")]
        + [((w, "down"), "killed") for w in ("gunned", "gunning", "guns")]
        + [((w, "alive"), "killed") for w in ("burned", "burnt", "burning")]
        # "hacking to death six civilians", "hacked and shot to death 14 villagers"
        + [
            ((w, "to", "death"), "killed")
            for w in (
                "hacking",
                "stabbing",
                "beating",
                "clubbing",
                "burning",
                "bludgeoning",
                *_TO_DEATH_PAST,
            )
        ]
        + [((v, "and", w, "to", "death"), "killed") for v in _TO_DEATH_PAST for w in _TO_DEATH_PAST]
        + [
            ((w, "the", "lives", "of"), "killed")
            for w in ("claimed", "claiming", "claims", "took", "taking", "cost", "costing")
        ]
        + [
            ((w, "of"), "killed")
            for w in (
                "killing",
                "killings",
                "deaths",
                "death",
                "murder",
                "murders",
                "massacre",
                "execution",
                "executions",
                "beheading",
                "assassination",
                "bodies",
                "remains",
            )
        ]
        + [
            ((w,), "injured")
            for w in (
                "wounded",
                "wounding",
                "wounds",
                "wound",
                "injured",
                "injuring",
                "injures",
                "injure",
                "hurt",
                "hurting",
                "maimed",
                "maiming",
            )
        ]
        + [(("wounding", "of"), "injured")],
        key=lambda t: -len(t[0]),
    )
)

# "shot and wounded": a first verb that says nothing of the outcome, then one that does.
# "was shot" alone stays unread, since the outcome is unknown until "dead" or "wounded".
_BEFORE_AND = (
    "shot",
    "stabbed",
    "attacked",
    "beaten",
    "hacked",
    "ambushed",
    "tortured",
    "abducted",
    "kidnapped",
    "captured",
    "seized",
)
_OUTCOMES: dict[str, Kind] = {
    "killed": "killed",
    "murdered": "killed",
    "wounded": "injured",
    "injured": "injured",
    "hurt": "injured",
}
_DEGREES = _words("seriously critically badly severely gravely slightly lightly fatally mortally")
_FATAL = frozenset({"fatally", "mortally"})

# (words, kind, transitive): a transitive participle without an auxiliary must not be
# followed by an object, or "three gunmen killed two soldiers" would count the gunmen.
_PASSIVE: tuple[tuple[tuple[str, ...], Kind, bool], ...] = tuple(
    sorted(
        [
            ((w,), "killed", True)
            for w in (
                "killed",
                "murdered",
                "massacred",
                "executed",
                "beheaded",
                "assassinated",
                "lynched",
                "slaughtered",
            )
        ]
        + [(("shot", "dead"), "killed", True), (("gunned", "down"), "killed", True)]
        + [((w, "alive"), "killed", True) for w in ("burned", "burnt")]
        + [((v, "and", w), kind, True) for v in _BEFORE_AND for w, kind in _OUTCOMES.items()]
        + [
            ((v, "and", a, w), "killed" if a in _FATAL else "injured", True)
            for v in _BEFORE_AND
            for a in _DEGREES
            for w in ("wounded", "injured")
        ]
        + [
            ((w,), "killed", False)
            for w in (
                "slain",
                "died",
                "die",
                "dies",
                "dead",
                "perished",
                "succumbed",
                "deaths",
                "fatalities",
                "bodies",
                "corpses",
            )
        ]
        + [
            ((w, "to", "death"), "killed", False)
            for w in (
                "stabbed",
                "burned",
                "burnt",
                "hacked",
                "beaten",
                "shot",
                "crushed",
                "bludgeoned",
            )
        ]
        + [(("lost", "their", "lives"), "killed", False), (("lost", "lives"), "killed", False)]
        + [(("lost", w, "life"), "killed", False) for w in ("his", "her")]
        + [((w,), "injured", True) for w in ("wounded", "injured", "hurt", "maimed")]
        + [((w,), "injured", False) for w in ("hospitalised", "hospitalized", "injuries")]
        + [
            ((v, n), "injured", False)
            for v in ("sustained", "suffered", "received")
            for n in ("injuries", "wounds")
        ]
        + [
            ((v, a, n), "injured", False)
            for v in ("sustained", "suffered", "received")
            for a in (
                "serious",
                "minor",
                "critical",
                "severe",
                "gunshot",
                "bullet",
                "shrapnel",
                "multiple",
                "life-threatening",
                "burn",
                "slight",
            )
            for n in ("injuries", "wounds")
        ],
        key=lambda t: -len(t[0]),
    )
)
_NOUN_TRIGGERS = frozenset({"deaths", "fatalities", "bodies", "corpses", "injuries"})
_BOTH_IF_ZERO = frozenset({"hurt", "harmed"})

_AUX = _words(
    """were was is are be been being have has had got get gets also all both each reportedly
    reported allegedly later subsequently since so far now already initially confirmed
    believed feared thought said understood known presumed to then eventually who critically
    seriously severely gravely fatally mortally slightly lightly badly grievously left
    apparently likely"""
)
_TRUE_AUX = _words("were was is are be been being have has had got get gets left")
_AFTER_PARTICIPLE = _words(
    """and in on at when after during as by while following near since inside outside across
    along amid before over under with were was are is have has had from into within
    throughout earlier later yesterday today overnight last this early late or but monday
    tuesday wednesday thursday friday saturday sunday"""
)
_SAYING = _words(
    """said reported confirmed announced stated added noted revealed disclosed claimed
    told warned insisted explained tweeted according saying adding noting confirming
    stating reporting claiming"""
)
_INCLUDING = frozenset({"including", "among", "mostly", "mainly", "most", "many", "incl"})
_STOP = _words(
    """a an the this that these those his her their its our my your of to in on at by for from
    with into near during after before when while as including among between inside outside
    over under and or but nor not no were was is are be been being have has had will would
    could should may might must can who whom which whose what he she they it them we us i
    there here than then also all both each every some any more most many few several such
    same other another so if because since until"""
)
# "abducted" or "seriously" say nothing of casualties on their own ("4 abducted men").
_TRIGGER_WORDS = frozenset(
    w
    for table in (_ACTIVE, _PASSIVE)
    for entry in table
    for w in entry[0]
    if w not in _STOP and w not in _DEGREES and (w == "shot" or w not in _BEFORE_AND)
) | {"dead", "died", "killed", "wounded", "injured", "hurt", "left", "leaving", "toll"}
_ZERO_NOUNS: dict[str, tuple[Kind, ...]] = {
    "casualties": ("killed", "injured"),
    "deaths": ("killed",),
    "fatalities": ("killed",),
    "dead": ("killed",),
    "injuries": ("injured",),
    "injured": ("injured",),
    "wounded": ("injured",),
}
_ZERO_ADJECTIVES = _words(
    "immediate reported known other further serious major confirmed human civilian military"
)
_TOLL_HEADS: tuple[tuple[tuple[str, ...], Kind], ...] = tuple(
    sorted(
        [
            (("death", "toll"), "killed"),
            (("fatality", "toll"), "killed"),
            (("the", "toll"), "killed"),
        ]
        + [(("number", "of", w), "killed") for w in ("dead", "deaths", "fatalities")]
        + [(("number", "of", p, "killed"), "killed") for p in ("people", "those", "persons")]
        + [(("number", "killed"), "killed")]
        + [(("number", "of", w), "injured") for w in ("injured", "wounded", "injuries")]
        + [
            (("number", "of", p, w), "injured")
            for p in ("people", "those", "persons")
            for w in ("injured", "wounded")
        ],
        key=lambda t: -len(t[0]),
    )
)
_TOLL_LINKS = _words("to at of reached hit is was stands stood passed exceeded topped surpassed")
_SENTENCE_END = frozenset({".", ";", "!", "?"})

# A phrase between a victim and its verb ("a soldier who was on patrol was killed") opens
# with a relative pronoun, a preposition or a participle, and ends at a clause boundary.
_PHRASE_PREPOSITIONS = _words(
    "on at in from of with near inside outside aboard along across behind by"
)
_PHRASE_BREAKS = _words(
    """where when while whereas after before because since until unless if although though
    whose whom which who that what he she they we i you it but"""
)
_PHRASE_SPAN = 12
# Irregular participles that open such a phrase ("two civilians caught in the crossfire").
_IRREGULAR_PARTICIPLES = _words("caught held taken sent found kept hit struck trapped driven")
# Verbs that need no auxiliary after such a phrase: "a soldier on patrol later died".
_BARE_VERBS = frozenset({"died", "die", "dies", "perished", "succumbed", "lost"})
_ARTICLES = _words("a an the his her their its another")
_SINGULAR_AUX = _words("was is has")
_PLURAL_AUX = _words("were are have")

# "among the dead were 3 children", "the dead included two policemen".
_VICTIM_SETS: tuple[tuple[tuple[str, ...], Kind], ...] = tuple(
    sorted(
        [(("the", w), "killed") for w in ("dead", "deceased", "slain", "fatalities")]
        + [(("those", w), "killed") for w in ("killed", "slain", "murdered")]
        + [(("those", "who", w), "killed") for w in ("died", "perished")]
        + [(("the", w), "injured") for w in ("injured", "wounded")]
        + [(("those", w), "injured") for w in ("injured", "wounded", "hurt")],
        key=lambda t: -len(t[0]),
    )
)
_VICTIM_SET_LINKS = _words("included include includes including were are was is")
# "the army lost 5 soldiers": only forces whose loss in fighting means deaths.
_LOSS_VERBS = _words("lost lose loses losing")
_LOSS_NOUNS = _words(
    """soldiers soldier troops trooper troopers policemen policeman police officers officer
    personnel men fighters fighter militants militant insurgents rebels guards servicemen
    serviceman marines sailors airmen jawans commandos peacekeepers militiamen paramilitaries
    gendarmes recruits combatants"""
) | frozenset(_ATTACKER_NOUNS)


# --------------------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"\d+:\d+"
    r"|\d+(?:-[A-Za-z]+)+"
    r"|\d+[-–]\d+(?![\d,])"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])"
    r"|\d+(?:\.\d+)?[A-Za-z]+"
    r"|\d+(?:\.\d+)?"
    r"|(?:[A-Z]\.){2,}"  # "U.S.", "U.N.": one word ("13 U.S. troops")
    r"|[A-Za-z]+(?:[-'’][A-Za-z]+)*"
    r"|\S"
)


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    low: str
    start: int
    end: int


def _tokenize(text: str) -> list[_Tok]:
    return [
        _Tok(m.group(0), m.group(0).lower().replace("’", "'"), m.start(), m.end())
        for m in _TOKEN.finditer(text)
    ]


def _seq_at(toks: Sequence[_Tok], i: int, words: tuple[str, ...]) -> int | None:
    """Index after ``words`` if they occur (lower-cased) at ``i``, else None."""
    if i + len(words) > len(toks):
        return None
    for offset, word in enumerate(words):
        if toks[i + offset].low != word:
            return None
    return i + len(words)


def _low(toks: Sequence[_Tok], i: int) -> str:
    return toks[i].low if 0 <= i < len(toks) else ""


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True, slots=True)
class _Base:
    """What sits in a count slot before qualifiers are applied."""

    kind: Literal["num", "range", "vague", "article", "zero"]
    end: int
    value: int = 0
    high: int = 0
    count: Count | None = None
    digits: bool = False
    needs_noun: bool = False
    singular: bool = False


_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_DECIMAL = re.compile(r"\d+\.\d+")
_DIGIT_RANGE = re.compile(r"(\d+)[-–](\d+)")


def _number_at(toks: Sequence[_Tok], i: int) -> tuple[int, int, bool] | None:
    """A whole number at ``i``: (value, end index, written in digits)."""
    if i >= len(toks):
        return None
    tok = toks[i]
    if _DIGITS.fullmatch(tok.text):
        value = int(tok.text.replace(",", ""))
        if _low(toks, i + 1) in _MULTIPLIERS:
            return value * _MULTIPLIERS[toks[i + 1].low], i + 2, True
        return value, i + 1, True
    if _DECIMAL.fullmatch(tok.text) and _low(toks, i + 1) in _MULTIPLIERS:
        return round(float(tok.text) * _MULTIPLIERS[toks[i + 1].low]), i + 2, True
    if (_seq_at(toks, i, ("half", "a", "dozen"))) is not None:
        return 6, i + 3, False
    words: list[str] = []
    j = i
    if tok.low in ("a", "an") and _low(toks, i + 1) in ("hundred", "thousand", "million", "dozen"):
        words.append("one")
        j += 1
    while j < len(toks):
        parts = toks[j].low.split("-")
        if all(p in _NUMBER_WORDS for p in parts):
            words.extend(parts)
            j += 1
        elif (
            toks[j].low == "and"
            and words
            and words[-1] in _MULTIPLIERS
            and _low(toks, j + 1).split("-")[0] in _NUMBER_WORDS
        ):
            words.append("and")
            j += 1
        else:
            break
    if not words or words[0] in _MULTIPLIERS:
        return None
    value = parse_number(" ".join(words))
    if value is None:
        return None
    if _low(toks, j) == "dozen":
        value, j = value * 12, j + 1
    return int(value), j, False


def _base_at(toks: Sequence[_Tok], i: int) -> _Base | None:
    """The bare count at ``i``: a number, range, vague word or article, without qualifier."""
    if i >= len(toks):
        return None
    low = toks[i].low
    # zero
    if low in ("nobody", "none", "zero") or _seq_at(toks, i, ("no", "one")):
        end = i + 2 if low == "no" else i + 1
        return _Base("zero", end, count=Count(0, 0, 0, None))
    if low == "no":
        return _Base("zero", i + 1, count=Count(0, 0, 0, None), needs_noun=True)
    # between 10 and 15
    if low == "between":
        first = _number_at(toks, i + 1)
        if first and _low(toks, first[1]) == "and":
            second = _number_at(toks, first[1] + 1)
            if second and first[0] < second[0]:
                return _Base("range", second[1], first[0], second[0], digits=first[2])
        return None
    # 10-15 written as one token
    dash = _DIGIT_RANGE.fullmatch(toks[i].text)
    if dash:
        lo, hi = int(dash.group(1)), int(dash.group(2))
        return _Base("range", i + 1, lo, hi, digits=True) if lo < hi else None
    plus = re.fullmatch(r"(\d+)-plus", low)
    if plus:
        value = int(plus.group(1))
        return _Base("vague", i + 1, count=Count(value, value, None, "more than"), digits=True)
    number = _number_at(toks, i)
    if number:
        value, end, digits = number
        # 10 to 15 / two or three
        if _low(toks, end) in ("to", "or", "-", "–"):
            second = _number_at(toks, end + 1)
            if second and value < second[0] and second[2] == digits:
                return _Base("range", second[1], value, second[0], digits=digits)
            if _seq_at(toks, end, ("or", "more")):
                return _Base(
                    "vague", end + 2, count=Count(value, value, None, "more than"), digits=digits
                )
        if _low(toks, end) == "+":
            return _Base(
                "vague", end + 1, count=Count(value, value, None, "more than"), digits=digits
            )
        return _Base("num", end, value, digits=digits)
    # dozens / hundreds of / tens of thousands
    if low in _MAGNITUDES:
        value, end = _MAGNITUDES[low], i + 1
        if _low(toks, end) == "of":
            end += 1
            if _low(toks, end) in ("thousands", "millions", "hundreds"):
                value *= _MAGNITUDES[toks[end].low]
                end += 1
                if _low(toks, end) == "of":
                    end += 1
        return _Base("vague", end, count=Count(value, value, None, low))
    for words in _FEW:
        end = _seq_at(toks, i, words)
        if end is not None:
            name = " ".join(w for w in words if w != "of")
            unit = _low(toks, end)
            if unit in ("dozen", "hundred", "thousand"):
                size = 12 if unit == "dozen" else _MULTIPLIERS[unit]
                end += 2 if _low(toks, end + 1) == "of" else 1
                return _Base("vague", end, count=Count(2 * size, 3 * size, None, name))
            return _Base("vague", end, count=Count(2, 3, None, name))
    for words in _PAIRS:
        end = _seq_at(toks, i, words)
        if end is not None:
            name = None if words == ("both",) else "a couple"
            return _Base("vague", end, count=Count(2, 2, 2, name))
    for words in _UNKNOWN:
        end = _seq_at(toks, i, words)
        if end is not None:
            return _Base("vague", end, count=Count(None, None, None, " ".join(words)))
    if _seq_at(toks, i, ("a", "single")):
        return _Base("article", i + 2, 1, needs_noun=True, singular=True)
    if low in ("a", "an", "the", "his", "her", "another"):
        return _Base("article", i + 1, 1, needs_noun=True, singular=True)
    return None


def _qualified(value: int, name: str | None, semantics: str) -> Count:
    if semantics == "lower":
        return Count(value, value, None, name)
    if semantics == "upper":
        return Count(None, value, value, name)
    if semantics == "below":
        return Count(None, None, value, name)
    if semantics == "approx":
        return Count(None, value, None, name)
    return Count(value, value, value, name)


@dataclass(frozen=True, slots=True)
class _CountHit:
    count: Count
    start: int
    end: int
    digits: bool
    needs_noun: bool
    singular: bool
    raw: int | None  # the bare number, to recognise years


def _count_at(toks: Sequence[_Tok], i: int) -> _CountHit | None:
    """A qualified count starting at token ``i``."""
    for words, name, semantics in _QUALIFIERS:
        end = _seq_at(toks, i, words)
        if end is None:
            continue
        base = _base_at(toks, end)
        if base is None or base.kind in ("article", "zero"):
            continue
        if base.kind == "num":
            return _CountHit(
                _qualified(base.value, name, semantics),
                i,
                base.end,
                base.digits,
                False,
                False,
                base.value,
            )
        if base.kind == "range":
            return _CountHit(
                Count(base.value, base.value, base.high, "between"),
                i,
                base.end,
                base.digits,
                False,
                False,
                None,
            )
        if base.count is not None and base.count.best is not None:
            return _CountHit(
                _qualified(base.count.best, name or base.count.qualifier, semantics),
                i,
                base.end,
                base.digits,
                False,
                False,
                None,
            )
    base = _base_at(toks, i)
    if base is None:
        return None
    if base.kind == "num":
        count = Count(base.value, base.value, base.value, None)
        return _CountHit(count, i, base.end, base.digits, False, False, base.value)
    if base.kind == "range":
        count = Count(base.value, base.value, base.high, "between")
        return _CountHit(count, i, base.end, base.digits, False, False, None)
    if base.kind == "article":
        qualifier = "another" if toks[i].low == "another" else None
        return _CountHit(Count(1, 1, 1, qualifier), i, base.end, False, True, True, None)
    assert base.count is not None
    return _CountHit(base.count, i, base.end, base.digits, base.needs_noun, False, None)


def parse_count(phrase: str) -> Count | None:
    """The count at the start of ``phrase`` ("at least 12", "dozens", "between 10 and 15").

    A bare article ("a", "an") reads as 1; words that are not a count give None.
    """
    toks = _tokenize(phrase)
    if not toks:
        return None
    if toks[0].low == "the":
        return None
    hit = _count_at(toks, 0)
    return hit.count if hit else None


# --------------------------------------------------------------------------- noun phrases


@dataclass(frozen=True, slots=True)
class _NounPhrase:
    end: int
    head: str | None
    text: str | None
    singular: bool
    attacker: bool


def _is_head(tok: _Tok) -> bool:
    return (
        tok.low in _PERSON_NOUNS
        or bool(_YEAR_OLD.fullmatch(tok.low))
        or bool(_DEMONYM.fullmatch(tok.text))
    )


def _head_singular(tok: _Tok) -> bool:
    if tok.low in _PERSON_NOUNS:
        return _PERSON_NOUNS[tok.low]
    if _YEAR_OLD.fullmatch(tok.low):
        return not tok.low.endswith("s")
    return not tok.text.endswith(("s", "ese"))


def _is_modifier(tok: _Tok) -> bool:
    return (
        bool(re.fullmatch(r"[a-z][a-z'-]*|(?:[a-z]\.){2,}", tok.low))
        and tok.low not in _STOP
        and tok.low not in _TRIGGER_WORDS
        and tok.low not in _NOT_PEOPLE
        and tok.low.split("-")[0] not in _NUMBER_WORDS
        and tok.low not in _MAGNITUDES
    )


def _np_at(toks: Sequence[_Tok], text: str, j: int) -> _NounPhrase | None:
    """The counted noun after a number: 'Afghan soldiers', 'police constable', 'of the attackers'.

    Returns a phrase with no head when only 'more' or 'of them' follows, and None when
    nothing noun-like follows.
    """
    k = j
    if _low(toks, k) == "more":
        k += 1
    if _low(toks, k) == "of" and _low(toks, k + 1) in ("them", "whom", "those", "us"):
        return _NounPhrase(k + 2, None, None, False, False)
    if _low(toks, k) == "of" and _low(toks, k + 1) in (
        "the",
        "their",
        "its",
        "his",
        "her",
        "our",
        "these",
    ):
        inner = k + 2
        if inner < len(toks) and _number_at(toks, inner):
            inner = _number_at(toks, inner)[1]  # type: ignore[index]
        phrase = _head_phrase(toks, text, inner)
        if phrase is not None:
            return phrase
        if _low(toks, inner) in ("injured", "wounded", "dead", "victims"):
            return _NounPhrase(inner + 1, None, toks[inner].text, False, False)
        return _NounPhrase(k, None, None, False, False) if k > j else None
    phrase = _head_phrase(toks, text, k)
    if phrase is not None:
        return phrase
    return _NounPhrase(k, None, None, False, False) if k > j else None


def _head_phrase(toks: Sequence[_Tok], text: str, start: int) -> _NounPhrase | None:
    last_head: int | None = None
    m = start + 1 if _low(toks, start) == "other" else start  # "five other fighters"
    while m < len(toks) and m - start < 4:
        if _is_head(toks[m]):
            last_head = m
        elif not _is_modifier(toks[m]) or (
            last_head is not None and toks[m].low.endswith(("ing", "ed"))
        ):
            break  # after a head, "guarding ..." or "based in ..." describes it
        m += 1
    if last_head is None:
        return None
    head = toks[last_head]
    return _NounPhrase(
        last_head + 1,
        head.low,
        text[toks[start].start : head.end],
        _head_singular(head),
        head.low in _ATTACKER_NOUNS,
    )


# --------------------------------------------------------------------------- groups


@dataclass(frozen=True, slots=True)
class _Group:
    count: Count
    start: int
    end: int
    np: _NounPhrase | None


def _bad_context(toks: Sequence[_Tok], hit: _CountHit) -> bool:
    """True when a number is a date, money, an index, a measurement or a year."""
    i, j = hit.start, hit.end
    prev = toks[i - 1] if i > 0 else None
    nxt = toks[j] if j < len(toks) else None
    if hit.digits and prev is not None:
        if prev.low in _BAD_BEFORE_NUMBER or prev.text.rstrip(".") in _MONTH_NAMES:
            return True
        if prev.text in ("/", "-", ":", ".", "#") and i > 1 and toks[i - 2].text[-1].isdigit():
            return True
        if prev.text in ("#", "№"):
            return True
    if nxt is not None:
        if nxt.low in _NOT_PEOPLE or nxt.text in _MONTH_NAMES:
            return True
        if nxt.text in ("/", ":") and _low(toks, j + 1)[:1].isdigit():
            return True
        if nxt.low in ("a", "p") and _low(toks, j + 1) == "." and _low(toks, j + 2) == "m":
            return True
    return False


def _group_at(toks: Sequence[_Tok], text: str, i: int) -> _Group | None:
    """A count with its counted noun ('at least 12 Afghan soldiers'), or None."""
    if i >= len(toks):
        return None
    if toks[i].low in ("the", "all") and i + 1 < len(toks) and _number_at(toks, i + 1):
        i += 1  # "the two soldiers": the figure starts at the number
    hit = _count_at(toks, i)
    if hit is None or _bad_context(toks, hit):
        return None
    np = _np_at(toks, text, hit.end)
    has_head = np is not None and np.head is not None
    if hit.needs_noun and not has_head:
        return None
    if hit.singular and not (np is not None and np.singular):
        return None
    if hit.raw is not None and hit.digits and 1900 <= hit.raw <= 2100 and not has_head:
        return None
    if hit.count.best is not None and hit.count.best > 10_000_000:
        return None
    return _Group(hit.count, i, np.end if np else hit.end, np)


def _group_list(
    toks: Sequence[_Tok], text: str, i: int, *, object_position: bool
) -> list[_Group] | None:
    """'two soldiers and a policeman': conjoined counted nouns, each with its own head.

    In object position a conjunct followed by an auxiliary starts a new clause ("killed two
    soldiers and a policeman was wounded"), so it is left out.
    """
    first = _group_at(toks, text, i)
    groups = [first] if first is not None else _named_one_of(toks, text, i)
    if not groups:
        return None
    while groups[-1].np is not None and groups[-1].np.head is not None:
        k = _past_appositive_name(toks, groups[-1].end)
        if _along_with(toks, k):
            k += 2  # "a commander along with two of his guards"
        elif _low(toks, k) == "," and _low(toks, k + 1) == "and":
            k += 2
        elif _low(toks, k) in (",", "and"):
            k += 1
        else:
            break
        nxt = _person_group_at(toks, text, k)
        if nxt is None or nxt.np is None or nxt.np.head is None:
            break
        if object_position and _low(toks, nxt.end) in _TRUE_AUX:
            break
        if _low(toks, nxt.end) in _SAYING:
            break  # "killing three militants, a Taliban spokesman said": the source, no victim
        groups.append(nxt)
    return groups


def _person_group_at(toks: Sequence[_Tok], text: str, k: int) -> _Group | None:
    return _group_at(toks, text, k) or _possessed_one(toks, text, k)


def _along_with(toks: Sequence[_Tok], k: int) -> bool:
    return _low(toks, k) in ("along", "together") and _low(toks, k + 1) == "with"


def _companions(toks: Sequence[_Tok], text: str, k: int) -> _Group | None:
    """The people counted after 'along with' / 'together with' a victim, with a head noun."""
    if not _along_with(toks, k):
        return None
    group = _person_group_at(toks, text, k + 2)
    return group if group is not None and group.np is not None and group.np.head else None


def _past_appositive_name(toks: Sequence[_Tok], k: int) -> int:
    """'the governor, Mohammad Dawood Muzammil, and two others': the name is the same person,
    so the list goes on after it."""
    if _low(toks, k) != ",":
        return k
    m = k + 1
    while m < len(toks) and m < k + 5 and toks[m].text[:1].isupper():
        m += 1
    return m if m > k + 1 and _low(toks, m) == "," else k


def _possessed_one(toks: Sequence[_Tok], text: str, k: int) -> _Group | None:
    """'ten policemen and their civilian driver' (one more person), 'a judge and his two
    bodyguards' (counted by the number)."""
    if _low(toks, k) not in ("his", "her", "their"):
        return None
    counted = _group_at(toks, text, k + 1)
    if counted is not None:
        return _Group(counted.count, k, counted.end, counted.np)
    np = _np_at(toks, text, k + 1)
    if np is None or np.head is None or not np.singular:
        return None
    return _Group(Count(1, 1, 1, None), k, np.end, np)


def _named_one_of(toks: Sequence[_Tok], text: str, i: int) -> list[_Group]:
    """'Godane and five other fighters': a named person, counted as one, and the others."""
    k = i
    while k < len(toks) and k < i + 4 and toks[k].text[:1].isupper():
        k += 1
    if k == i or _low(toks, k) != "and":
        return []
    rest = _group_at(toks, text, k + 1)
    if (
        rest is None
        or rest.np is None
        or not any(toks[j].low in ("other", "others") for j in range(rest.start, rest.end))
    ):
        return []
    return [_Group(Count(1, 1, 1, None), i, k, None), rest]


def _sum_counts(counts: Sequence[Count]) -> Count:
    if len(counts) == 1:
        return counts[0]

    def total(values: list[int | None]) -> int | None:
        return None if any(v is None for v in values) else sum(v for v in values if v is not None)

    qualifier = next((c.qualifier for c in counts if c.qualifier), None)
    return Count(
        total([c.low for c in counts]),
        total([c.best for c in counts]),
        total([c.high for c in counts]),
        qualifier,
    )


# --------------------------------------------------------------------------- matchers


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int  # character offsets
    end: int
    kinds: tuple[Kind, ...]
    count: Count
    victims: str | None
    attackers: bool


def _candidate(
    toks: Sequence[_Tok], first: int, last: int, kinds: tuple[Kind, ...], groups: Sequence[_Group]
) -> _Candidate:
    heads = [g.np for g in groups if g.np is not None and g.np.text is not None]
    victims = " and ".join(np.text for np in heads if np.text) or None
    attackers = bool(heads) and len(heads) == len(groups) and all(np.attacker for np in heads)
    return _Candidate(
        toks[first].start,
        toks[last - 1].end,
        kinds,
        _sum_counts([g.count for g in groups]),
        victims,
        attackers,
    )


def _other_kind_follows(toks: Sequence[_Tok], k: int, kind: Kind) -> bool:
    """'killed or injured' / 'killed and wounded': a figure that lumps both kinds together."""
    if _low(toks, k) not in ("or", "and"):
        return False
    nxt = _low(toks, k + 1)
    other = {
        "killed": ("injured", "wounded", "hurt", "injuring", "wounding"),
        "injured": ("killed", "dead", "died", "killing"),
    }[kind]
    return nxt in other


def _match_active(toks: Sequence[_Tok], text: str) -> list[_Candidate]:
    """'killed 5 people', 'wounding at least 30 others', 'claimed the lives of 7'."""
    found: list[_Candidate] = []
    for t in range(len(toks)):
        for words, kind in _ACTIVE:
            end = _seq_at(toks, t, words)
            if end is None:
                continue
            if _low(toks, t - 1) in ("and", "or") and _low(toks, t - 2) in _other_verbs(kind):
                break  # "killing and wounding 30": one figure for both kinds, not coded
            groups = _group_list(toks, text, end, object_position=True)
            if groups:
                groups = _of_them_attackers(toks, t, groups)
                found.append(_candidate(toks, t, groups[-1].end, (kind,), groups))
            break
    return found


def _of_them_attackers(toks: Sequence[_Tok], verb: int, groups: list[_Group]) -> list[_Group]:
    """'troops pursued the attackers and killed two of them': 'them' names the attackers."""
    if len(groups) != 1 or groups[0].np is None or groups[0].np.head is not None:
        return groups
    if _low(toks, groups[0].np.end - 1) != "them":
        return groups
    for j in range(verb - 1, max(verb - 6, 0) - 1, -1):
        if toks[j].low in (".", ";"):
            break
        object_of_verb = (
            j >= 2 and _low(toks, j - 1) in ("the", "those") and toks[j - 2].text.islower()
        )  # "pursued the attackers", not "Gunmen stormed ... and killed two of them"
        if object_of_verb and _ATTACKER_NOUNS.get(toks[j].low) is False:
            np = _NounPhrase(groups[0].np.end, toks[j].low, toks[j].text, False, True)
            return [_Group(groups[0].count, groups[0].start, groups[0].end, np)]
    return groups


def _match_object_to_death(toks: Sequence[_Tok], text: str) -> list[_Candidate]:
    """'they hacked 14 villagers to death': the figure sits between the verb and 'to death'."""
    found: list[_Candidate] = []
    for t, tok in enumerate(toks):
        if tok.low not in _TO_DEATH_PAST and tok.low not in ("hacking", "stabbing", "beating"):
            continue
        groups = _group_list(toks, text, t + 1, object_position=True)
        if groups and _seq_at(toks, groups[-1].end, ("to", "death")):
            found.append(_candidate(toks, t, groups[-1].end + 2, ("killed",), groups))
    return found


def _other_verbs(kind: Kind) -> tuple[str, ...]:
    if kind == "injured":
        return ("killing", "killed", "kill", "kills")
    return ("wounding", "injuring", "wounded", "injured")


def _aux_chain(toks: Sequence[_Tok], k: int) -> tuple[int, bool, bool]:
    """Skip auxiliaries and adverbs: (next index, saw a real auxiliary, saw 'fatally')."""
    aux = fatal = False
    steps = 0
    while k < len(toks) and steps < 7:
        low = toks[k].low
        if low == "among" and _low(toks, k + 1) in ("those", "the"):
            k, aux = k + 2, True
        elif low in _AUX:
            aux = aux or low in _TRUE_AUX
            fatal = fatal or low in _FATAL
            k += 1
        else:
            break
        steps += 1
    return k, aux, fatal


def _passive_trigger(
    toks: Sequence[_Tok], k: int, aux: bool
) -> tuple[int, Kind, tuple[str, ...]] | None:
    for words, kind, transitive in _PASSIVE:
        end = _seq_at(toks, k, words)
        if end is None:
            continue
        if transitive and not aux:
            after = toks[end] if end < len(toks) else None
            if (
                after is not None
                and after.low not in _AFTER_PARTICIPLE
                and (after.text[0].isalnum())
            ):
                return None
        return end, kind, words
    return None


def _verb_after(
    toks: Sequence[_Tok], k: int, *, skip_modifiers: bool
) -> tuple[int, Kind, tuple[str, ...], bool] | None:
    """Auxiliaries then a passive/intransitive trigger at ``k``: (end, kind, words, fatal)."""
    chain_end, aux, fatal = _aux_chain(toks, k)
    trig = _passive_trigger(toks, chain_end, aux)
    if trig is None and skip_modifiers and chain_end == k:
        m = k
        while m < k + 2 and m < len(toks) and _is_modifier(toks[m]):
            m += 1
            trig = _passive_trigger(toks, m, aux)
            if trig is not None and trig[2][0] not in _NOUN_TRIGGERS:
                trig = None
            if trig is not None:
                break
    if trig is None:
        return None
    return trig[0], trig[1], trig[2], fatal


def _skip_aside(toks: Sequence[_Tok], k: int) -> list[int]:
    """Positions just after an aside such as ', including three children,' or '(...)'."""
    if k >= len(toks):
        return []
    opener = toks[k].low
    if opener not in (",", "(") and opener not in _INCLUDING:
        return []
    loose = opener in _INCLUDING or _low(toks, k + 1) in _INCLUDING
    positions: list[int] = []
    for m in range(k + 1, min(len(toks), k + 26)):
        low = toks[m].low
        if low in _SENTENCE_END:
            break
        if low in ("and", "but", "while", "whereas") and _low(toks, m - 1) == ",":
            break
        if low in (",", ")"):
            positions.append(m + 1)
        elif loose and (low in _TRUE_AUX or low in _TRIGGER_WORDS):
            positions.append(m)
    return positions


def _opens_phrase(toks: Sequence[_Tok], k: int) -> bool:
    """True when token ``k`` can open a phrase that describes the noun before it."""
    tok = toks[k]
    low = tok.low
    if low in ("who", "that") or low in _PHRASE_PREPOSITIONS:
        return True
    if not (tok.text.isalpha() and tok.text.islower()):
        return False
    if low in _TRIGGER_WORDS or low in _SAYING or low in ("including", "during"):
        return False
    if low.endswith("ing") and len(low) > 4:
        return True  # "guarding vaccinators", "travelling with the convoy"
    # "based in Kabul", "deployed there": a participle, not a verb taking an object
    participle = low.endswith("ed") or low in _IRREGULAR_PARTICIPLES
    return participle and _low(toks, k + 1) in _PHRASE_PREPOSITIONS | {"there", "here"}


def _agrees(chain: Sequence[_Tok], groups: Sequence[_Group]) -> bool:
    """Number agreement between the counted victims and the auxiliary that follows them.

    Across a phrase this is the main check that the verb belongs to the victims and not to a
    noun inside the phrase ("a policeman guarding the vaccinators were ..." is rejected).
    """
    aux = next((t.low for t in chain if t.low in _SINGULAR_AUX | _PLURAL_AUX), None)
    if aux is None or all(g.count.best == 0 for g in groups):
        return True
    last = groups[-1].np
    singular = (
        len(groups) == 1
        and groups[0].count.best == 1
        and (last is None or last.head is None or last.singular)
    )
    return singular == (aux in _SINGULAR_AUX)


def _verb_across_phrase(
    toks: Sequence[_Tok],
    text: str,
    groups: Sequence[_Group],
    k: int,
    *,
    opened: bool = False,
    strict: bool = False,
) -> tuple[int, Kind, tuple[str, ...], bool] | None:
    """The victims' verb after a describing phrase: (end, kind, words, fatal), or None.

    "a soldier who was on patrol was killed", "5 soldiers patrolling the area were killed".
    The scan gives up at a clause boundary, at another kill/injure word, or at a figure that
    has a verb of its own ("a guard escorting two judges ... who were killed"), so a figure
    inside the phrase is never stolen. ``strict`` also refuses a verb right after a person
    noun, for a scan that continues past the victims' own verb ("two were wounded on the day
    the leader died").
    """
    if k >= len(toks) or not (opened or _opens_phrase(toks, k)):
        return None
    for m in range(k + 1, min(len(toks), k + _PHRASE_SPAN)):
        tok = toks[m]
        if not tok.text[0].isalnum() or tok.low in _PHRASE_BREAKS or tok.low in _SAYING:
            return None
        if tok.low in ("and", "or") and _group_at(toks, text, m + 1) is not None:
            return None  # "two soldiers on patrol and a civilian ...": a new conjunct
        chain_end, aux, fatal = _aux_chain(toks, m)
        trig = _passive_trigger(toks, chain_end, aux)
        if trig is not None:
            end, kind, words = trig
            if not aux and words[0] not in _BARE_VERBS:
                return None
            if strict and _is_head(toks[m - 1]):
                return None
            if not _agrees(toks[m:chain_end], groups):
                return None
            return end, kind, words, fatal
        if tok.low in _TRIGGER_WORDS:
            return None
        inner = _group_at(toks, text, m)
        if (
            inner is not None
            and tok.low not in _ARTICLES
            and _verb_after(toks, inner.end, skip_modifiers=False)
        ):
            return None  # a figure of its own; "escorting the governor was" stays the escort
    return None


def _match_passive(toks: Sequence[_Tok], text: str) -> list[_Candidate]:
    """'5 people were killed', 'two soldiers and a policeman died', '12 dead', 'no one was hurt'."""
    found: list[_Candidate] = []
    for i in range(len(toks)):
        groups = _group_list(toks, text, i, object_position=False)
        if not groups:
            continue
        if len(groups) > 1 and (
            _after_active_verb(toks, groups[0].start)
            or _low(toks, groups[-1].end) in ("was", "is", "has")
        ):
            # "killed two soldiers and a policeman was wounded": only the last conjunct is
            # the subject of the passive verb.
            groups = groups[-1:]
        k = groups[-1].end
        head_less = groups[-1].np is None or groups[-1].np.head is None
        verb = _verb_after(toks, k, skip_modifiers=head_less)
        if verb is None:
            for resume in _skip_aside(toks, k):
                verb = _verb_after(toks, resume, skip_modifiers=False)
                if verb is not None:
                    break
        if verb is None and not _after_active_verb(toks, groups[0].start):
            verb = _verb_across_phrase(toks, text, groups, k)
        elif verb is not None and verb[1] == "injured" and not verb[3]:
            # "a soldier wounded in the clash later died": the outcome is the later verb
            later = _verb_across_phrase(toks, text, groups, verb[0], strict=True)
            if later is not None and later[1] == "killed":
                verb = later
        if verb is None:
            continue
        end, kind, words, fatal = verb
        companions = _companions(toks, text, end)
        if companions is not None:
            groups = [*groups, companions]  # "a commander was killed along with two guards"
            end = companions.end
        zero = all(g.count.best == 0 for g in groups)
        if kind == "injured" and fatal:
            kind = "killed"
        if _other_kind_follows(toks, end, kind):
            if not zero:
                continue
            kinds: tuple[Kind, ...] = ("killed", "injured")
            end += 2
        elif zero and words[0] in _BOTH_IF_ZERO:
            kinds = ("killed", "injured")
        else:
            kinds = (kind,)
        found.append(_candidate(toks, groups[0].start, end, kinds, groups))
    return found


def _after_active_verb(toks: Sequence[_Tok], i: int) -> bool:
    """True when token ``i`` probably follows a transitive verb, i.e. is in object position.

    Without a parser we take kill/injure verbs and any lower-case -ed/-ing word ("arrested",
    "carrying") as verbs, except verbs of saying that introduce a new clause.
    """
    for words, _ in _ACTIVE:
        start = i - len(words)
        if start >= 0 and _seq_at(toks, start, words) == i:
            return True
    if i == 0:
        return False
    prev = toks[i - 1]
    if prev.low in _SAYING or not prev.text.isalpha() or not prev.text.islower():
        return False
    return prev.low in ("left", "leaving") or prev.low.endswith(("ed", "ing"))


def _match_left(toks: Sequence[_Tok], text: str) -> list[_Candidate]:
    """'left 3 people dead', 'leaving dozens wounded'."""
    found: list[_Candidate] = []
    for t, tok in enumerate(toks):
        if tok.low not in ("left", "leaving", "leaves", "leave"):
            continue
        groups = _group_list(toks, text, t + 1, object_position=True)
        if not groups:
            continue
        state = _low(toks, groups[-1].end)
        kind: Kind | None = (
            "killed"
            if state == "dead"
            else ("injured" if state in ("injured", "wounded", "hurt") else None)
        )
        if kind is not None:
            found.append(_candidate(toks, t, groups[-1].end + 1, (kind,), groups))
    return found


def _match_lives(toks: Sequence[_Tok], text: str) -> list[_Candidate]:
    """'claimed 7 lives'."""
    found: list[_Candidate] = []
    for t, tok in enumerate(toks):
        if tok.low not in ("claimed", "claiming", "claims", "took", "taking", "cost", "costing"):
            continue
        hit = _count_at(toks, t + 1)
        if hit is None or _low(toks, hit.end) != "lives":
            continue
        group = _Group(hit.count, hit.start, hit.end + 1, None)
        found.append(_candidate(toks, t, hit.end + 1, ("killed",), [group]))
    return found


def _match_toll(toks: Sequence[_Tok], text: str) -> list[_Candidate]:
    """'the death toll rose to 20', 'bringing the number of dead to 31'."""
    found: list[_Candidate] = []
    for t in range(len(toks)):
        for words, kind in _TOLL_HEADS:
            end = _seq_at(toks, t, words)
            if end is None:
                continue
            best: _Group | None = None
            for k in range(end, min(len(toks), end + 16)):
                if toks[k].low in _SENTENCE_END:
                    break
                if toks[k].low in _TOLL_LINKS:
                    group = _group_at(toks, text, k + 1)
                    if group is not None and group.count.best is not None:
                        best = group
            if best is not None:
                found.append(_candidate(toks, t, best.end, (kind,), [best]))
            break
    return found


def _match_victim_sets(toks: Sequence[_Tok], text: str) -> list[_Candidate]:
    """'among the dead were 3 children', 'the injured included two policemen'."""
    found: list[_Candidate] = []
    for t in range(len(toks)):
        for words, kind in _VICTIM_SETS:
            end = _seq_at(toks, t, words)
            if end is None:
                continue
            if _low(toks, end) in ("and", "or") or _low(toks, t - 1) in _PHRASE_PREPOSITIONS:
                break  # "the dead and injured" lumps both kinds; "of the dead" is no list
            link = end
            if _low(toks, link) in ("reportedly", "also", "now", "later"):
                link += 1
            if _low(toks, link) not in _VICTIM_SET_LINKS:
                break
            groups = _group_list(toks, text, link + 1, object_position=True)
            if groups:
                first = t - 1 if _low(toks, t - 1) == "among" else t
                found.append(_candidate(toks, first, groups[-1].end, (kind,), groups))
            break
    return found


def _match_losses(toks: Sequence[_Tok], text: str) -> list[_Candidate]:
    """'the army lost 5 soldiers': a force losing fighters means they were killed.

    Only soldiers, police and fighters count, so "lost two seats" or "lost 3 members to
    defections" are not read; "suffered 7 casualties" mixes dead and wounded and is skipped.
    """
    found: list[_Candidate] = []
    for t, tok in enumerate(toks):
        if tok.low not in _LOSS_VERBS:
            continue
        groups = _group_list(toks, text, t + 1, object_position=True)
        if groups and all(g.np is not None and g.np.head in _LOSS_NOUNS for g in groups):
            found.append(_candidate(toks, t, groups[-1].end, ("killed",), groups))
    return found


def _match_zero_nouns(toks: Sequence[_Tok], text: str) -> list[_Candidate]:
    """'there were no casualties', 'no deaths were reported', 'no loss of life'."""
    found: list[_Candidate] = []
    zero = Count(0, 0, 0, None)
    for t, tok in enumerate(toks):
        if tok.low not in ("no", "zero"):
            continue
        k = t + 1
        while k < t + 3 and _low(toks, k) in _ZERO_ADJECTIVES:
            k += 1
        noun = _low(toks, k)
        if noun in _ZERO_NOUNS:
            group = _Group(zero, t, k + 1, None)
            found.append(_candidate(toks, t, k + 1, _ZERO_NOUNS[noun], [group]))
        elif _seq_at(toks, k, ("loss", "of", "life")):
            group = _Group(zero, t, k + 3, None)
            found.append(_candidate(toks, t, k + 3, ("killed",), [group]))
    return found


# --------------------------------------------------------------------------- public API


def find_casualties(text: str) -> list[CasualtyMention]:
    """Killed and injured figures in a sentence or paragraph, sorted by position.

    Overlapping readings are settled longest-first, so "two soldiers and a policeman were
    killed" is one figure of 3, not also a figure of 1. A zero that covers both kinds ("no
    one was hurt") gives a killed and an injured mention with the same span.
    """
    toks = _tokenize(text)
    candidates: list[_Candidate] = []
    for matcher in (
        _match_toll,
        _match_left,
        _match_lives,
        _match_active,
        _match_object_to_death,
        _match_passive,
        _match_zero_nouns,
        _match_victim_sets,
        _match_losses,
    ):
        candidates.extend(matcher(toks, text))
    candidates.sort(key=lambda c: (-(c.end - c.start), c.start))
    chosen: list[_Candidate] = []
    for cand in candidates:
        if all(cand.end <= kept.start or cand.start >= kept.end for kept in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda c: c.start)
    return [
        CasualtyMention(
            kind,
            cand.count,
            cand.start,
            cand.end,
            text[cand.start : cand.end],
            cand.victims,
            cand.attackers,
        )
        for cand in chosen
        for kind in cand.kinds
    ]
