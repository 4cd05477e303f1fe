"""The rest of a person's file: other names, addresses, warning markers and relationships; and the
sign-in edges (second factor, lockout). Every page is checked with axe."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from safehub.people.tests.factories import PersonFactory
from tests.system.conftest import axe_check, sign_in, visit


def test_owner_completes_a_persons_file(page, owner, person, agencies, districts, password):
    child = PersonFactory(
        owning_agency=agencies["leeds_csc"],
        district=districts["leeds"],
        given_name="Ruby",
        family_name="Testperson",
    )
    sign_in(page, owner.username, password)
    visit(page, f"/people/{person.pk}/alias/new/")
    page.get_by_label("Last name").fill("Formername")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Name added")

    visit(page, f"/people/{person.pk}/address/new/")
    page.get_by_label("Address line 1").fill("1 Imaginary Row")
    page.get_by_label("Postcode").fill("not a postcode")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real postcode")
    axe_check(page)
    page.get_by_label("Postcode").fill("ls1 4ap")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("table")).to_contain_text("LS1 4AP")

    visit(page, f"/people/{person.pk}/marker/new/")
    page.get_by_label("Warning marker").select_option(label="Risk of exploitation")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".app-badge").first).to_contain_text("Risk of exploitation")

    visit(page, f"/people/{person.pk}/relationships/new/")
    page.get_by_label("This person is").select_option(label="Parent of")
    page.get_by_label("Record id of the other person").fill(str(child.pk))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Ruby Testperson").click()
    expect(page.get_by_text("Child of Amelia Testperson")).to_be_visible()
    expect(page.locator(".app-chronology")).to_contain_text("Child of a linked person")
    axe_check(page)


def test_second_factor_enrolment_and_lockout_pages(page, owner, password, settings):
    settings.REQUIRE_TOTP = True
    sign_in(page, owner.username, password)
    visit(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    axe_check(page)
    device = TOTPDevice.objects.get(user=owner)
    page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safehub")
    page.get_by_role("button", name="Sign out").click()

    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username", exact=True).fill(owner.username)
        page.get_by_label("Password", exact=True).fill("wrong password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("locked")
    axe_check(page)
