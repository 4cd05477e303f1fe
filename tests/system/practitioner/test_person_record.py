"""A practitioner finds a person, fixes their details, adds an identifier and shares the record;
the partner agency then sees it, read-only; an outsider cannot."""

from playwright.sync_api import expect

from safehub.core.models import AuditEvent, Share
from safehub.people.tests.factories import synthetic_nhs_number
from tests.system.conftest import axe_check, sign_in, visit


def given_signed_in(page, user, password):
    sign_in(page, user.username, password)


def when_searching(page, text):
    visit(page, "/people/")
    page.get_by_label("Name, date of birth, NHS number, other identifier or postcode").fill(text)
    page.get_by_role("button", name="Search").click()
    axe_check(page)


def test_owner_finds_corrects_and_shares_a_record(page, owner, partner, person, password):
    given_signed_in(page, owner, password)
    when_searching(page, "Testperson")
    page.get_by_role("link", name="Amelia Testperson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amelia Testperson")
    assert "Testperson" not in page.url
    axe_check(page)

    page.get_by_role("link", name="Change details").click()
    axe_check(page)
    page.locator("#id_date_of_birth_2").fill("2999")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date of birth must be today or in the past")
    axe_check(page)
    page.locator("#id_date_of_birth_2").fill("2016")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Details saved")

    page.get_by_role("link", name="Add an identifier").click()
    page.get_by_label("Identifier", exact=True).fill("123 456 7890")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("check digit does not match")
    axe_check(page)
    page.get_by_label("Identifier", exact=True).fill(synthetic_nhs_number(11))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Identifier added")

    page.get_by_role("link", name="Share this record").click()
    axe_check(page)
    page.get_by_label("Share with").select_option(label="Aire Valley Primary School")
    page.get_by_label("Purpose").fill("Operation Encompass: support in school")
    page.get_by_label("UK GDPR Art. 6(1)(e) public task").check()
    page.get_by_label("Consent given").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Record shared with Aire Valley")
    expect(page.locator(".app-panel-audit")).to_contain_text("owner (Leeds Children")
    axe_check(page)
    assert Share.objects.filter(object_id=person.pk).count() == 1

    page.get_by_role("button", name="Sign out").click()
    given_signed_in(page, partner, password)
    visit(page, "/people/shared-with-me/")
    page.get_by_role("link", name="Amelia Testperson").click()
    expect(page.get_by_text("Shared with your agency")).to_be_visible()
    expect(page.get_by_role("link", name="Change details")).to_have_count(0)
    axe_check(page)
    assert AuditEvent.objects.filter(actor=partner, object_id=str(person.pk), action="read").count() == 1


def test_outsider_gets_not_found_then_uses_emergency_access(page, outsider, person, password):
    given_signed_in(page, outsider, password)
    response = visit(page, f"/people/{person.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

    visit(page, "/people/emergency-access/")
    page.get_by_label("Why do you need emergency access?").fill(
        "Child missing overnight; need carer contact now"
    )
    page.get_by_label("Name, date of birth or identifier").fill("Testperson")
    page.get_by_role("button", name="Search the whole index").click()
    axe_check(page)
    page.get_by_role("button", name="Open the record of Amelia Testperson with emergency access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amelia Testperson")
    expect(page.get_by_text("Emergency access: reviewed by an auditor")).to_be_visible()
    axe_check(page)
    assert AuditEvent.objects.filter(actor=outsider, flagged=True).exists()


def test_practitioner_adds_a_person_after_searching(page, officer, password):
    given_signed_in(page, officer, password)
    when_searching(page, "Nobody Known")
    page.get_by_role("link", name="add a person", exact=True).click()
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a first name")
    axe_check(page)
    page.get_by_label("District").select_option(label="Leeds")
    page.get_by_label("First name").fill("Oliver")
    page.get_by_label("Last name").fill("Invented")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oliver Invented")
    expect(page.locator(".app-chronology")).to_contain_text("Record created by West Yorkshire Police")
    axe_check(page)
