"""One-sentence definitions of the CASE-2021 labels, paraphrasing the ACLED codebook's
sub-event types (and, for the five labels outside ACLED, the CASE-2021 task notes).

They are written as a news sentence of the kind the label covers, not fitted to any snippet.
The event classifier uses them twice (``watchfloor.train.event_classifier``): each is one more
training example of its label, in every fold, and their MiniLM vectors are stored as label
prototypes whose cosine with a snippet gives a zero-shot opinion blended with the trained
model (``watchfloor.pipeline.classify.EventClassifier.probabilities``).
"""

from __future__ import annotations

from watchfloor.train.corpora import Example

DEFINITIONS: dict[str, str] = {
    "ABDUCT_DISSAP": (
        "An armed group or criminals abducted, kidnapped or forcibly disappeared people "
        "and took them hostage."
    ),
    "AGREEMENT": (
        "The warring parties signed a ceasefire, a peace agreement, a prisoner exchange "
        "or another negotiated deal."
    ),
    "AIR_STRIKE": (
        "Warplanes, helicopters or drones carried out an air strike, bombing targets from the air."
    ),
    "ARMED_CLASH": (
        "Government forces and rebel militants clashed in an armed battle, exchanging fire."
    ),
    "ARREST": "Police and security forces arrested and detained suspects.",
    "ART_MISS_ATTACK": (
        "Forces shelled the area with artillery, mortars, rockets and missiles fired from "
        "a distance."
    ),
    "ATTACK": "Gunmen attacked unarmed civilians, shooting and killing villagers.",
    "CHANGE_TO_GROUP_ACT": (
        "An armed group changed its activity: troops were deployed or moved, fighters "
        "recruited or trained, a new commander named, or the group split or disbanded."
    ),
    "CHEM_WEAP": "Chemical weapons such as chlorine, sarin or mustard gas were used in an attack.",
    "DISR_WEAP": (
        "Security forces defused a bomb, seized a weapons cache, intercepted a missile or "
        "foiled a planned attack."
    ),
    "FORCE_AGAINST_PROTEST": (
        "Security forces used excessive force against peaceful protesters, opening fire "
        "and killing or seriously injuring demonstrators."
    ),
    "GOV_REGAINS_TERIT": (
        "Government forces recaptured territory, retaking towns and villages from the rebels."
    ),
    "GRENADE": "An attacker threw a hand grenade.",
    "HQ_ESTABLISHED": "An armed group established a new base, camp or headquarters.",
    "MOB_VIOL": "An angry mob attacked and lynched people or vandalised property.",
    "NON_STATE_ACTOR_OVERTAKES_TER": (
        "Rebels or militants captured territory, seizing control of a town from government forces."
    ),
    "NON_VIOL_TERRIT_TRANSFER": (
        "Territory changed hands without fighting: forces withdrew and another group took "
        "control without resistance, or the area was handed over."
    ),
    "OTHER": "An incident of political violence that fits no other category.",
    "PEACE_PROTEST": (
        "Demonstrators held a peaceful protest, marching and rallying without violence or "
        "intervention."
    ),
    "PROPERTY_DISTRUCT": "People looted, burned and destroyed property, homes and buildings.",
    "PROTEST_WITH_INTER": (
        "Police intervened in a peaceful protest, dispersing demonstrators with tear gas "
        "or water cannon and making arrests."
    ),
    "REM_EXPLOS": "A roadside bomb, improvised explosive device, car bomb or landmine exploded.",
    "SEX_VIOL": "Women were raped or sexually assaulted.",
    "SUIC_BOMB": "A suicide bomber blew himself up.",
    "VIOL_DEMONSTR": (
        "Protesters turned violent, rioting, throwing stones at police, burning tyres and "
        "vandalising."
    ),
    "MAN_MADE_DISASTER": (
        "An industrial accident, explosion, fire, crash or chemical spill killed people."
    ),
    "NATURAL_DISASTER": (
        "An earthquake, flood, storm, cyclone, landslide or drought struck the region."
    ),
    "ORG_CRIME": (
        "A drug cartel, criminal gang or smuggling network was involved in organised crime."
    ),
    "DIPLO": "Leaders held diplomatic talks, meetings and visits.",
    "ATTRIB": "A militant group claimed responsibility for the attack.",
}


def codebook_examples(labels: list[str] | tuple[str, ...]) -> list[Example]:
    """The definition of each of ``labels`` as a training example (source ``codebook``)."""
    missing = sorted(set(labels) - set(DEFINITIONS))
    if missing:
        raise KeyError(f"no codebook definition for {', '.join(missing)}")
    return [Example(DEFINITIONS[label], label, "codebook") for label in labels]
