"""The auditor searches the trail and reviews emergency access; aggregate roles see no person."""

from playwright.sync_api import expect

from safehub.core.access import break_glass_open, load_for
from safehub.people.models import Person
from tests.system.conftest import axe_check, sign_in, visit


def test_auditor_finds_who_saw_a_record_and_reviews_emergency_access(
    page, auditor, owner, outsider, person, password
):
    load_for(owner, Person, person.pk)
    break_glass_open(user=outsider, obj=person, reason="Immediate risk: missing child, no carer details held")
    sign_in(page, auditor.username, password)
    visit(page, f"/audit/?object_id={person.pk}")
    expect(page.locator("table")).to_contain_text("owner")
    expect(page.locator("table")).to_contain_text("Emergency")

    visit(page, "/audit/emergency-access/")
    page.get_by_role("link", name="Review emergency access by outsider").click()
    axe_check(page)
    page.get_by_label("Justified", exact=True).check()
    page.get_by_label("Review note").fill("Confirmed with the duty inspector")
    page.get_by_role("button", name="Record review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Review recorded")
    axe_check(page)


def test_analyst_sees_no_person_data(page, analyst, person, password):
    sign_in(page, analyst.username, password)
    expect(page.get_by_text("Your role sees aggregate figures only")).to_be_visible()
    response = visit(page, f"/people/{person.pk}/")
    assert response.status == 403
    assert "Testperson" not in page.content()
    visit(page, "/clocks/")
    expect(page.locator("table")).to_contain_text("dvpo-hearing")


def test_commissioner_home_and_api_docs(page, commissioner, password):
    sign_in(page, commissioner.username, password)
    expect(page.locator(".govuk-service-navigation")).not_to_contain_text("Find a person")
    visit(page, "/api/v1/docs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Safehub API reference")
