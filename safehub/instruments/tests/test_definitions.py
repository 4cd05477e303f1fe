"""The shipped definition files, and the validation of broken ones (every problem named)."""

from __future__ import annotations

import copy

import pytest

from safehub.instruments import rules
from safehub.instruments.definitions import INSTRUMENT_IDS, shipped, shipped_definition


def dash() -> dict:
    return copy.deepcopy(shipped_definition("dash", 1))


def test_every_shipped_instrument_is_there_and_validates():
    assert set(shipped()) == set(INSTRUMENT_IDS)
    for instrument_id, versions in shipped().items():
        for version, data in versions.items():
            assert rules.validate_definition(data) == [], (instrument_id, version)
            assert data["id"] == instrument_id


def test_dash_has_27_yes_no_questions_q1_to_q27_in_order():
    definition = rules.parse_definition(dash())

    assert [q.id for q in definition.questions] == [f"q{n}" for n in range(1, 28)]
    assert {q.answer_type for q in definition.questions} == {"yes_no"}
    assert all(q.mandatory for q in definition.questions)
    assert [(b.level, b.min_score) for b in definition.bands] == [
        ("standard", 0),
        ("medium", 10),
        ("high", 14),
    ]
    assert definition.override.no_lower_at_or_above_score == 14


def test_dash_topics_follow_the_domain_order():
    texts = {q.id: q.text.lower() for q in rules.parse_definition(dash()).questions}

    assert "injury" in texts["q1"]
    assert "pregnant" in texts["q9"]
    assert "strangle" in texts["q18"]
    assert "animal" in texts["q22"]
    assert "criminal history" in texts["q27"]


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_every_instrument_says_what_is_unverified_or_local(instrument_id):
    notes = " ".join(shipped_definition(instrument_id)["notes"])

    assert "[U]" in notes or "partnership" in notes
    assert "new version" in notes  # the wording stays editable


def test_unverified_dash_questions_are_marked():
    marks = {q.id: q.mark for q in rules.parse_definition(dash()).questions}
    assert marks["q11"] == "" and marks["q12"] == "U" and marks["q27"] == "U"


def test_child_exploitation_says_the_scale_is_the_partnerships():
    notes = " ".join(shipped_definition("child-exploitation")["notes"])
    assert "no national screening scale" in notes and "partnership's" in notes


def test_thrive_exposes_the_grade_mapping_as_data():
    definition = rules.parse_definition(shipped_definition("thrive"))

    assert {row.level: row.grade for row in definition.grade_mapping} == {
        "high": "immediate",
        "medium": "priority",
        "low": "scheduled",
    }


def _break(mutate) -> list[str]:
    data = dash()
    mutate(data)
    return rules.validate_definition(data)


def _set(path: list, value):
    def mutate(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (_set(["sections", 0, "questions", 3, "id"], "q3"), "sections[0].questions[3].id: duplicate id q3"),
        (
            _set(["sections", 0, "questions", 0, "id"], "Q 1"),
            "sections[0].questions[0].id: must be lower-case",
        ),
        (
            _set(["sections", 1, "questions", 0, "answer_type"], "scale"),
            "sections[1].questions[0].answer_type: must be one of",
        ),
        (_set(["sections", 0, "questions", 0, "text"], ""), "sections[0].questions[0].text: enter some text"),
        (
            _set(["sections", 0, "questions", 0, "mandatory"], "yes"),
            "sections[0].questions[0].mandatory: must be true or false",
        ),
        (
            _set(["sections", 0, "questions", 0, "weight"], -1),
            "sections[0].questions[0].weight: must be a whole number",
        ),
        (
            _set(["sections", 0, "questions", 0, "level_if_yes"], "critical"),
            "sections[0].questions[0].level_if_yes: must be one of the band levels",
        ),
        (
            _set(["sections", 0, "questions", 0, "colour"], "red"),
            "sections[0].questions[0].colour: unknown key",
        ),
        (
            _set(["sections", 0, "questions", 0, "answer_type"], "choice"),
            "sections[0].questions[0].options: a choice question needs",
        ),
        (
            _set(["sections", 0, "questions"], []),
            "sections[0].questions: must be a list of at least one question",
        ),
        (_set(["sections"], []), "sections: must be a list of at least one section"),
        (_set(["id"], "DASH!"), "id: must be lower-case"),
        (_set(["version"], 0), "version: must be a whole number of 1 or more"),
        (_set(["version"], "1"), "version: must be a whole number of 1 or more"),
        (_set(["title"], ""), "title: enter some text"),
        (
            _set(["scoring", "method"], "average"),
            "scoring.method: must be one of count_yes, weighted_sum, max_level",
        ),
        (
            _set(["scoring", "bands", 1, "min_score"], 0),
            "scoring.bands[1].min_score: must be higher than the band before (0)",
        ),
        (
            _set(["scoring", "bands", 0, "min_score"], 1),
            "scoring.bands[0].min_score: the first band must start at 0",
        ),
        (
            _set(["scoring", "bands", 2, "min_score"], 30),
            "scoring.bands[2].min_score: 30 cannot be reached (the highest possible score is 27)",
        ),
        (_set(["scoring", "bands", 2, "level"], "medium"), "scoring.bands[2].level: duplicate level medium"),
        (_set(["scoring", "bands"], []), "scoring.bands: must be a list of at least one band"),
        (_set(["override"], None), "override: must be an object with may_raise and may_lower"),
        (_set(["override", "may_lower"], "no"), "override.may_lower: must be true or false"),
        (
            _set(["triggers", 0, "when"], {"score__over": 14}),
            "triggers[0].when.score__over: unknown condition",
        ),
        (
            _set(["triggers", 0, "when"], {"answers": {"q99": "yes"}}),
            "triggers[0].when.answers.q99: no such question",
        ),
        (
            _set(["triggers", 0, "when"], {"answers": {"q1": "perhaps"}}),
            "triggers[0].when.answers.q1: 'perhaps' is not an allowed answer",
        ),
        (
            _set(["triggers", 0, "when"], {"level": "severe"}),
            "triggers[0].when.level: must be one of the band levels",
        ),
        (
            _set(["triggers", 1, "id"], "marac:visible_high_risk"),
            "triggers[1].id: duplicate id marac:visible_high_risk",
        ),
        (_set(["triggers", 0, "id"], "MARAC"), "triggers[0].id: must look like marac:visible_high_risk"),
        (
            _set(["grade_mapping"], [{"level": "severe", "grade": "now", "label": "Now"}]),
            "grade_mapping[0].level: must be one of the band levels",
        ),
        (_set(["sources", 0, "mark"], "X"), "sources[0].mark: must be one of V, S, U"),
        (_set(["licence"], "none"), "licence: unknown key"),
    ],
)
def test_each_problem_is_named_by_its_path(mutate, problem):
    problems = _break(mutate)

    assert any(p.startswith(problem) for p in problems), problems


def test_every_problem_is_listed_not_just_the_first():
    def mutate(data):
        data["version"] = 0
        data["sections"][0]["questions"][3]["id"] = "q3"
        data["scoring"]["method"] = "average"
        data["triggers"][0]["when"] = {"score__over": 1}

    problems = _break(mutate)

    assert len(problems) >= 4
    with pytest.raises(rules.DefinitionError) as caught:
        rules.parse_definition({**dash(), "version": 0})
    assert caught.value.problems == ["version: must be a whole number of 1 or more"]


@pytest.mark.parametrize("data", [None, [], "dash", 27])
def test_a_definition_must_be_an_object(data):
    assert rules.validate_definition(data) == ["definition: must be a JSON object"]


def test_max_level_bands_are_ranks():
    data = copy.deepcopy(shipped_definition("thrive"))
    data["scoring"]["bands"][2]["min_score"] = 5

    assert "scoring.bands[2].min_score: with max_level the bands are ranks, so this must be 2" in (
        rules.validate_definition(data)
    )


def test_level_questions_need_low_medium_and_high_bands():
    data = copy.deepcopy(shipped_definition("thrive"))
    data["scoring"]["bands"][0]["level"] = "minimal"
    data["grade_mapping"][2]["level"] = "minimal"

    problems = rules.validate_definition(data)

    assert any(p.startswith("sections[0].questions[0].answer_type: level answers") for p in problems), (
        problems
    )
