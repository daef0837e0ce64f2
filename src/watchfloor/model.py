"""Typed records that flow between the pipeline stages, the store and the outputs.

Field names follow the extraction contract (shared/contract/extract-result.schema.json), so an
``ExtractResult`` dumped with ``to_contract()`` is exactly what ``watchfloor extract`` prints.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"

EventType = Literal[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]

#: ACLED's 25 sub-event types, spelled as in the codebook, under their event type.
SUB_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

DatePrecision = Literal["day", "week", "month", "year", "unknown"]
PerpetratorStatus = Literal["claimed", "attributed", "suspected", "confirmed", "denied", "unknown"]
ClaimStance = Literal["claimed", "denied", "attributed_by_officials", "suspected"]
OrgKind = Literal[
    "branch_announced",
    "founded",
    "pledge",
    "split",
    "merger",
    "rename",
    "alliance",
    "rivalry",
    "leader_change",
    "designation",
    "dissolved",
]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class EvidenceSpan(Record):
    """A quote from the article that set a coded field; ``text == article.text[start:end]``."""

    field: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> EvidenceSpan:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        return self


class Place(Record):
    """Where an event happened, down to the most specific place the text supports."""

    name: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    geo_precision: Literal[1, 2, 3] | None = None


class Actor(Record):
    """An actor as coded for one event: resolved to the knowledge base when possible."""

    name: str
    actor_id: str | None = None
    parent: str | None = None
    inter: int | None = Field(default=None, ge=1, le=8)
    status: PerpetratorStatus | None = None


class Target(Record):
    name: str
    category: str | None = None
    civilian: bool | None = None


class CasualtyReport(Record):
    """A toll as low/best/high (UCDP), ``best`` read conservatively as ACLED does."""

    low: int | None = Field(default=None, ge=0)
    best: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0)
    qualifier: str | None = None
    # of the dead, how many were the attackers themselves (GTD's nkillter), when the text says
    attackers: int | None = Field(default=None, ge=0)


class Claim(Record):
    """One statement about responsibility: a claim, a denial, an official's blame or a suspicion."""

    by: str
    stance: ClaimStance
    channel: str | None = None
    evidence: EvidenceSpan | None = None


class Event(Record):
    """One incident as an ACLED/GTD coder would record it, with the evidence behind it."""

    event_type: EventType
    sub_event_type: str
    attack_type: str | None = None
    date: dt.date | None = None
    date_earliest: dt.date | None = None
    date_latest: dt.date | None = None
    date_precision: DatePrecision = "unknown"
    location: Place | None = None
    perpetrator: Actor | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    targets: list[Target] = Field(default_factory=list)
    civilian_targeting: bool | None = None
    fatalities: CasualtyReport | None = None
    injuries: CasualtyReport | None = None
    weapons: list[str] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    evidence: list[EvidenceSpan] = Field(min_length=1)
    confidence: float = Field(ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _known_sub_type(self) -> Event:
        if self.sub_event_type not in SUB_EVENT_TYPES[self.event_type]:
            raise ValueError(
                f"sub_event_type {self.sub_event_type!r} is not an ACLED sub-type "
                f"of {self.event_type!r}"
            )
        return self


class OrgDevelopment(Record):
    """Organisational news: a branch announced, a pledge, a split, a merger, a rename..."""

    kind: OrgKind
    group: str
    group_id: str | None = None
    parent: str | None = None
    other: str | None = None
    date: dt.date | None = None
    date_earliest: dt.date | None = None
    date_latest: dt.date | None = None
    date_precision: DatePrecision | None = None
    evidence: list[EvidenceSpan] = Field(min_length=1)


def url_host(url: str) -> str | None:
    """The site of an address, without "www.": how articles name their outlet."""
    try:
        host = urlsplit(url).hostname
    except ValueError:  # "http://[::1": not an address
        return None
    return host.removeprefix("www.") if host else None


class Article(Record):
    """One news article as ingested: the text every evidence offset points into."""

    id: str
    text: str
    published: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None

    @property
    def outlet(self) -> str | None:
        """Who published it: the source given, else the host of its address."""
        if self.source:
            return self.source.strip().lower()
        return url_host(self.url) if self.url else None

    @property
    def content_hash(self) -> str:
        """Identity for idempotent ingest: the same text and date is the same article."""
        key = f"{self.published or ''}\n{self.text}".encode()
        return hashlib.sha256(key).hexdigest()


class ExtractResult(Record):
    """Everything extracted from one article: the contract's result object."""

    id: str
    schema_version: str = SCHEMA_VERSION
    published: dt.date | None = None
    events: list[Event] = Field(default_factory=list)
    org_developments: list[OrgDevelopment] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def to_contract(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
