"""Scoring and override rules of every shipped instrument: table-driven, no database."""

from __future__ import annotations

import pytest

from safehub.instruments import rules

from .helpers import dash_answers, definition, yes_to

DASH = definition("dash")
CE = definition("child-exploitation")
MISSING = definition("missing-risk")
THRIVE = definition("thrive")


def pj(level: str, reason: str = "Victim describes escalating threats since separation") -> dict[str, str]:
    return {"level": level, "reason": reason}


# --- DASH -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "score", "level", "visible_high_risk"),
    [
        (dash_answers(0), 0, "standard", False),
        (dash_answers(9), 9, "standard", False),
        (dash_answers(10), 10, "medium", False),
        (dash_answers(13), 13, "medium", False),
        (dash_answers(14), 14, "high", True),
        (dash_answers(27), 27, "high", True),
        (dash_answers(13, not_known=1), 13, "medium", False),  # not known is not yes
        (dash_answers(13, not_known=14), 13, "medium", False),
        (dash_answers(0, rest="not_asked"), 0, "standard", False),
    ],
)
def test_dash_counts_yes_answers_into_bands(answers, score, level, visible_high_risk):
    result = rules.score(DASH, answers)

    assert (result.score, result.level, result.computed_level) == (score, level, level)
    assert ("marac:visible_high_risk" in result.triggers) == visible_high_risk
    assert "marac:professional_judgement" not in result.triggers
    assert result.override_level is None


@pytest.mark.parametrize(
    ("yes", "override", "level", "triggers"),
    [
        (5, "high", "high", {"marac:professional_judgement"}),  # raise: always allowed
        (12, "high", "high", {"marac:professional_judgement"}),
        (13, "medium", "medium", set()),  # agreeing is allowed
        (13, "standard", "standard", set()),  # lowering below 14 is allowed
        (14, "high", "high", {"marac:visible_high_risk", "marac:professional_judgement"}),
    ],
)
def test_dash_professional_judgement_that_is_allowed(yes, override, level, triggers):
    result = rules.score(DASH, dash_answers(yes), pj(override))

    assert result.level == level
    assert result.override_level == override
    assert result.override_reason.startswith("Victim describes")
    assert {t for t in result.triggers if t.startswith("marac:")} == triggers
    assert any("Professional judgement" in reason for reason in result.reasons)


@pytest.mark.parametrize(("yes", "override"), [(14, "medium"), (15, "standard"), (27, "medium")])
def test_dash_professional_judgement_may_not_lower_14_or_more(yes, override):
    with pytest.raises(rules.OverrideError) as caught:
        rules.score(DASH, dash_answers(yes), pj(override))

    assert caught.value.errors == {
        rules.PJ_LEVEL: f"DASH score {yes} is 14 or more: professional judgement may raise the level "
        "but not lower it"
    }


@pytest.mark.parametrize(
    ("judgement", "field", "message"),
    [
        (
            {"level": "high", "reason": ""},
            rules.PJ_REASON,
            "Enter the reason for your professional judgement",
        ),
        ({"level": "high", "reason": "   "}, rules.PJ_REASON, "Enter the reason"),
        ({"level": "high"}, rules.PJ_REASON, "Enter the reason"),
        ({"reason": "Something worries me"}, rules.PJ_LEVEL, "Select the level"),
        ({"level": "critical", "reason": "x"}, rules.PJ_LEVEL, "Level must be one of standard, medium, high"),
        ({"level": "high", "reason": "x", "by": "me"}, "professional_judgement_by", "Unknown field"),
        ("high", "professional_judgement", "Must be an object"),
    ],
)
def test_malformed_professional_judgement_is_refused_naming_the_field(judgement, field, message):
    with pytest.raises(rules.AnswerError) as caught:
        rules.score(DASH, dash_answers(3), judgement)

    assert message in caught.value.errors[field]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"q28": "yes"}, "q28", "Unknown question: dash version 1 has no q28"),
        ({"q1": "maybe"}, "q1", "Answer must be one of yes, no, not_known, not_asked"),
        ({"q1": True}, "q1", "Answer must be one of"),
        ({"q27": None}, "q27", "Answer this mandatory question"),
        ({"q5": ""}, "q5", "Answer this mandatory question"),
    ],
)
def test_bad_answers_are_refused_naming_the_field(change, field, message):
    answers = {**dash_answers(3), **change}

    with pytest.raises(rules.AnswerError) as caught:
        rules.score(DASH, answers)

    assert message in caught.value.errors[field]
    assert isinstance(caught.value, rules.ScoringError)


def test_every_bad_answer_is_named_at_once():
    answers = dash_answers(3)
    del answers["q2"]
    answers.update({"q3": "maybe", "q99": "yes"})

    with pytest.raises(rules.AnswerError) as caught:
        rules.score(DASH, answers, {"level": "high"})

    assert set(caught.value.errors) == {"q2", "q3", "q99", rules.PJ_REASON}


def test_answers_must_be_an_object():
    with pytest.raises(rules.AnswerError) as caught:
        rules.score(DASH, ["yes"] * 27)
    assert set(caught.value.errors) == {"answers"}


@pytest.mark.parametrize(
    ("question", "trigger"),
    [("q8", "prompt:s_dash"), ("q4", "prompt:honour_based_abuse"), ("q18", "prompt:non_fatal_strangulation")],
)
def test_dash_prompts_follow_single_answers(question, trigger):
    answers = {**dash_answers(0), question: "yes"}

    assert trigger in rules.score(DASH, answers).triggers
    assert trigger not in rules.score(DASH, dash_answers(0)).triggers


def test_dash_reasons_explain_the_score():
    result = rules.score(DASH, dash_answers(15, not_known=2))

    assert result.reasons[0] == "15 of 27 questions answered yes"
    assert "2 answered not known or not asked, counted as not yes" in result.reasons
    assert result.as_dict()["reasons"] == list(result.reasons)
    assert "grade" not in result.as_dict()


# --- child exploitation (weighted sum) --------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "score", "level"),
    [
        ((), 0, "no_concern"),
        (("school_absence",), 1, "low"),
        (("missing", "hotspots"), 4, "low"),  # top of low
        (("missing", "travel_out_of_area"), 5, "medium"),  # bottom of medium
        (("travel_out_of_area", "older_associate", "cars_with_adults"), 9, "medium"),
        (("travel_out_of_area", "older_associate", "cars_with_adults", "school_absence"), 10, "high"),
        (("under_13", "learning_disability"), 0, "no_concern"),  # weight 0: not indicators
        (("disclosure",), 0, "high"),  # a disclosure makes it high whatever the score
        (("trafficking", "school_absence"), 1, "high"),
    ],
)
def test_child_exploitation_weighted_sum_at_band_edges(yes, score, level):
    result = rules.score(CE, yes_to("child-exploitation", *yes))

    assert (result.score, result.level) == (score, level)


@pytest.mark.parametrize(
    ("yes", "triggers"),
    [
        (("under_13",), set()),
        (("under_13", "school_absence"), {"referral:childrens_social_care_under_13"}),
        (("learning_disability", "school_absence"), {"referral:childrens_social_care_learning_disability"}),
        (("missing", "travel_out_of_area"), {"referral:childrens_social_care"}),
        (("disclosure",), {"referral:childrens_social_care", "mace:consider_listing"}),
        (
            ("trafficking",),
            {"referral:childrens_social_care", "mace:consider_listing", "prompt:national_referral_mechanism"},
        ),
    ],
)
def test_child_exploitation_triggers(yes, triggers):
    assert set(rules.score(CE, yes_to("child-exploitation", *yes)).triggers) == triggers


def test_child_exploitation_judgement_may_raise_but_never_lower():
    answers = yes_to("child-exploitation", "missing", "travel_out_of_area")  # 5: medium

    assert rules.score(CE, answers, pj("high")).level == "high"
    with pytest.raises(rules.OverrideError) as caught:
        rules.score(CE, answers, pj("low"))
    assert "may only raise it" in caught.value.errors[rules.PJ_LEVEL]


# --- missing person (max level) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "choices", "level"),
    [
        ((), {}, "very_low"),
        (("other_concern",), {}, "low"),
        ((), {"age_group": "child_12_to_17"}, "low"),
        (("out_of_character",), {}, "medium"),
        ((), {"age_group": "child_under_12"}, "medium"),
        (("other_concern", "weather_or_location"), {}, "medium"),
        (("suicide_or_self_harm",), {}, "high"),
        ((), {"medication": "essential"}, "high"),
        (("out_of_character", "risk_to_others"), {"age_group": "child_12_to_17"}, "high"),
    ],
)
def test_missing_risk_is_the_highest_level_any_factor_gives(yes, choices, level):
    result = rules.score(MISSING, yes_to("missing-risk", *yes, **choices))

    assert result.level == level
    assert result.score == MISSING.levels.index(level)
    assert ("missing:immediate_deployment" in result.triggers) == (level == "high")


def test_missing_risk_judgement_may_raise_and_lower_with_a_reason():
    high = yes_to("missing-risk", "suicide_or_self_harm")
    assert rules.score(MISSING, high, pj("medium")).level == "medium"
    assert rules.score(MISSING, yes_to("missing-risk"), pj("high")).level == "high"
    with pytest.raises(rules.AnswerError):
        rules.score(MISSING, high, {"level": "low", "reason": ""})


def test_missing_risk_records_the_source_of_information_without_scoring_it():
    answers = {**yes_to("missing-risk"), "information_sources": "Care home manager, 21:40"}

    assert rules.score(MISSING, answers).level == "very_low"
    assert (
        "prompt:exploitation_screening"
        in rules.score(MISSING, yes_to("missing-risk", "exploitation")).triggers
    )


# --- THRIVE (max level, grade mapping) --------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "level", "grade"),
    [
        ({}, "low", "scheduled"),
        ({"engagement": "medium"}, "medium", "priority"),
        ({"threat": "medium", "harm": "medium"}, "medium", "priority"),
        ({"risk": "high"}, "high", "immediate"),
        ({"threat": "high", "vulnerability": "medium"}, "high", "immediate"),
    ],
)
def test_thrive_takes_the_highest_element_and_maps_it_to_a_grade(levels, level, grade):
    result = rules.score(THRIVE, yes_to("thrive", **levels))

    assert (result.level, result.grade) == (level, grade)
    assert result.as_dict()["grade"] == grade
    assert THRIVE.grade_for(level).grade == grade


def test_thrive_rationale_is_text_and_not_scored():
    answers = {**yes_to("thrive"), "rationale": "Caller calm, suspect left the address"}
    assert rules.score(THRIVE, answers).level == "low"

    with pytest.raises(rules.AnswerError) as caught:
        rules.score(THRIVE, {**answers, "rationale": "x" * 2001})
    assert "2000 characters" in caught.value.errors["rationale"]


@pytest.mark.parametrize(("change", "field"), [({"threat": "severe"}, "threat"), ({"harm": "yes"}, "harm")])
def test_thrive_levels_must_be_low_medium_or_high(change, field):
    with pytest.raises(rules.AnswerError) as caught:
        rules.score(THRIVE, {**yes_to("thrive"), **change})
    assert caught.value.errors[field] == "Answer must be one of low, medium, high"


def test_thrive_judgement_may_lower_the_grade():
    result = rules.score(THRIVE, yes_to("thrive", risk="high"), pj("medium", "Suspect arrested at scene"))

    assert (result.computed_level, result.level, result.grade) == ("high", "medium", "priority")
    assert (
        "prompt:public_protection_notice"
        in rules.score(THRIVE, yes_to("thrive", vulnerability="high")).triggers
    )
