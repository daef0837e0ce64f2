"""The pure rules on hand-made histories: what is new, what is not, and stable keys."""

from __future__ import annotations

import datetime as dt

from watchfloor.watch.alerts import EventView, Knowledge, evaluate
from watchfloor.watch.config import AlertRules

KNOW = Knowledge(kinds={"g": "armed_group", "army": "state_forces"}, resolve=lambda n: n.lower())


def ev(i: int, day: int, country: str, admin2: str, who: str = "g", **kw) -> EventView:  # type: ignore[no-untyped-def]
    values = dict(
        id=i,
        day=dt.date(2020, 1, day),
        country=country,
        admin1=f"{country}-1",
        admin2=admin2,
        event_type="Explosions/Remote violence",
        perpetrator=who,
        perpetrator_id=who,
        perpetrator_status="claimed",
        perpetrator_inter=2,
        opponent=None,
        opponent_id=None,
        opponent_inter=None,
        fatalities=1,
        ledger=((who, "claimed"),),
        article_ids=frozenset({i}),
        quotes=(f"quote {i}",),
        sources=(),
    )
    values.update(kw)
    return EventView(**values)


DEFAULT = AlertRules()


def keys(events, fresh=None, rules=DEFAULT):  # type: ignore[no-untyped-def]
    return [a.key for a in evaluate(events, [], KNOW, rules, fresh)]


def test_first_claim_in_a_new_country_needs_claims_elsewhere() -> None:
    history = [ev(1, 1, "AF", "a"), ev(2, 2, "AF", "a"), ev(3, 3, "PK", "b")]
    assert "first_claim_in_country:g:PK" in keys(history)
    assert not any(k.startswith("first_claim") for k in keys(history[:2]))


def test_fresh_filter_and_late_reports_keep_keys() -> None:
    history = [ev(1, 1, "AF", "a"), ev(2, 5, "AF", "b")]
    assert keys(history, fresh={2}) == ["first_in_admin2:g:AF:b"]
    assert keys(history, fresh={1}) == []
    # a late report of an older event in district b moves the "first" but not the key
    late = [*history, ev(3, 3, "AF", "b")]
    assert keys(late) == ["first_in_admin2:g:AF:b"]


def test_state_forces_are_not_groups_and_denials_do_not_count() -> None:
    army = [
        ev(1, 1, "AF", "a", who="army", perpetrator_inter=1),
        ev(2, 2, "AF", "b", who="army", perpetrator_inter=1),
    ]
    assert keys(army, rules=AlertRules(enabled=("first_in_admin2",))) == []
    denied = [ev(1, 1, "AF", "a"), ev(2, 2, "AF", "b", perpetrator_status="denied")]
    assert keys(denied, rules=AlertRules(enabled=("first_in_admin2",))) == []


def test_spike_needs_history_and_a_floor() -> None:
    rules = AlertRules(enabled=("fatality_spike",))
    early = [ev(1, 1, "AF", "a"), ev(2, 2, "AF", "a", fatalities=40)]
    assert keys(early, rules=rules) == []  # one day of history is no baseline
    steady = [ev(i, i, "AF", "a", fatalities=4) for i in range(1, 8)]
    assert keys([*steady, ev(9, 9, "AF", "a", fatalities=9)], rules=rules) == []  # under floor
    assert keys([*steady, ev(9, 9, "AF", "a", fatalities=30)], rules=rules) == [
        "fatality_spike:AF:AF-1:2020-01-09"
    ]
