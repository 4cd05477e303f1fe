"""Instrument pages against the standard cast: list, version, assess form, result, person page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safehub.core.navigation import nav_items_for
from safehub.instruments import rules
from safehub.instruments.models import Assessment

from .helpers import dash_answers, yes_to

pytestmark = pytest.mark.django_db

# persona -> status on a person-level page for `person` (shared with the partner's school)
PERSON_PAGES = {
    "owner": 200,
    "mash": 200,
    "partner": 200,
    "outsider": 404,
    "officer": 404,
    "analyst": 403,
    "commissioner": 403,
    "auditor": 403,
}


def form_data(answers: dict[str, str], level: str = "", reason: str = "") -> dict[str, str]:
    return {**answers, rules.PJ_LEVEL: level, rules.PJ_REASON: reason}


@pytest.mark.parametrize("persona", ["owner", "analyst", "auditor", "commissioner"])
def test_list_and_version_pages_are_reference_for_any_signed_in_user(request, client_as, persona):
    client = client_as(request.getfixturevalue(persona))

    body = client.get(reverse("instruments:list")).content.decode()
    assert "Domestic abuse, stalking and harassment risk identification" in body
    assert "THRIVE" in body and "Missing person risk assessment (APP risk continuum)" in body
    page = client.get(reverse("instruments:version", args=["dash", 1]))
    assert page.status_code == 200
    assert "q27" in page.content.decode() and "Visible high risk" in page.content.decode()
    assert client.get(reverse("instruments:version", args=["dash", 9])).status_code == 404
    assert client.get(reverse("instruments:detail", args=["dash"])).url == reverse(
        "instruments:version", args=["dash", 1]
    )


def test_version_page_shows_notes_bands_triggers_and_the_thrive_grade_mapping(client_as, owner):
    client = client_as(owner)

    dash = client.get(reverse("instruments:version", args=["dash", 1])).content.decode()
    assert "[U]" in dash and "it may lower it only when the score is below 14" in dash
    assert "marac:professional_judgement" in dash
    thrive = client.get(reverse("instruments:version", args=["thrive", 1])).content.decode()
    assert "Response grade for each level" in thrive and "<code>immediate</code>" in thrive


def test_risk_tools_is_in_the_navigation_for_person_level_users_only(owner, analyst, auditor):
    assert "Risk tools" in [item["label"] for item in nav_items_for(owner, "/instruments/")]
    assert [i for i in nav_items_for(owner, "/instruments/") if i["active"]][0]["label"] == "Risk tools"
    assert "Risk tools" in [item["label"] for item in nav_items_for(analyst, "/")]  # calibration
    assert "Risk tools" not in [item["label"] for item in nav_items_for(auditor, "/")]


@pytest.mark.parametrize(("persona", "expected"), sorted(PERSON_PAGES.items()))
def test_assess_page_by_persona(request, client_as, person, share, persona, expected):
    client = client_as(request.getfixturevalue(persona))
    url = reverse("instruments:assess", args=["dash", person.pk])

    response = client.get(url)

    assert response.status_code == expected
    assert ("Amelia Testperson" in response.content.decode()) == (expected == 200)
    if expected != 200:
        assert client.post(url, form_data(dash_answers(15))).status_code == expected
        assert not Assessment.objects.exists()


def test_assess_form_has_a_radio_group_per_question_and_the_override(client_as, owner, person):
    body = client_as(owner).get(reverse("instruments:assess", args=["dash", person.pk])).content.decode()

    assert body.count('type="radio"') == 27 * 4 + 4  # 4 answers a question; no override + 3 levels
    assert "18. Has the abuser ever tried to strangle" in body
    assert "Wording or numbering not yet verified." in body
    assert "Reason for your professional judgement" in body


def test_owner_assesses_and_sees_the_result(client_as, owner, person):
    client = client_as(owner)

    response = client.post(
        reverse("instruments:assess", args=["dash", person.pk]), form_data(dash_answers(16))
    )

    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "instruments:assessment", args=[assessment.pk]
    )
    body = client.get(response.url).content.decode()
    assert "DASH risk assessment: High" in body
    assert "Refer to MARAC: visible high risk (14 or more yes)" in body
    assert "16 of 27 questions answered yes" in body


def test_an_override_with_its_reason_is_stored(client_as, owner, person):
    client_as(owner).post(
        reverse("instruments:assess", args=["dash", person.pk]),
        form_data(dash_answers(4), "high", "She was strangled last week and fears for her life"),
    )

    assessment = Assessment.objects.get()
    assert (assessment.computed_level, assessment.level, assessment.override_level) == (
        "standard",
        "high",
        "high",
    )
    assert assessment.override_reason.startswith("She was strangled")
    assert "marac:professional_judgement" in assessment.triggers


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            form_data({k: v for k, v in dash_answers(3).items() if k != "q5"}),
            "Select yes, no, not known or not asked for question 5",
        ),
        (
            form_data({**dash_answers(3), "q5": "maybe"}),
            "Select yes, no, not known or not asked for question 5",
        ),
        (
            form_data(dash_answers(15), "medium", "Victim minimised it"),
            "DASH score 15 is 14 or more: professional judgement may raise the level but not lower it",
        ),
        (form_data(dash_answers(3), "high"), "Enter the reason for your professional judgement"),
        (form_data(dash_answers(3), "critical", "x"), "Select a level from the list"),
    ],
)
def test_errors_show_in_the_error_summary_and_nothing_is_stored(client_as, owner, person, data, message):
    response = client_as(owner).post(reverse("instruments:assess", args=["dash", person.pk]), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and message in body
    assert "<title>Error:" in body
    assert not Assessment.objects.exists()


def test_thrive_and_missing_forms_work_end_to_end(client_as, owner, person):
    client = client_as(owner)

    client.post(
        reverse("instruments:assess", args=["thrive", person.pk]),
        form_data({**yes_to("thrive", risk="high"), "rationale": "Weapon seen at the address"}),
    )
    client.post(
        reverse("instruments:assess", args=["missing-risk", person.pk]),
        form_data(yes_to("missing-risk", "out_of_character", medication="essential")),
    )

    levels = dict(Assessment.objects.values_list("instrument_version__instrument_id", "level"))
    assert levels == {"thrive": "high", "missing-risk": "high"}
    thrive = Assessment.objects.get(instrument_version__instrument_id="thrive")
    assert thrive.answers["rationale"] == "Weapon seen at the address"
    body = client.get(reverse("instruments:assessment", args=[thrive.pk])).content.decode()
    assert "Response grade" in body and "Immediate" in body


def test_an_unknown_instrument_is_404(client_as, owner, person):
    assert client_as(owner).get(f"/instruments/oasys/assess/{person.pk}/").status_code == 404


@pytest.mark.parametrize(("persona", "expected"), sorted(PERSON_PAGES.items()))
def test_result_and_person_pages_by_persona(
    request, client_as, owner, person, share, assess, persona, expected
):
    assessment = assess(owner, person)
    client = client_as(request.getfixturevalue(persona))

    for url in (
        reverse("instruments:assessment", args=[assessment.pk]),
        reverse("instruments:person", args=[person.pk]),
    ):
        response = client.get(url)
        assert response.status_code == expected, url
        assert ("Amelia Testperson" in response.content.decode()) == (expected == 200)


def test_person_page_lists_assessments_with_their_version(client_as, owner, person, assess, dash_v2):
    assess(owner, person, "dash", dash_answers(12))

    body = client_as(owner).get(reverse("instruments:person", args=[person.pk])).content.decode()

    assert "(version 2)" in body and "High" in body
    assert reverse("instruments:assess", args=["child-exploitation", person.pk]) in body


def test_old_assessment_page_shows_its_version_after_a_new_one(request, client_as, owner, person, assess):
    old = assess(owner, person, "dash", dash_answers(12))
    request.getfixturevalue("dash_v2")  # version 2 (high from 12) made current after the assessment

    body = client_as(owner).get(reverse("instruments:assessment", args=[old.pk])).content.decode()

    assert "version 1" in body and "a newer version is now current" in body
    assert "DASH risk assessment: Medium" in body


def test_person_lookup_goes_to_the_persons_assessments(client_as, owner, person):
    client = client_as(owner)

    response = client.get(reverse("instruments:person_lookup"), {"record_id": str(person.pk)})
    assert response.url == reverse("instruments:person", args=[person.pk])
    response = client.get(reverse("instruments:person_lookup"), {"record_id": "Amelia"})
    assert "Enter the record id in the form shown" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, person):
    for url in (
        reverse("instruments:list"),
        reverse("instruments:assess", args=["dash", person.pk]),
        reverse("instruments:calibration", args=["dash", 1]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response.url
