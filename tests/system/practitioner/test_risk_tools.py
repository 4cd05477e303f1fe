"""A practitioner assesses a person with DASH: meets the error summary, overrides with a reason,
reads the result, then the calibration page. Every page is checked with axe (WCAG 2.2 AA)."""

from __future__ import annotations

from playwright.sync_api import expect

from safehub.instruments.models import Assessment
from tests.system.conftest import axe_check, sign_in, visit


def when_answering(page, yes: int, skip: str = "") -> None:
    for number in range(1, 28):
        name = f"q{number}"
        if name == skip:
            continue
        value = "yes" if number <= yes else "no"
        page.locator(f"input[name='{name}'][value='{value}']").check()


def test_owner_assesses_a_person_with_dash(page, owner, person, password):
    sign_in(page, owner.username, password)
    visit(page, "/instruments/")
    page.get_by_role("link", name="Risk tools").first.click()
    page.get_by_label("Record id of the person").fill(str(person.pk))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk assessments")
    axe_check(page)

    page.get_by_role("link", name="Domestic abuse, stalking and harassment risk identification").click()
    axe_check(page)
    when_answering(page, yes=8, skip="q5")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select yes, no, not known or not asked for question 5"
    )
    axe_check(page)

    page.locator("input[name='q5'][value='not_known']").check()
    page.locator("input[name='professional_judgement_level'][value='high']").check()
    page.get_by_label("Reason for your professional judgement").fill(
        "Threats to kill with a knife last night"
    )
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DASH risk assessment: High")
    expect(page.locator("main")).to_contain_text("Refer to MARAC: professional judgement of high risk")
    axe_check(page)
    assert Assessment.objects.get().score == 7  # q5 became not known

    visit(page, "/instruments/dash/v1/")
    page.get_by_role("link", name="Is this version working? Harm outcomes by band").click()
    expect(page.locator("table")).to_contain_text("High")
    axe_check(page)
