"""The pure rules: THRIVE grade table, RCRP, Encompass age, location keys (no database)."""

from datetime import date

import pytest

from safehub.contacts import rules

ALL_LOW = dict.fromkeys(rules.ELEMENTS, "low")


def levels(**changes):
    return {**ALL_LOW, **changes}


@pytest.mark.parametrize(
    ("changes", "rcrp", "band"),
    [
        ({}, "", "resolution"),
        ({"threat": "high"}, "", "immediate"),
        ({"harm": "high"}, "", "immediate"),
        ({"risk": "high", "vulnerability": "low"}, "", "immediate"),
        ({"risk": "medium"}, "", "priority"),
        ({"threat": "medium", "investigation": "high"}, "", "priority"),
        ({"vulnerability": "medium"}, "", "priority"),
        ({"vulnerability": "high"}, "", "priority"),
        ({"investigation": "medium"}, "", "scheduled"),
        ({"engagement": "high"}, "", "scheduled"),
        ({"investigation": "high", "engagement": "high"}, "", "scheduled"),
        ({"threat": "high"}, "health_lead", "resolution"),
        ({"risk": "high"}, "no_police_action", "resolution"),
        ({"risk": "high"}, "attend_risk", "immediate"),
        ({"investigation": "medium"}, "attend_crime", "scheduled"),
    ],
)
def test_grade_rule_table(changes, rcrp, band):
    assert rules.suggest_band(levels(**changes), rcrp) == band


@pytest.mark.parametrize("bad", [{"threat": "severe"}, {"threat": ""}, {"engagement": None}])
def test_grade_rule_refuses_unknown_or_missing_levels(bad):
    with pytest.raises(ValueError, match="threat|engagement"):
        rules.suggest_band(levels(**bad))


def test_rcrp_applies_to_mental_health_and_welfare_calls_only():
    assert rules.rcrp_required("mental_health")
    assert rules.rcrp_required("concern_for_welfare")
    assert not rules.rcrp_required("domestic")
    assert not rules.rcrp_required("crime")


@pytest.mark.parametrize(
    ("dob", "on", "expected"),
    [
        (date(2022, 3, 2), date(2026, 3, 1), False),  # 3, a day before the 4th birthday
        (date(2022, 3, 1), date(2026, 3, 1), True),  # 4 today
        (date(2008, 3, 2), date(2026, 3, 1), True),  # 17, a day before 18
        (date(2008, 3, 1), date(2026, 3, 1), False),  # 18 today
        (None, date(2026, 3, 1), False),
    ],
)
def test_encompass_age_is_4_to_17_on_the_incident_date(dob, on, expected):
    assert rules.encompass_age(dob, on) is expected


def test_location_key_is_the_postcode_else_the_lsoa():
    assert rules.location_key("LS1 4AP", "E01011234") == "postcode:LS1 4AP"
    assert rules.location_key("", "E01011234") == "lsoa:E01011234"
    assert rules.location_key("", "") == ""


def test_lsoa_codes_are_checked():
    assert rules.lsoa_problem("E01011234") is None
    assert rules.lsoa_problem("W01000001") is None
    assert rules.lsoa_problem("Leeds 111C")
    assert rules.lsoa_problem("") is None


def test_child_present_means_present_in_a_role():
    assert rules.child_present({"child_present"})
    assert rules.child_present({"witness"})
    assert not rules.child_present({"subject"})
