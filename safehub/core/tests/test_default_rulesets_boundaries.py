"""Every default listing rule at its boundaries, table-driven, through `rules.evaluate` (no database).

All cases are judged at AS_OF, 23 Nov 2026 12:00 London time (GMT). "N days before" means the
same London wall-clock time N days earlier, which is how a window is counted (both ends included).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from safehub.core.rules import DEFAULT_RULESETS, Event, evaluate

LONDON = ZoneInfo("Europe/London")
AS_OF = datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)


def days_before(days: float, *, seconds: int = 0) -> datetime:
    """London wall-clock time `days` before AS_OF, and `seconds` earlier still."""
    return (AS_OF.replace(tzinfo=None) - timedelta(days=days, seconds=seconds)).replace(tzinfo=LONDON)


def ev(event_type: str, at: datetime, **attrs) -> Event:
    return Event(event_type, at, attrs)


def fired(ruleset_id: str, events: list[Event]) -> set[str]:
    return {f.rule_id for f in evaluate(DEFAULT_RULESETS[ruleset_id], events, AS_OF)}


def series(event_type: str, oldest: datetime, count: int, **attrs) -> list[Event]:
    """`count` events: the oldest at `oldest`, the rest in the last few days before AS_OF."""
    return [ev(event_type, oldest, **attrs)] + [
        ev(event_type, days_before(n + 1), **attrs) for n in range(count - 1)
    ]


# (ruleset, rule, event type, attrs, count, window days) for every default count_in_window rule.
COUNT_RULES = [
    ("repeat-victim", "repeat_victim", "contact_victim", {}, 3, 365),
    ("repeat-location", "repeat_location", "contact_location", {}, 3, 90),
    ("marac", "potential_escalation", "da_incident", {}, 3, 365),
    ("marac", "practitioner_referral", "marac_referral", {}, 1, 90),
    ("mace", "repeat_missing", "missing_episode", {}, 3, 90),
    ("mace", "practitioner_referral", "mace_referral", {}, 1, 90),
    ("repeat-missing", "repeat_missing", "missing_episode", {}, 3, 90),
    ("mash-escalation", "repeat_green_referrals", "mash_referral", {"rag": "green"}, 3, 90),
]


def test_the_table_covers_every_default_count_rule():
    listed = {(r[0], r[1]) for r in COUNT_RULES}
    defaults = {
        (ruleset.id, rule.id)
        for ruleset in DEFAULT_RULESETS.values()
        for rule in ruleset.rules
        if rule.kind == "count_in_window"
    }
    assert listed == defaults
    for ruleset_id, rule_id, event_type, attrs, count, window in COUNT_RULES:
        (rule,) = [r for r in DEFAULT_RULESETS[ruleset_id].rules if r.id == rule_id]
        assert (rule.event_types, rule.min_count, rule.window_days) == ((event_type,), count, window)
        assert dict(rule.where) == ({"rag": "green"} if attrs else {})


@pytest.mark.parametrize(("ruleset_id", "rule_id", "event_type", "attrs", "count", "window"), COUNT_RULES)
@pytest.mark.parametrize(
    ("case", "oldest_offset", "extra", "fires"),
    [
        ("exactly N, the oldest exactly window_days before", {"days": 0}, 0, True),
        ("exactly N, the oldest one second older", {"days": 0, "seconds": 1}, 0, False),
        ("exactly N, the oldest one day older", {"days": 1}, 0, False),
        ("N-1 in the window", {"days": -1}, -1, False),
        ("exactly N well inside the window", {"days": -10}, 0, True),
        ("one more than N", {"days": -10}, 1, True),
    ],
)
def test_count_rules_at_their_boundaries(
    ruleset_id, rule_id, event_type, attrs, count, window, case, oldest_offset, extra, fires
):
    total = count + extra
    if total < 1:  # N-1 is no events at all for a rule that needs one
        assert rule_id not in fired(ruleset_id, [])
        return
    oldest = days_before(window + oldest_offset["days"], seconds=oldest_offset.get("seconds", 0))
    events = series(event_type, oldest, total, **attrs)
    assert (rule_id in fired(ruleset_id, events)) is fires, case


@pytest.mark.parametrize(("ruleset_id", "rule_id", "event_type", "attrs", "count", "window"), COUNT_RULES)
def test_count_rules_ignore_events_after_as_of(ruleset_id, rule_id, event_type, attrs, count, window):
    later = [ev(event_type, AS_OF + timedelta(seconds=1 + n), **attrs) for n in range(count)]
    assert rule_id not in fired(ruleset_id, later)
    on_the_dot = [ev(event_type, AS_OF, **attrs) for _ in range(count)]
    assert rule_id in fired(ruleset_id, on_the_dot)


def test_the_window_is_counted_in_london_wall_clock_days_across_the_clock_change():
    # 90 days before 23 Nov 12:00 GMT is 25 Aug 12:00 BST (11:00 UTC): it counts, 10:59 UTC does not.
    oldest = datetime(2026, 8, 25, 12, 0, tzinfo=LONDON)
    assert "repeat_missing" in fired("repeat-missing", series("missing_episode", oldest, 3))
    older = oldest - timedelta(minutes=1)
    assert "repeat_missing" not in fired("repeat-missing", series("missing_episode", older, 3))


# --- MARAC -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([ev("dash", days_before(1), score=13)], set()),
        ([ev("dash", days_before(1), score=14)], {"visible_high_risk"}),
        ([ev("dash", days_before(1), score=24)], {"visible_high_risk"}),
        (
            [ev("dash", days_before(30), score=13), ev("dash", days_before(1), score=14)],
            {"visible_high_risk"},
        ),
        ([ev("dash", days_before(30), score=14), ev("dash", days_before(1), score=13)], set()),
        ([ev("dash", days_before(1), score="14")], set()),  # a score that is not a number never matches
        ([ev("dash", days_before(1))], set()),  # no score at all
        ([ev("dash", days_before(1), score=9, override_level="high")], {"professional_judgement"}),
        ([ev("dash", days_before(1), score=9, override_level="medium")], set()),
        (
            [ev("dash", days_before(1), score=15, override_level="high")],
            {"visible_high_risk", "professional_judgement"},
        ),
        (
            [
                ev("dash", days_before(30), score=9, override_level="high"),
                ev("dash", days_before(1), score=9),
            ],
            set(),
        ),
        ([ev("dash", AS_OF + timedelta(minutes=1), score=20)], set()),  # after as_of: not yet
    ],
    ids=[
        "dash 13",
        "dash 14",
        "dash 24",
        "13 then 14",
        "14 then 13",
        "score as text",
        "no score",
        "override high",
        "override medium",
        "14 and override high",
        "override then a newer dash without",
        "after as_of",
    ],
)
def test_marac_dash_rules(events, expected):
    assert fired("marac", events) & {"visible_high_risk", "professional_judgement"} == expected


HEARING = datetime(2025, 11, 20, 10, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("events", "fires"),
    [
        ([ev("marac_heard", HEARING), ev("da_incident", HEARING + timedelta(days=365))], True),
        ([ev("marac_heard", HEARING), ev("da_incident", HEARING + timedelta(days=366))], False),
        (
            [ev("marac_heard", HEARING), ev("da_incident", HEARING + timedelta(days=365, seconds=1))],
            False,
        ),
        ([ev("marac_heard", HEARING), ev("da_incident", HEARING + timedelta(days=1))], True),
        ([ev("marac_heard", HEARING), ev("da_incident", HEARING)], False),  # at the hearing: not after it
        ([ev("da_incident", HEARING - timedelta(days=30)), ev("marac_heard", HEARING)], False),
        ([ev("da_incident", HEARING + timedelta(days=30))], False),  # no hearing at all
        (
            # the latest hearing is the anchor: an incident after the older one only does not count
            [
                ev("marac_heard", HEARING - timedelta(days=200)),
                ev("da_incident", HEARING - timedelta(days=100)),
                ev("marac_heard", HEARING),
            ],
            False,
        ),
    ],
    ids=[
        "365 days after",
        "366 days after",
        "365 days and a second",
        "the day after",
        "at the hearing",
        "before the hearing",
        "no hearing",
        "after an earlier hearing only",
    ],
)
def test_marac_repeat_marac(events, fires):
    assert ("repeat_marac" in fired("marac", events)) is fires


def test_repeat_marac_evidence_is_the_hearing_and_the_incident():
    hearing = ev("marac_heard", HEARING)
    incident = ev("da_incident", HEARING + timedelta(days=365))
    (result,) = [f for f in evaluate(DEFAULT_RULESETS["marac"], [incident, hearing], AS_OF)]
    assert result.evidence == (hearing, incident)
    assert "within the 12 months after the MARAC hearing on 20 Nov 2025" in result.reason


# --- MACE --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "fires"),
    [
        (["low"], False),
        (["medium"], False),
        (["high"], True),
        (["significant"], True),
        (["High"], False),  # values are matched exactly
        (["high", "medium"], False),  # the latest assessment decides
        (["medium", "high"], True),
        (["significant", "low"], False),
        ([], False),
    ],
)
def test_mace_exploitation_levels_and_the_latest_assessment(levels, fires):
    events = [
        ev("exploitation_assessment", days_before(len(levels) - n), level=level)
        for n, level in enumerate(levels)
    ]
    assert ("high_exploitation_risk" in fired("mace", events)) is fires


def test_mace_exploitation_assessment_has_no_window():
    old = [ev("exploitation_assessment", days_before(3000), level="high")]
    assert "high_exploitation_risk" in fired("mace", old)


# --- MASH escalation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rags", "fires"),
    [
        (["green", "green", "green"], True),
        (["green", "green", "amber"], False),
        (["green", "green", "red"], False),
        (["amber", "amber", "amber"], False),
        (["green", "green", "amber", "green"], True),
        (["Green", "green", "green"], False),
    ],
)
def test_mash_escalation_counts_green_referrals_only(rags, fires):
    events = [ev("mash_referral", days_before(n + 1), rag=rag) for n, rag in enumerate(rags)]
    events.append(ev("mash_referral", days_before(1)))  # no rag at all never matches
    assert ("repeat_green_referrals" in fired("mash-escalation", events)) is fires


# --- Rulesets do not see each other's events ----------------------------------------------------


@pytest.mark.parametrize("ruleset_id", sorted(DEFAULT_RULESETS))
def test_events_of_other_types_never_fire_a_ruleset(ruleset_id):
    ruleset = DEFAULT_RULESETS[ruleset_id]
    own = {t for rule in ruleset.rules for t in (*rule.event_types, *rule.anchor_types)}
    others = [
        ev(t, days_before(n + 1), score=30, level="high", rag="green", override_level="high")
        for n, t in enumerate(
            ["contact_victim", "contact_location", "da_incident", "dash", "marac_heard", "missing_episode"]
            + ["exploitation_assessment", "marac_referral", "mace_referral", "mash_referral"]
        )
        if t not in own
    ]
    assert fired(ruleset_id, others * 3) == set()
