"""The trained MUC-4 role filler: candidates, the sparse optimiser, its files and its use."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchfloor.errors import ConfigError
from watchfloor.eval import gtt, muc4
from watchfloor.eval import muc4_roles as roles
from watchfloor.model import Event, EvidenceSpan, ExtractResult
from watchfloor.train.muc4_roles import best_thresholds, entity_counts, gold_chains, gold_roles


@pytest.fixture(scope="module")
def nlp(extractor):
    import spacy

    return spacy.load(extractor.settings.spacy_model)


TEXT = (
    "Urban guerrillas set off a car bomb outside the embassy in San Salvador on Monday. "
    "Two soldiers were killed. The peasants marched to the capital."
)


def test_candidates_are_spans_of_the_text_with_their_syntax(nlp) -> None:
    doc = nlp(TEXT)
    cands = roles.candidates(doc)
    assert cands, "a news sentence has noun phrases"
    for cand in cands:
        assert TEXT[cand.start : cand.end] == cand.text
        assert roles.BIAS_FEATURE in cand.features
        assert len(set(cand.features)) == len(cand.features)
    by_text = {c.text: c for c in cands}
    assert "car bomb" in by_text
    bomb = by_text["car bomb"]
    assert "h:bomb" in bomb.features and "violent" in bomb.features
    # a leading number is not part of the filler: the gold strings name the victims
    assert by_text["soldiers"].sentence == 1
    assert "hd:nsubjpass:kill" in by_text["soldiers"].features
    # no candidate starts with a determiner or ends with punctuation
    assert not any(c.text.lower().startswith(("the ", "a ")) for c in cands)


def test_candidates_include_the_shorter_readings_the_key_writes(nlp) -> None:
    text = (
        "Former defense Minister General Enrique Lopez Albujar was murdered yesterday. "
        "Soldiers killed two reporters, Roberto Navas and Mauricio Pineda, in a dynamite "
        "attack that destroyed at least 10 power transmission towers."
    )
    cands = roles.candidates(nlp(text))
    by_text = {c.text: c for c in cands}
    assert "Enrique Lopez Albujar" in by_text  # the name without its titles
    assert "kind:title" in by_text["Enrique Lopez Albujar"].features
    assert "dynamite" in by_text  # the compound before an event noun
    assert "power transmission towers" in by_text  # no leading quantity
    assert "tv:kill:dobj" in by_text["reporters"].features
    assert "hc:person" in by_text["reporters"].features


def _toy_rows(rng: np.random.Generator, n: int) -> tuple[list[list[int]], np.ndarray]:
    """Rows whose label is the index of their one 'signal' feature (columns 1..5), plus
    noise features (6..19) and the bias (0)."""
    targets = rng.integers(0, len(roles.LABELS), size=n)
    rows = []
    for y in targets:
        noise = rng.choice(np.arange(6, 20), size=3, replace=False).tolist()
        rows.append([0, *([int(y)] if y else []), *noise])
    return rows, targets


def test_sparse_fit_learns_a_separable_problem_deterministically() -> None:
    rows, targets = _toy_rows(np.random.default_rng(7), 400)
    w1, b1 = roles.fit(rows, targets, 20, iterations=200, learning_rate=0.1)
    w2, b2 = roles.fit(rows, targets, 20, iterations=200, learning_rate=0.1)
    assert np.array_equal(w1, w2) and np.array_equal(b1, b2)
    model = roles.RoleModel({f"f{i}": i for i in range(20)}, w1, b1)
    cands = [roles.Candidate(0, 1, "x", 0, tuple(f"f{i}" for i in r)) for r in rows]
    predicted = model.probabilities(cands).argmax(axis=1)
    assert (predicted == targets).mean() > 0.98


def test_fit_rejects_a_row_with_no_feature() -> None:
    with pytest.raises(ValueError, match="at least one active feature"):
        roles.fit([[0], []], np.array([0, 1]), 2)


@given(st.lists(st.sampled_from(["f0", "f1", "unseen", "f2"]), min_size=1, max_size=6))
def test_probabilities_sum_to_one_and_ignore_unknown_features(features: list[str]) -> None:
    rng = np.random.default_rng(0)
    model = roles.RoleModel(
        {"f0": 0, "f1": 1, "f2": 2},
        rng.normal(size=(3, len(roles.LABELS))).astype(np.float32),
        np.zeros(len(roles.LABELS), dtype=np.float32),
    )
    cand = roles.Candidate(0, 1, "x", 0, tuple(dict.fromkeys(features)))
    known = roles.Candidate(0, 1, "x", 0, tuple(f for f in cand.features if f != "unseen"))
    [row] = model.probabilities([cand])
    assert abs(float(row.sum()) - 1.0) < 1e-5
    assert np.allclose(row, model.probabilities([known])[0])


def test_model_files_round_trip_and_bad_files_say_so(tmp_path) -> None:
    assert roles.load_role_model(tmp_path / "absent") is None
    model = roles.RoleModel(
        {"bias": 0, "h:bomb": 1},
        np.array([[0.5, 0, 0, 0, 0, -0.5], [0, 0, 0, 0, 0, 2.0]], dtype=np.float32),
        np.zeros(len(roles.LABELS), dtype=np.float32),
        info={"thresholds": {"Weapon": 0.4}},
    )
    roles.save_role_model(model, tmp_path / "m")
    back = roles.load_role_model(tmp_path / "m")
    assert back is not None and back.vocabulary == model.vocabulary
    assert np.allclose(back.weights, model.weights) and back.info == model.info
    (tmp_path / "m" / "weights.npz").write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match=r"MUC-4 role model files are unreadable.*make train"):
        roles.load_role_model(tmp_path / "m")
    roles.save_role_model(model, tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    meta["vocabulary"] = ["bias"]
    (tmp_path / "m" / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ConfigError, match="do not fit 1 features"):
        roles.load_role_model(tmp_path / "m")


def _toy_roles(weights: dict[str, list[float]], thresholds: dict[str, float]) -> roles.RoleModel:
    """A role model with the given weight row per feature, bias first."""
    return roles.RoleModel(
        {f: i for i, f in enumerate(weights)},
        np.array(list(weights.values()), np.float32),
        np.zeros(len(roles.LABELS), dtype=np.float32),
        info={"thresholds": thresholds},
    )


def test_assign_roles_applies_each_roles_threshold() -> None:
    model = _toy_roles(
        {
            "bias": [2.0, 0, 0, 0, 0, 0],
            "h:bomb": [0, 0, 0, 0, 0, 4.0],
            "h:man": [0, 0, 0, 0, 2.2, 0],
        },
        {"Weapon": 0.5, "Victim": 0.9},
    )
    bomb = roles.Candidate(0, 4, "bomb", 0, ("bias", "h:bomb"))
    man = roles.Candidate(5, 8, "man", 0, ("bias", "h:man"))
    chosen = roles.assign_roles(model, [man, bomb])
    # the bomb is a weapon with p ≈ 0.88; the man's Victim p ≈ 0.48 is under its 0.9 bar
    assert [(c.text, role) for c, role, _ in chosen] == [("bomb", "Weapon")]
    assert roles.assign_roles(model, []) == []


def test_gold_roles_normalise_mentions_and_prefer_the_perpetrator() -> None:
    templates = [
        {"PerpOrg": [[["THE FMLN", 10]]], "Victim": [[["the FMLN"]]], "Weapon": [["dynamite"]]}
    ]
    assert gold_roles(templates) == {
        gtt.normalize_mention("the FMLN"): "PerpOrg",
        gtt.normalize_mention("dynamite"): "Weapon",
    }


def test_best_thresholds_pick_the_f1_maximum_over_distinct_fillers() -> None:
    weapon = roles.LABELS.index("Weapon")
    texts = ["the bomb", "bomb", "dynamite", "car", "truck"]
    cands = [roles.Candidate(10 * i, 10 * i + len(t), t, 0, ("bias",)) for i, t in enumerate(texts)]
    probs = np.zeros((len(cands), len(roles.LABELS)))
    # "the bomb" and "bomb" are one filler; a low bar would let in the car and the truck
    probs[:, weapon] = [0.9, 0.85, 0.7, 0.3, 0.2]
    probs[:, 0] = 1 - probs[:, weapon]
    templates = [{"Weapon": [[["bomb", 3]], [["dynamite", 40]]]}]
    chosen, figures = best_thresholds([(cands, probs, templates)])
    assert 0.3 < chosen["Weapon"] <= 0.7
    assert figures["Weapon"]["F1"] == 100.0
    assert chosen["Victim"] == roles.DEFAULT_THRESHOLD


def test_entity_counts_count_each_filler_and_gold_entity_once() -> None:
    cand = roles.Candidate(0, 8, "the FMLN", 0, ("bias",))
    other = roles.Candidate(9, 13, "army", 0, ("bias",))
    chosen = [(cand, "PerpOrg", 0.9), (cand, "PerpOrg", 0.8), (other, "PerpOrg", 0.5)]
    templates = [{"PerpOrg": [[["fmln", 1], ["farabundo marti", 30]]]}, {"PerpOrg": [["FMLN"]]}]
    counts = entity_counts(chosen, templates)
    assert counts[roles.LABELS.index("PerpOrg") - 1].tolist() == [1, 2, 2, 2]
    assert gold_chains(templates, "PerpOrg") == {
        frozenset({"fmln", "farabundo marti"}),
        frozenset({"fmln"}),
    }


def test_shipped_model_fills_a_bombing_template(extractor, nlp) -> None:
    model = roles.load_role_model()
    if model is None:
        pytest.skip("no trained role model in the package (run the trainer to make one)")
    assert model.info["documents"] == 1300 and set(model.info["thresholds"]) == set(gtt.ROLES)
    text = (
        "Urban guerrillas set off a car bomb outside the U.S. embassy in San Salvador. "
        "Three guards were wounded. The FMLN claimed responsibility for the attack."
    )
    first = text.split(". ")[0] + "."
    event = Event(
        evidence=[EvidenceSpan(field="event", start=0, end=len(first), text=first)],
        confidence=0.8,
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        attack_type="Bombing/Explosion",
        weapons=["car bomb"],
    )
    result = ExtractResult(id="t", events=[event, event.model_copy()])
    doc = nlp(text)
    [template] = muc4.map_document(
        text, result, doc, extractor.kb.find_mentions(text), role_model=model
    )
    assert template["incident_type"] == "bombing"
    fillers = {role: [gtt.normalize_mention(e[0]) for e in template[role]] for role in gtt.ROLES}
    assert "car bomb" in fillers["Weapon"]
    everything = [f for values in fillers.values() for f in values]
    assert len(everything) == len(set(everything))  # one role per phrase in a template
    for role in gtt.ROLES:
        for entity in template[role]:
            assert entity[0] in text


def test_document_labels_count_an_alternation_for_both_types() -> None:
    templates = [{"incident_type": "attack / bombing"}, {"incident_type": "kidnapping"}]
    labels = dict(zip(roles.INCIDENT_LABELS, roles.document_labels(templates), strict=True))
    assert labels == {
        "relevant": 1,
        "attack": 1,
        "bombing": 1,
        "kidnapping": 1,
        "arson": 0,
        "robbery": 0,
        "forced work stoppage": 0,
    }
    assert roles.document_labels([]) == (0,) * len(roles.INCIDENT_LABELS)
    # the wire's capitals and the truecased text give the same features
    assert roles.document_features("BOMB EXPLODED") == roles.document_features("Bomb exploded")
    assert "b:bomb exploded" in roles.document_features("Bomb exploded")


def _toy_incidents() -> roles.IncidentModel:
    """Messages about kidnapping are relevant; those about the weather are not."""
    texts = ["gunmen kidnapped the mayor"] * 6 + ["rain fell on the capital"] * 6
    labels = [roles.document_labels([{"incident_type": "kidnapping"}])] * 6 + [
        roles.document_labels([])
    ] * 6
    return roles.fit_incident_model(texts, labels, min_count=2)


def test_incident_model_learns_relevance_and_type() -> None:
    model = _toy_incidents()
    probs = model.probabilities("GUNMEN KIDNAPPED A JUDGE")
    assert probs["relevant"] > 0.5 and probs["kidnapping"] > max(probs["attack"], 0.5)
    assert model.fallback_type("gunmen kidnapped a judge") == "kidnapping"
    assert model.fallback_type("rain fell on the coast") is None


def test_incident_model_files_round_trip_and_bad_files_say_so(tmp_path) -> None:
    assert roles.load_incident_model(tmp_path / "absent") is None
    model = _toy_incidents()
    roles.save_incident_model(model, tmp_path / "m")
    back = roles.load_incident_model(tmp_path / "m")
    assert back is not None and back.vocabulary == model.vocabulary
    assert back.fallback_type("gunmen kidnapped a judge") == "kidnapping"
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    meta["labels"] = meta["labels"][:-1]
    (tmp_path / "m" / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ConfigError, match="MUC-4 incident model files are unreadable"):
        roles.load_incident_model(tmp_path / "m")


def test_incident_model_types_a_message_without_an_event(nlp) -> None:
    text = "Gunmen kidnapped the mayor of Usulutan. His family asked for his release."
    doc = nlp(text)
    role_model = roles.RoleModel(
        {"bias": 0, "h:mayor": 1},
        np.array([[2.0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 9.0, 0]], np.float32),
        np.zeros(len(roles.LABELS), dtype=np.float32),
    )
    empty = ExtractResult(id="t", events=[])
    assert muc4.map_document(text, empty, doc, [], role_model=role_model) == []
    [template] = muc4.map_document(
        text, empty, doc, [], role_model=role_model, incident_model=_toy_incidents()
    )
    assert template["incident_type"] == "kidnapping"
    assert "mayor" in {gtt.normalize_mention(e[0]) for e in template["Victim"]}
    assert template["slots"] == {}


def test_assign_roles_drops_a_span_nested_in_a_more_probable_one_of_its_role() -> None:
    model = _toy_roles(
        {"bias": [0] * 6, "h:fmln": [0, 0, 3.0, 0, 0, 0], "h:member": [0, 2.0, 2.5, 0, 0, 0]},
        {"PerpOrg": 0.3, "PerpInd": 0.3},
    )
    org = roles.Candidate(11, 15, "FMLN", 0, ("bias", "h:fmln"))
    members = roles.Candidate(0, 15, "members of FMLN", 0, ("bias", "h:member"))
    # both read as PerpOrg; the less probable, outer span goes
    assert [c.text for c, _, _ in roles.assign_roles(model, [members, org])] == ["FMLN"]
    assert roles.nested(org, members) and roles.nested(members, org)
    assert not roles.nested(org, roles.Candidate(16, 20, "army", 0, ("bias",)))


def test_incident_model_gates_irrelevant_messages() -> None:
    model = _toy_incidents()
    assert model.relevant("gunmen kidnapped a judge")
    assert not model.relevant("rain fell on the capital", gate=0.5)
    assert model.relevant("rain fell on the capital", gate=0.0)


def test_settled_type_takes_the_message_models_type_only_when_clearly_surer() -> None:
    probs = dict.fromkeys(roles.INCIDENT_TYPES, 0.0) | {"attack": 0.5, "bombing": 0.7}
    assert roles.settled_type("attack", probs) == "bombing"
    assert roles.settled_type("attack", probs, margin=0.3) == "attack"
    assert roles.settled_type("bombing", probs) == "bombing"
    assert _toy_incidents().settle_type("attack", "gunmen kidnapped a judge") == "kidnapping"
