"""Code tables of the ACLED and GTD codebooks, and the maps from our fields onto them.

Kept as data, apart from the writers, so that tests can check every code a writer emits
against the codebook table it comes from. Labels are spelled as in the codebooks.
"""

from __future__ import annotations

from functools import cache

# -- ACLED ----------------------------------------------------------------------------------

#: ACLED actor type ("inter") codes.
ACLED_INTER: dict[int, str] = {
    1: "State Forces",
    2: "Rebel Groups",
    3: "Political Militias",
    4: "Identity Militias",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other Forces",
}

#: ACLED time_precision: 1 the day is known, 2 the week, 3 only the month or less.
ACLED_TIME_PRECISION: dict[str, int] = {"day": 1, "week": 2, "month": 3, "year": 3, "unknown": 3}

ACLED_DISORDER_TYPES = (
    "Political violence",
    "Demonstrations",
    "Political violence; Demonstrations",
    "Strategic developments",
)


def acled_disorder_type(event_type: str, sub_event_type: str) -> str:
    """ACLED's disorder type: what kind of disorder the sub-event belongs to."""
    if sub_event_type == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    if sub_event_type == "Mob violence":
        return "Political violence"
    if event_type in ("Protests", "Riots"):
        return "Demonstrations"
    if event_type == "Strategic developments":
        return "Strategic developments"
    return "Political violence"


#: Where ACLED's country names differ from ISO 3166's (pycountry's common names).
ACLED_COUNTRY_NAMES: dict[str, str] = {
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "RU": "Russia",
    "PS": "Palestine",
    "TR": "Turkey",
    "CZ": "Czech Republic",
    "SZ": "eSwatini",
    "CI": "Ivory Coast",
    "CV": "Cape Verde",
    "TL": "East Timor",
    "VA": "Vatican City",
    "BN": "Brunei",
}

#: Where the GTD's country names differ from ISO 3166's.
GTD_COUNTRY_NAMES: dict[str, str] = {
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "RU": "Russia",
    "PS": "West Bank and Gaza Strip",
    "TR": "Turkey",
    "CZ": "Czech Republic",
    "SZ": "Swaziland",
    "CI": "Ivory Coast",
    "MK": "Macedonia",
    "TL": "East Timor",
    "BN": "Brunei",
}


def acled_interaction(inter1: int | None, inter2: int | None) -> int | None:
    """The two-digit pairing of actor types, lower code first; a lone actor pairs with 0."""
    if inter1 is None and inter2 is None:
        return None
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


# ACLED regions by ISO 3166 alpha-2 code (countries outside every list get no region).
_ACLED_REGION_MEMBERS: dict[str, str] = {
    "Western Africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
    "Middle Africa": "AO CM CF TD CG CD GQ GA ST",
    "Eastern Africa": "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW IO",
    "Southern Africa": "BW LS NA ZA SZ",
    "Northern Africa": "DZ EG LY MA SD TN EH",
    "Middle East": "AE BH CY IL PS IQ IR JO KW LB OM QA SA SY TR YE",
    "South Asia": "AF BD BT IN LK MV NP PK",
    "Southeast Asia": "BN KH ID LA MY MM PH SG TH TL VN",
    "East Asia": "CN HK JP KP KR MN MO TW",
    "Caucasus and Central Asia": "AM AZ GE KZ KG TJ TM UZ",
    "Europe": (
        "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE "
        "LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK"
    ),
    "North America": "US CA BM GL PM",
    "Central America": "MX BZ CR SV GT HN NI PA",
    "Caribbean": (
        "AG AI AW BB BQ BS BL CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI"
    ),
    "South America": "AR BO BR CL CO EC FK GF GY PE PY SR UY VE",
    "Oceania": "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS",
    "Antarctica": "AQ BV GS HM TF",
}
ACLED_REGIONS: tuple[str, ...] = tuple(_ACLED_REGION_MEMBERS)


@cache
def _acled_region_index() -> dict[str, str]:
    return {
        iso2: region for region, codes in _ACLED_REGION_MEMBERS.items() for iso2 in codes.split()
    }


def acled_region(iso2: str | None) -> str | None:
    return _acled_region_index().get(iso2.upper()) if iso2 else None


# -- GTD ------------------------------------------------------------------------------------

GTD_REGIONS: dict[int, str] = {
    1: "North America",
    2: "Central America & Caribbean",
    3: "South America",
    4: "East Asia",
    5: "Southeast Asia",
    6: "South Asia",
    7: "Central Asia",
    8: "Western Europe",
    9: "Eastern Europe",
    10: "Middle East & North Africa",
    11: "Sub-Saharan Africa",
    12: "Australasia & Oceania",
}

_GTD_EASTERN_EUROPE_CODES = "AL BA BG BY CZ EE HR HU LT LV MD ME MK PL RO RS RU SI SK UA XK"
_GTD_EASTERN_EUROPE = frozenset(_GTD_EASTERN_EUROPE_CODES.split())
_GTD_REGION_OF_ACLED: dict[str, int] = {
    "North America": 1,
    "Central America": 2,
    "Caribbean": 2,
    "South America": 3,
    "East Asia": 4,
    "Southeast Asia": 5,
    "South Asia": 6,
    "Caucasus and Central Asia": 7,
    "Middle East": 10,
    "Northern Africa": 10,
    "Western Africa": 11,
    "Middle Africa": 11,
    "Eastern Africa": 11,
    "Southern Africa": 11,
    "Oceania": 12,
}


def gtd_region(iso2: str | None) -> int | None:
    """GTD region code; GTD differs from ACLED for Mexico, Sudan and the European split."""
    if not iso2:
        return None
    iso2 = iso2.upper()
    if iso2 == "MX":
        return 1
    if iso2 == "SD":
        return 11
    region = acled_region(iso2)
    if region == "Europe":
        return 9 if iso2 in _GTD_EASTERN_EUROPE else 8
    return _GTD_REGION_OF_ACLED.get(region) if region else None


#: GTD country codes (the GTD's own numbering, not ISO) for the countries this table covers;
#: other countries get an empty ``country`` with ``country_txt`` still set.
GTD_COUNTRIES: dict[str, int] = {
    "AF": 4,
    "DZ": 6,
    "BD": 19,
    "CO": 45,
    "EG": 60,
    "FR": 69,
    "DE": 75,
    "IN": 92,
    "IR": 94,
    "IQ": 95,
    "IL": 97,
    "KE": 104,
    "LB": 110,
    "LY": 113,
    "ML": 138,
    "NP": 141,
    "NG": 147,
    "PK": 153,
    "PS": 155,
    "PE": 159,
    "PH": 160,
    "RU": 167,
    "SO": 182,
    "ES": 185,
    "LK": 186,
    "SY": 200,
    "TH": 205,
    "TR": 209,
    "UA": 214,
    "US": 217,
    "YE": 228,
    "GB": 603,
}

GTD_ATTACK_TYPES: dict[int, str] = {
    1: "Assassination",
    2: "Armed Assault",
    3: "Bombing/Explosion",
    4: "Hijacking",
    5: "Hostage Taking (Barricade Incident)",
    6: "Hostage Taking (Kidnapping)",
    7: "Facility/Infrastructure Attack",
    8: "Unarmed Assault",
    9: "Unknown",
}

GTD_TARGET_TYPES: dict[int, str] = {
    1: "Business",
    2: "Government (General)",
    3: "Police",
    4: "Military",
    5: "Abortion Related",
    6: "Airports & Aircraft",
    7: "Government (Diplomatic)",
    8: "Educational Institution",
    9: "Food or Water Supply",
    10: "Journalists & Media",
    11: "Maritime",
    12: "NGO",
    13: "Other",
    14: "Private Citizens & Property",
    15: "Religious Figures/Institutions",
    16: "Telecommunication",
    17: "Terrorists/Non-State Militia",
    18: "Tourists",
    19: "Transportation",
    20: "Unknown",
    21: "Utilities",
    22: "Violent Political Party",
}

GTD_WEAPON_TYPES: dict[int, str] = {
    1: "Biological",
    2: "Chemical",
    3: "Radiological",
    4: "Nuclear",
    5: "Firearms",
    6: "Explosives",
    7: "Fake Weapons",
    8: "Incendiary",
    9: "Melee",
    10: "Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)",
    11: "Sabotage Equipment",
    12: "Other",
    13: "Unknown",
}

GTD_CLAIM_MODES: dict[int, str] = {
    1: "Letter",
    2: "Call (post-incident)",
    3: "Call (pre-incident)",
    4: "E-mail",
    5: "Note left at scene",
    6: "Video",
    7: "Posted to website, blog, etc.",
    8: "Personal claim",
    9: "Other",
    10: "Unknown",
}

_ATTACK_CODE_OF_LABEL = {label: code for code, label in GTD_ATTACK_TYPES.items()}
_ATTACK_CODE_OF_LABEL["Hostage Taking (Barricade)"] = 5

#: When the extractor set no GTD attack type, the ACLED sub-type says how the attack was made.
_ATTACK_OF_SUB_TYPE: dict[str, int] = {
    "Air/drone strike": 3,
    "Suicide bomb": 3,
    "Shelling/artillery/missile attack": 3,
    "Remote explosive/landmine/IED": 3,
    "Grenade": 3,
    "Armed clash": 2,
    "Attack": 2,
    "Non-state actor overtakes territory": 2,
    "Government regains territory": 2,
    "Abduction/forced disappearance": 6,
    "Sexual violence": 8,
    "Mob violence": 8,
    "Looting/property destruction": 7,
}


def gtd_attack_type(attack_type: str | None, sub_event_type: str | None) -> int:
    if attack_type and attack_type in _ATTACK_CODE_OF_LABEL:
        return _ATTACK_CODE_OF_LABEL[attack_type]
    return _ATTACK_OF_SUB_TYPE.get(sub_event_type or "", 9)


_TARGET_OF_CATEGORY: dict[str, int] = {
    "police": 3,
    "military": 4,
    "rival_militants": 17,
    "journalists": 10,
    "health_aid": 12,
    "religious": 15,
    "government": 2,
    "education": 8,
    "civilians": 14,
    "business": 1,
    "diplomatic": 7,
    "tourists": 18,
    "transport": 19,
    "utilities": 21,
    "telecommunication": 16,
    "maritime": 11,
    "aviation": 6,
}
# "infrastructure" lumps what GTD splits; the target's own words decide.
_INFRASTRUCTURE_WORDS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("vessel", "ship", "tanker", "carrier", "trawler", "port"), 11),
    (("rail", "train", "bridge", "bus", "road", "highway"), 19),
    (("tower", "telecom", "mobile"), 16),
    (("airport", "aircraft", "plane"), 6),
)


def gtd_target_type(category: str | None, name: str = "") -> int:
    """GTD target type of one target; 20 (Unknown) when the category is missing."""
    if not category:
        return 20
    if category == "infrastructure":
        lowered = name.lower()
        for words, code in _INFRASTRUCTURE_WORDS:
            if any(w in lowered for w in words):
                return code
        return 21
    return _TARGET_OF_CATEGORY.get(category, 13)


_WEAPON_WORDS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("chemical", "chlorine", "sarin", "gas attack"), 2),
    (
        (
            "bomb",
            "ied",
            "improvised explosive",
            "explosive",
            "landmine",
            "mine",
            "grenade",
            "mortar",
            "rocket",
            "missile",
            "artillery",
            "suicide",
            "drone",
        ),
        6,
    ),
    (("ak-47", "kalashnikov", "rifle", "pistol", "gun"), 5),
    (("knife", "knives", "machete", "axe", "sword"), 9),
    (("arson", "fire", "petrol", "molotov"), 8),
)

_WEAPON_OF_SUB_TYPE: dict[str, int] = {
    "Chemical weapon": 2,
    "Air/drone strike": 6,
    "Suicide bomb": 6,
    "Shelling/artillery/missile attack": 6,
    "Remote explosive/landmine/IED": 6,
    "Grenade": 6,
}


def gtd_weapon_type(weapons: list[str], sub_event_type: str | None) -> int:
    """The main weapon's GTD type: the first named weapon that maps, else the sub-type's."""
    for weapon in weapons:
        lowered = weapon.lower()
        for words, code in _WEAPON_WORDS:
            if any(w in lowered for w in words):
                return code
    return _WEAPON_OF_SUB_TYPE.get(sub_event_type or "", 13)


_CLAIM_MODE_WORDS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("video",), 6),
    (("phone", "call"), 2),
    (("e-mail", "email"), 4),
    (("letter", "statement", "communiqu", "message to"), 1),
    (("leaflet", "note"), 5),
    (
        (
            "amaq",
            "telegram",
            "twitter",
            "x account",
            "facebook",
            "whatsapp",
            "website",
            "social media",
            "naba",
            "nashir",
            "shahada",
            "kataib",
            "umar media",
            "blog",
        ),
        7,
    ),
    (("audio",), 9),
)


def gtd_claim_mode(channel: str | None) -> int:
    """GTD claim mode from how the claim was made; 10 (Unknown) when not said."""
    if not channel:
        return 10
    lowered = channel.lower()
    for words, code in _CLAIM_MODE_WORDS:
        if any(w in lowered for w in words):
            return code
    return 9


def gtd_specificity(geo_precision: int | None) -> int:
    """GTD specificity (1 exact place .. 5 no sub-national place) from ACLED geo-precision."""
    return {1: 1, 2: 2, 3: 4}.get(geo_precision or 0, 5)
