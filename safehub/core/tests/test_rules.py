"""The listing-rule evaluator: every kind at its boundaries, the where operators, validation.

Pure: no database. The window edge is inclusive: an event exactly `window_days` before as_of
(to the second) counts; a second older does not.
"""

from datetime import datetime, timedelta

import pytest

from safehub.core.rules import (
    DEFAULT_RULESETS,
    LONDON,
    Event,
    Rule,
    Ruleset,
    RulesetError,
    describe,
    evaluate,
    matches,
    ruleset_from_dict,
    ruleset_to_dict,
)

AS_OF = datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)
SECOND = timedelta(seconds=1)


def ago(days: float = 0, plus: timedelta = timedelta(0)) -> datetime:
    """`days` before AS_OF, then `plus` earlier still."""
    return AS_OF - timedelta(days=days) - plus


def ev(event_type: str, at: datetime, ref: str = "", **attrs) -> Event:
    return Event(type=event_type, at=at, attrs=attrs, ref=ref or f"{event_type}@{at.isoformat()}")


def one_rule(**fields) -> Ruleset:
    return Ruleset(id="test", version=1, title="Test", rules=(Rule(id="r", title="R", **fields),))


def fired_ids(ruleset: Ruleset, history, as_of=AS_OF) -> list[str]:
    return [f.rule_id for f in evaluate(ruleset, history, as_of)]


# --- count_in_window ---------------------------------------------------------------------------

THREE_IN_A_YEAR = one_rule(kind="count_in_window", event_types=("da_incident",), min_count=3, window_days=365)


@pytest.mark.parametrize(
    ("moments", "fires"),
    [
        ([ago(0), ago(100), ago(364)], True),
        ([ago(0), ago(1), ago(2)], True),
        # Exactly 3 with the oldest exactly on the edge of the window: inclusive, so it fires.
        ([ago(0), ago(100), ago(365)], True),
        # The oldest a second, or a day, beyond the edge drops out.
        ([ago(0), ago(100), ago(365, SECOND)], False),
        ([ago(0), ago(100), ago(366)], False),
        ([ago(0), ago(100)], False),
        # An event after as_of is ignored, even a second after.
        ([ago(0), ago(100), AS_OF + SECOND], False),
        ([ago(0), ago(100), ago(-30)], False),
        # An event exactly at as_of counts.
        ([AS_OF, ago(100), ago(200)], True),
        ([ago(0), ago(1), ago(2), ago(400)], True),
    ],
    ids=[
        "three-inside",
        "three-recent",
        "oldest-on-edge",
        "oldest-a-second-out",
        "oldest-a-day-out",
        "only-two",
        "one-a-second-after-as-of",
        "one-in-the-future",
        "one-exactly-at-as-of",
        "four-one-outside",
    ],
)
def test_count_in_window_boundaries(moments, fires):
    history = [ev("da_incident", at) for at in moments]
    assert fired_ids(THREE_IN_A_YEAR, history) == (["r"] if fires else [])


def test_count_in_window_counts_only_its_event_types():
    history = [ev("da_incident", ago(1)), ev("da_incident", ago(2)), ev("missing_episode", ago(3))]
    assert fired_ids(THREE_IN_A_YEAR, history) == []


def test_count_in_window_evidence_is_the_events_in_the_window_oldest_first():
    inside = [ev("da_incident", ago(d), ref=f"r{d}") for d in (3, 200, 10)]
    history = [*inside, ev("da_incident", ago(500), ref="old"), ev("da_incident", ago(-1), ref="future")]
    (fired,) = evaluate(THREE_IN_A_YEAR, history, AS_OF)
    assert [e.ref for e in fired.evidence] == ["r200", "r10", "r3"]


def test_count_in_window_reason_names_the_numbers():
    history = [ev("da_incident", ago(d)) for d in (1, 50, 300)]
    (fired,) = evaluate(THREE_IN_A_YEAR, history, AS_OF)
    assert fired.reason == (
        "3 domestic abuse incidents as a victim in the 12 months to 23 Nov 2026 "
        "(rule: at least 3 in 365 days)"
    )
    assert fired.title == "R"


def test_count_in_window_without_a_window_counts_the_whole_history():
    ruleset = one_rule(kind="count_in_window", event_types=("missing_episode",), min_count=2)
    assert fired_ids(ruleset, [ev("missing_episode", ago(3000)), ev("missing_episode", ago(1))]) == ["r"]
    assert fired_ids(ruleset, [ev("missing_episode", ago(3000))]) == []


def test_count_in_window_applies_where_to_each_event():
    ruleset = one_rule(
        kind="count_in_window",
        event_types=("mash_referral",),
        min_count=3,
        window_days=90,
        where={"rag": "green"},
    )
    greens = [ev("mash_referral", ago(d), rag="green") for d in (1, 30, 90)]
    assert fired_ids(ruleset, greens) == ["r"]
    assert fired_ids(ruleset, [*greens[:2], ev("mash_referral", ago(5), rag="amber")]) == []
    assert fired_ids(ruleset, [*greens[:2], ev("mash_referral", ago(91), rag="green")]) == []
    (fired,) = evaluate(ruleset, greens, AS_OF)
    assert "3 MASH referrals with rag green in the 90 days to 23 Nov 2026" in fired.reason


def test_window_follows_london_wall_clock_time_across_a_clock_change():
    # 30 days before 15 Nov 2026 12:00 GMT is 16 Oct 2026 12:00 BST (11:00 UTC).
    as_of = datetime(2026, 11, 15, 12, 0, tzinfo=LONDON)
    ruleset = one_rule(kind="count_in_window", event_types=("x",), min_count=1, window_days=30)
    edge = datetime(2026, 10, 16, 12, 0, tzinfo=LONDON)
    assert fired_ids(ruleset, [ev("x", edge)], as_of) == ["r"]
    assert fired_ids(ruleset, [ev("x", edge - SECOND)], as_of) == []


# --- threshold ---------------------------------------------------------------------------------

HIGH_DASH = one_rule(kind="threshold", event_types=("dash",), where={"score__gte": 14})


@pytest.mark.parametrize(
    ("history", "fires"),
    [
        ([ev("dash", ago(2), score=14)], True),
        ([ev("dash", ago(2), score=27)], True),
        ([ev("dash", ago(2), score=13)], False),
        # The latest assessment decides: an older high score does not fire after a lower one.
        ([ev("dash", ago(40), score=16), ev("dash", ago(2), score=10)], False),
        ([ev("dash", ago(40), score=10), ev("dash", ago(2), score=16)], True),
        # A newer assessment after as_of is ignored, so the earlier one is the latest.
        ([ev("dash", ago(2), score=16), ev("dash", ago(-1), score=3)], True),
        ([ev("dash", ago(2))], False),
        ([ev("dash", ago(2), score="15")], False),
        ([ev("dash", ago(2), score=True)], False),
        ([ev("exploitation_assessment", ago(2), score=20)], False),
        ([], False),
    ],
    ids=[
        "exactly-14",
        "27",
        "13",
        "older-high-then-lower",
        "older-low-then-high",
        "future-ignored",
        "no-score",
        "score-as-text",
        "score-as-bool",
        "other-type",
        "no-history",
    ],
)
def test_threshold_looks_at_the_latest_event(history, fires):
    assert fired_ids(HIGH_DASH, history) == (["r"] if fires else [])


def test_threshold_with_a_window_ignores_older_events():
    ruleset = one_rule(kind="threshold", event_types=("dash",), where={"score__gte": 14}, window_days=30)
    assert fired_ids(ruleset, [ev("dash", ago(30), score=15)]) == ["r"]
    assert fired_ids(ruleset, [ev("dash", ago(31), score=15)]) == []


def test_threshold_reason_and_evidence_name_the_assessment():
    latest = ev("dash", ago(3), score=15, ref="dash-2")
    (fired,) = evaluate(HIGH_DASH, [ev("dash", ago(90), score=2, ref="dash-1"), latest], AS_OF)
    assert fired.evidence == (latest,)
    assert fired.reason == (
        "The latest DASH risk assessment, on 20 Nov 2026, has score 15 (rule: score at least 14)"
    )


# --- where operators ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "attrs", "expected"),
    [
        ({}, {}, True),
        ({"rag": "green"}, {"rag": "green"}, True),
        ({"rag": "green"}, {"rag": "amber"}, False),
        ({"rag": "green"}, {}, False),
        ({"score__gte": 14}, {"score": 14}, True),
        ({"score__gte": 14}, {"score": 13}, False),
        ({"score__gt": 14}, {"score": 14}, False),
        ({"score__gt": 14}, {"score": 15}, True),
        ({"score__lte": 9}, {"score": 9}, True),
        ({"score__lte": 9}, {"score": 10}, False),
        ({"score__lt": 9}, {"score": 9}, False),
        ({"score__lt": 9}, {"score": 8.5}, True),
        ({"score__gte": 14}, {"score": "20"}, False),
        ({"score__gte": 14}, {"score": None}, False),
        ({"level__in": ["high", "significant"]}, {"level": "significant"}, True),
        ({"level__in": ["high", "significant"]}, {"level": "medium"}, False),
        ({"level__in": ["high"]}, {}, False),
        ({"score__gte": 10, "rag": "red"}, {"score": 12, "rag": "red"}, True),
        ({"score__gte": 10, "rag": "red"}, {"score": 12, "rag": "green"}, False),
        ({"override_level": "high"}, {"override_level": "high", "score": 3}, True),
    ],
)
def test_where_operators(where, attrs, expected):
    assert matches(where, attrs) is expected


# --- within_window_of ----------------------------------------------------------------------------

REPEAT_MARAC = one_rule(
    kind="within_window_of", event_types=("da_incident",), anchor_types=("marac_heard",), window_days=365
)


@pytest.mark.parametrize(
    ("history", "fires"),
    [
        ([ev("marac_heard", ago(200)), ev("da_incident", ago(10))], True),
        ([ev("da_incident", ago(300)), ev("marac_heard", ago(200))], False),
        ([ev("da_incident", ago(10))], False),
        ([ev("marac_heard", ago(10))], False),
        # Exactly 365 days after the hearing counts; a day (or a second) later does not.
        ([ev("marac_heard", ago(400)), ev("da_incident", ago(35))], True),
        ([ev("marac_heard", ago(400)), ev("da_incident", ago(34))], False),
        ([ev("marac_heard", ago(400)), ev("da_incident", ago(35) + SECOND)], False),
        # The latest hearing is the anchor: an incident between two hearings does not count.
        ([ev("marac_heard", ago(500)), ev("da_incident", ago(300)), ev("marac_heard", ago(50))], False),
        ([ev("marac_heard", ago(500)), ev("marac_heard", ago(50)), ev("da_incident", ago(5))], True),
        # Strictly after the hearing: an incident at the same moment is not "after".
        ([ev("marac_heard", ago(20)), ev("da_incident", ago(20))], False),
        # Events after as_of are ignored, both incidents and hearings.
        ([ev("marac_heard", ago(20)), ev("da_incident", ago(-2))], False),
        ([ev("marac_heard", ago(100)), ev("da_incident", ago(10)), ev("marac_heard", ago(-5))], True),
    ],
    ids=[
        "incident-after-hearing",
        "incident-before-hearing",
        "no-hearing",
        "no-incident",
        "on-the-edge",
        "a-day-late",
        "a-second-late",
        "between-two-hearings",
        "after-the-latest-hearing",
        "same-moment",
        "incident-after-as-of",
        "hearing-after-as-of",
    ],
)
def test_within_window_of_boundaries(history, fires):
    assert fired_ids(REPEAT_MARAC, history) == (["r"] if fires else [])


def test_within_window_of_needs_min_count_events_and_shows_the_anchor_as_evidence():
    ruleset = one_rule(
        kind="within_window_of",
        event_types=("da_incident",),
        anchor_types=("marac_heard",),
        window_days=365,
        min_count=2,
    )
    hearing = ev("marac_heard", ago(200), ref="hearing")
    first = ev("da_incident", ago(100), ref="i1")
    assert fired_ids(ruleset, [hearing, first]) == []
    (fired,) = evaluate(ruleset, [hearing, first, ev("da_incident", ago(3), ref="i2")], AS_OF)
    assert [e.ref for e in fired.evidence] == ["hearing", "i1", "i2"]
    assert fired.reason.startswith(
        "2 domestic abuse incidents as a victim within the 12 months after the MARAC hearing on 7 May 2026"
    )


def test_evaluate_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="as_of"):
        evaluate(THREE_IN_A_YEAR, [], datetime(2026, 11, 23))
    with pytest.raises(ValueError, match=r"events\[0\]"):
        evaluate(THREE_IN_A_YEAR, [Event("da_incident", datetime(2026, 11, 1))], AS_OF)


# --- Default rulesets ------------------------------------------------------------------------------


def test_default_rulesets_are_the_ones_the_apps_ask_for():
    assert set(DEFAULT_RULESETS) == {
        "repeat-victim",
        "repeat-location",
        "marac",
        "mace",
        "repeat-missing",
        "mash-escalation",
    }
    assert [r.id for r in DEFAULT_RULESETS["marac"].rules] == [
        "visible_high_risk",
        "professional_judgement",
        "practitioner_referral",
        "potential_escalation",
        "repeat_marac",
    ]
    assert [r.id for r in DEFAULT_RULESETS["mace"].rules] == [
        "high_exploitation_risk",
        "repeat_missing",
        "practitioner_referral",
    ]
    for ruleset in DEFAULT_RULESETS.values():
        assert ruleset.source, ruleset.id
        assert ruleset_from_dict(ruleset_to_dict(ruleset)) == ruleset


def test_repeat_victim_default_is_three_contacts_in_365_days_and_says_it_is_local():
    ruleset = DEFAULT_RULESETS["repeat-victim"]
    (rule,) = ruleset.rules
    assert (rule.id, rule.kind, rule.event_types, rule.min_count, rule.window_days) == (
        "repeat_victim",
        "count_in_window",
        ("contact_victim",),
        3,
        365,
    )
    assert "local default" in ruleset.notes.lower()
    history = [ev("contact_victim", ago(d)) for d in (1, 100, 365)]
    assert fired_ids(ruleset, history) == ["repeat_victim"]
    assert fired_ids(ruleset, history[:2]) == []


def test_repeat_location_default_is_three_contacts_in_90_days():
    ruleset = DEFAULT_RULESETS["repeat-location"]
    assert fired_ids(ruleset, [ev("contact_location", ago(d)) for d in (0, 45, 90)]) == ["repeat_location"]
    assert fired_ids(ruleset, [ev("contact_location", ago(d)) for d in (0, 45, 91)]) == []


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([ev("dash", ago(1), score=14)], ["visible_high_risk"]),
        ([ev("dash", ago(1), score=9, override_level="high")], ["professional_judgement"]),
        (
            [ev("dash", ago(1), score=20, override_level="high")],
            ["visible_high_risk", "professional_judgement"],
        ),
        ([ev("da_incident", ago(d)) for d in (1, 2, 3)], ["potential_escalation"]),
        ([ev("marac_heard", ago(300)), ev("da_incident", ago(1))], ["repeat_marac"]),
        ([ev("dash", ago(1), score=13)], []),
    ],
)
def test_marac_default_routes(history, expected):
    assert fired_ids(DEFAULT_RULESETS["marac"], history) == expected


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([ev("exploitation_assessment", ago(1), level="significant")], ["high_exploitation_risk"]),
        ([ev("exploitation_assessment", ago(1), level="high")], ["high_exploitation_risk"]),
        ([ev("exploitation_assessment", ago(1), level="medium")], []),
        ([ev("missing_episode", ago(d)) for d in (1, 40, 90)], ["repeat_missing"]),
        ([ev("missing_episode", ago(d)) for d in (1, 40, 91)], []),
    ],
)
def test_mace_default_rules(history, expected):
    assert fired_ids(DEFAULT_RULESETS["mace"], history) == expected


def test_repeat_missing_and_mash_escalation_defaults():
    assert fired_ids(
        DEFAULT_RULESETS["repeat-missing"], [ev("missing_episode", ago(d)) for d in (0, 1, 2)]
    ) == ["repeat_missing"]
    greens = [ev("mash_referral", ago(d), rag="green") for d in (0, 10, 90)]
    assert fired_ids(DEFAULT_RULESETS["mash-escalation"], greens) == ["repeat_green_referrals"]


def test_describe_says_each_rule_in_plain_english():
    marac = {r.id: describe(r) for r in DEFAULT_RULESETS["marac"].rules}
    assert marac["potential_escalation"] == "at least 3 domestic abuse incidents as a victim in 365 days"
    assert marac["visible_high_risk"] == "the latest DASH risk assessment with score at least 14"
    assert marac["repeat_marac"] == (
        "at least 1 domestic abuse incident as a victim within 365 days after the latest MARAC hearing"
    )


# --- Validation ----------------------------------------------------------------------------------------


def definition(**rule_overrides):
    rule = {"id": "r", "title": "R", "kind": "count_in_window", "event_types": ["x"], "min_count": 2}
    rule.update(rule_overrides)
    return {"id": "test", "title": "Test", "rules": [{k: v for k, v in rule.items() if v is not ...}]}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (definition(kind="sometimes"), "rules[0].kind: unknown kind 'sometimes'"),
        (definition(kind=...), "rules[0].kind: is required"),
        (definition(event_types=...), "rules[0].event_types: is required"),
        (definition(event_types=[]), "rules[0].event_types: is required"),
        (definition(event_types="x"), "rules[0].event_types: must be a list"),
        (definition(id=...), "rules[0].id: is required"),
        (definition(id="Has Spaces"), "rules[0].id: use lower-case"),
        (definition(title=...), "rules[0].title: is required"),
        (definition(min_count=0), "rules[0].min_count: must be a whole number of at least 1"),
        (definition(min_count=1.5), "rules[0].min_count"),
        (definition(window_days=-5), "rules[0].window_days: must be a whole number of days of at least 1"),
        (definition(window_days=0), "rules[0].window_days"),
        (definition(window_days="365"), "rules[0].window_days"),
        (definition(where={"score__approx": 3}), "rules[0].where.score__approx: unknown operator 'approx'"),
        (definition(where={"rag__eq": "green"}), "rules[0].where.rag__eq: unknown operator 'eq'"),
        (definition(where={"level__in": "high"}), "rules[0].where.level__in: __in needs a non-empty list"),
        (definition(where={"score__gte": "14"}), "rules[0].where.score__gte: __gte needs a number"),
        (definition(where=["score"]), "rules[0].where: must be an object"),
        (definition(window="365"), "rules[0].window: unknown field"),
        (definition(kind="within_window_of", window_days=365), "rules[0].anchor_types: is required"),
        (definition(kind="within_window_of", anchor_types=["y"]), "rules[0].window_days: is required"),
        (definition(anchor_types=["y"]), "rules[0].anchor_types: only a within_window_of rule"),
        (definition(kind="threshold", min_count=...), "rules[0].where: a threshold rule needs"),
        (definition(kind="threshold", where={"a": 1}), "rules[0].min_count: a threshold rule looks"),
        ({"title": "T", "rules": definition()["rules"]}, "id: is required"),
        ({"id": "t", "rules": definition()["rules"]}, "title: is required"),
        ({"id": "t", "title": "T"}, "rules: is required"),
        ({"id": "t", "title": "T", "rules": []}, "rules: is required"),
        ({"id": "t", "title": "T", "rules": ["x"]}, "rules[0]: must be an object"),
        ({**definition(), "version": 0}, "version: must be a whole number of at least 1"),
        ({**definition(), "colour": "red"}, "colour: unknown field"),
        ({**definition(), "rules": definition()["rules"] * 2}, "rules[1].id: 'r' is used by an earlier rule"),
        ([], "ruleset: must be an object"),
    ],
)
def test_ruleset_validation_names_the_field(data, problem):
    with pytest.raises(RulesetError) as caught:
        ruleset_from_dict(data)
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems
    assert isinstance(caught.value, ValueError)


def test_ruleset_validation_reports_every_problem_at_once():
    data = {
        "id": "t",
        "title": "",
        "rules": [
            {"id": "a", "title": "A", "kind": "nope", "event_types": ["x"]},
            {"id": "b", "title": "B", "kind": "count_in_window", "event_types": ["x"], "min_count": 0},
        ],
    }
    with pytest.raises(RulesetError) as caught:
        ruleset_from_dict(data)
    problems = caught.value.problems
    assert len(problems) == 3
    assert [p.split(":")[0] for p in problems] == ["title", "rules[0].kind", "rules[1].min_count"]
    assert "rules[0].kind" in str(caught.value)


def test_a_valid_definition_reads_into_a_ruleset():
    ruleset = ruleset_from_dict(
        definition(kind="count_in_window", window_days=30, where={"level__in": ["high"], "score__gt": 3})
    )
    assert ruleset.version == 1
    (rule,) = ruleset.rules
    assert (rule.min_count, rule.window_days, dict(rule.where)) == (
        2,
        30,
        {"level__in": ["high"], "score__gt": 3},
    )
