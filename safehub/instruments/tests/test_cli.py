"""`safehub assess`: scores without a database, JSON out, clear errors, the same result as the API."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehub.instruments.definitions import shipped_definition

from .helpers import dash_answers, yes_to


def write(tmp_path, data, name="answers.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def assess(*args, **options) -> dict:
    out = io.StringIO()
    call_command("assess", *args, stdout=out, **options)
    return json.loads(out.getvalue())


def test_scores_dash_and_prints_json(tmp_path):
    path = write(tmp_path, {"answers": dash_answers(15)})

    result = assess("dash", answers=path)

    assert result == {
        "instrument": "dash",
        "version": 1,
        "score": 15,
        "level": "high",
        "label": "High",
        "computed_level": "high",
        "override_level": None,
        "triggers": ["marac:visible_high_risk", "prompt:s_dash", "prompt:honour_based_abuse"],
        "reasons": ["15 of 27 questions answered yes", "Score 15 is in the band High (from 14)"],
    }


def test_professional_judgement_raises_below_14(tmp_path):
    path = write(
        tmp_path,
        {
            "answers": dash_answers(9),
            "professional_judgement": {"level": "high", "reason": "Strangled last week"},
        },
    )

    result = assess("dash", "--version", "1", "--answers", path)

    assert (result["score"], result["computed_level"], result["level"]) == (9, "standard", "high")
    assert "marac:professional_judgement" in result["triggers"]


def test_a_forbidden_lowering_exits_non_zero_with_a_clear_message(tmp_path):
    path = write(
        tmp_path, {"answers": dash_answers(15), "professional_judgement": {"level": "medium", "reason": "x"}}
    )

    with pytest.raises(CommandError) as caught:
        assess("dash", answers=path)

    assert caught.value.returncode == 3
    assert "DASH score 15 is 14 or more: professional judgement may raise the level but not lower it" in str(
        caught.value
    )


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**dash_answers(3), "q28": "yes"}, "q28: Unknown question: dash version 1 has no q28"),
        ({**dash_answers(3), "q4": "perhaps"}, "q4: Answer must be one of yes, no, not_known, not_asked"),
        ({k: v for k, v in dash_answers(3).items() if k != "q9"}, "q9: Answer this mandatory question"),
    ],
)
def test_bad_answers_exit_non_zero_naming_the_field(tmp_path, answers, message):
    with pytest.raises(CommandError) as caught:
        assess("dash", answers=write(tmp_path, {"answers": answers}))

    assert caught.value.returncode == 1
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["dash", "--version", "2"], {"answers": {}}, "dash has no shipped version 2 (shipped: 1)"),
        (["oasys"], {"answers": {}}, "Unknown instrument 'oasys'"),
        (["dash"], "not json", "is not valid JSON"),
        (["dash"], {"q1": "yes"}, 'must be an object with "answers"'),
        (["dash"], {"answers": {}, "notes": "x"}, "Unknown key(s) notes"),
    ],
)
def test_bad_invocations_are_explained(tmp_path, args, content, message):
    path = tmp_path / "answers.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        assess(*args, answers=str(path))

    assert message in str(caught.value)


def test_scores_against_an_exported_definition(tmp_path):
    data = copy.deepcopy(shipped_definition("dash", 1))
    data["version"] = 7
    data["scoring"]["bands"][2]["min_score"] = 12
    definition = write(tmp_path, data, "dash-v7.json")

    result = assess("dash", answers=write(tmp_path, {"answers": dash_answers(12)}), definition=definition)

    assert (result["version"], result["level"]) == (7, "high")


def test_an_exported_definition_that_does_not_validate_is_refused(tmp_path):
    data = copy.deepcopy(shipped_definition("dash", 1))
    data["sections"][0]["questions"][1]["id"] = "q1"
    definition = write(tmp_path, data, "broken.json")

    with pytest.raises(CommandError) as caught:
        assess("dash", answers=write(tmp_path, {"answers": dash_answers(1)}), definition=definition)

    assert "sections[0].questions[1].id: duplicate id q1" in str(caught.value)


def test_thrive_prints_the_grade(tmp_path):
    result = assess("thrive", answers=write(tmp_path, {"answers": yes_to("thrive", harm="medium")}))
    assert (result["level"], result["grade"]) == ("medium", "priority")


def test_needs_no_database(tmp_path, django_db_blocker):
    """Not marked django_db: any query would fail."""
    with django_db_blocker.block():
        result = assess(
            "missing-risk", answers=write(tmp_path, {"answers": yes_to("missing-risk", "exploitation")})
        )
    assert result["level"] == "high"


def test_the_console_command_exits_non_zero(tmp_path):
    path = write(
        tmp_path,
        {"answers": dash_answers(20), "professional_judgement": {"level": "standard", "reason": "x"}},
    )

    done = subprocess.run(
        [sys.executable, "-m", "safehub", "assess", "dash", "--answers", path],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 3
    assert "may raise the level but not lower it" in done.stderr
    assert done.stdout == ""


# --- the CLI and the API give the same result -------------------------------------------------

SAME_ANSWERS = [
    ("dash", dash_answers(14), None),
    ("dash", dash_answers(13, not_known=3), None),
    ("dash", dash_answers(6), {"level": "high", "reason": "Non-fatal strangulation disclosed"}),
    ("dash", dash_answers(11), {"level": "standard", "reason": "Incident was a verbal dispute, no threat"}),
    ("child-exploitation", yes_to("child-exploitation", "under_13", "missing", "hotspots"), None),
    ("child-exploitation", yes_to("child-exploitation", "disclosure"), None),
    ("missing-risk", yes_to("missing-risk", "out_of_character", age_group="child_12_to_17"), None),
    (
        "missing-risk",
        yes_to("missing-risk", "suicide_or_self_harm"),
        {"level": "medium", "reason": "Found safe"},
    ),
    ("thrive", {**yes_to("thrive", threat="high", vulnerability="medium"), "rationale": "Weapon seen"}, None),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("instrument_id", "answers", "judgement"), SAME_ANSWERS)
def test_the_cli_and_the_api_give_the_same_result(
    tmp_path, api_as, owner, person, instrument_id, answers, judgement
):
    document = {"answers": answers}
    if judgement:
        document["professional_judgement"] = judgement
    cli = assess(instrument_id, answers=write(tmp_path, document))

    payload = {"person": str(person.pk), "instrument": instrument_id, **document}
    response = api_as(owner).post("/api/v1/assessments/", payload, format="json")

    assert response.status_code == 201, response.content
    api = response.json()
    assert {key: api[key] for key in cli} == cli
