"""An officer records a DVPN from a domestic abuse contact, sees when the DVPO application must be
heard (the 48-hour clock) and records the order; then a Clare's Law application runs to disclosure
with its 28-day clock on the page; an analyst sees only the evaluation and timeliness tables. Every
page is checked with axe (WCAG 2.2 AA)."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.people.tests.factories import PersonFactory
from safehub.protection.models import DisclosureApplication, ProtectionOrder
from safehub.protection.tests.conftest import da_contact
from tests.system.conftest import axe_check, sign_in, visit


def fill_when(page, prefix, moment):
    local = timezone.localtime(moment)
    page.locator(f"#id_{prefix}_date_0").fill(str(local.day))
    page.locator(f"#id_{prefix}_date_1").fill(str(local.month))
    page.locator(f"#id_{prefix}_date_2").fill(str(local.year))
    page.locator(f"#id_{prefix}_time").fill(local.strftime("%H:%M"))


def save(page):
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    axe_check(page)


def test_officer_records_a_dvpn_and_order_and_a_clares_law_disclosure(page, agencies, districts, password):
    officer = UserFactory(
        username="officer", agency=agencies["police"], district=districts["leeds"], roles=[Role.OFFICER]
    )
    analyst = UserFactory(
        username="analyst", agency=agencies["police"], district=districts["leeds"], roles=[Role.ANALYST]
    )
    victim = PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Nadia",
        family_name="Journeyvictim",
    )
    suspect = PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Craig",
        family_name="Journeysubject",
    )
    contact = da_contact(officer, districts["leeds"], victim=victim, suspect=suspect)

    # Given the officer, when they record a DVPN from the domestic abuse contact
    sign_in(page, officer.username, password)
    visit(page, "/protection/")
    page.get_by_role("link", name="Domestic abuse contacts: record a notice or the outcome").click()
    axe_check(page)
    page.get_by_role("link", name=f"Record a notice for {contact.reference}").click()
    axe_check(page)
    expect(page.locator("h1")).to_have_text("Record a DVPN")
    served = timezone.now() - timedelta(minutes=30)
    page.get_by_label("Authorising officer", exact=True).fill("Supt Example")
    page.get_by_label("Inspector", exact=True).check()
    fill_when(page, "authorised", served - timedelta(minutes=20))
    page.get_by_label("Grounds").fill("Threats to kill; the victim is very frightened")
    page.get_by_label("Conditions of the notice").fill("Not to enter the street where the victim lives")
    fill_when(page, "served", served)
    save(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "A DVPN is authorised by a superintendent or above"
    )
    page.get_by_label("Superintendent", exact=True).check()
    save(page)

    # Then the hearing's due time is shown (48 hours, not counting Sundays and holidays)
    order = ProtectionOrder.objects.get()
    due = f"{timezone.localtime(order.hearing_due_at):%d %b %Y at %H:%M}"
    expect(page.locator("[data-testid=clock]")).to_contain_text(f"Hearing due by {due}")
    expect(page.locator("[data-testid=clock]")).to_contain_text("Running")

    # and the application and the order are recorded
    page.get_by_role("link", name="Record the application").click()
    axe_check(page)
    fill_when(page, "made", timezone.now() - timedelta(minutes=15))
    page.get_by_label("Magistrates' court").fill("Leeds Magistrates' Court")
    save(page)
    page.get_by_role("link", name="Record the hearing outcome").click()
    axe_check(page)
    fill_when(page, "hearing", timezone.now() - timedelta(minutes=5))
    page.get_by_label("Order made").check()
    page.get_by_label("How many days the order lasts").fill("35")
    page.get_by_label("Conditions of the order").fill("No contact with the victim; not to enter the street")
    save(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("A DVPO lasts between 14 and 28 days")
    page.get_by_label("How many days the order lasts").fill("28")
    save(page)
    expect(page.locator("[data-testid=clock]")).to_contain_text("Met")
    expect(page.locator("body")).to_contain_text("28 days, in force until")
    order.refresh_from_db()
    assert order.outcome == "granted" and order.duration_days == 28

    # When a Clare's Law application is recorded and run to disclosure
    visit(page, "/protection/disclosures/")
    page.get_by_role("link", name="Record an application").click()
    axe_check(page)
    search = "Name, date of birth, NHS number, other identifier or postcode"
    page.get_by_label(search).fill("Journeyvictim")
    page.get_by_role("button", name="Search").click()
    axe_check(page)
    page.get_by_role("row", name=re.compile("Journeyvictim")).get_by_role("link").click()
    axe_check(page)
    page.get_by_label(search).fill("Journeysubject")
    page.get_by_role("button", name="Search").click()
    axe_check(page)
    page.get_by_role("row", name=re.compile("Journeysubject")).get_by_role("link").click()
    axe_check(page)
    page.get_by_label("Right to ask").check()
    save(page)
    application = DisclosureApplication.objects.get()
    due = f"{timezone.localtime(application.due_at):%d %b %Y at %H:%M}"
    expect(page.locator("[data-testid=clock]")).to_contain_text(f"28-day clock due by {due}")
    for stage in ("Initial contact", "Checks completed", "Face-to-face meeting"):
        page.get_by_role("link", name="Record the next stage").click()
        axe_check(page)
        page.get_by_label(stage).check()
        fill_when(page, "stage", timezone.now())
        save(page)
    page.get_by_role("link", name="Record the next stage").click()
    axe_check(page)
    page.get_by_label("Multi-agency decision", exact=True).first.check()
    page.get_by_label("Disclose", exact=True).check()
    fill_when(page, "stage", timezone.now())
    save(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reasons for the decision")
    page.get_by_label("Reasons for the decision").fill(
        "Convictions for violence against two previous partners"
    )
    save(page)
    page.get_by_role("link", name="Record the next stage").click()
    axe_check(page)
    page.get_by_label("Disclosure made").check()
    fill_when(page, "stage", timezone.now())
    page.get_by_label("Disclosed to").fill("The person at risk")
    save(page)

    # Then the case is closed within its 28 days, with the clock shown as met
    expect(page.locator("h1")).to_contain_text("Disclosure made")
    expect(page.locator("[data-testid=clock]")).to_contain_text("Met")

    # and an analyst sees the counts, never the people
    page.context.clear_cookies()
    sign_in(page, analyst.username, password)
    visit(page, "/protection/disclosures/timeliness/")
    expect(page.locator("table")).to_contain_text("leeds")
    expect(page.locator("body")).not_to_contain_text("Journeyvictim")
    visit(page, "/protection/idva/evaluation/")
    expect(page.locator("h1")).to_have_text("IDVA car evaluation")
    response = page.goto(f"/protection/orders/{order.pk}/")
    assert response.status == 403
