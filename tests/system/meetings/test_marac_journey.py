"""The Leeds MARAC coordinator (an IDVA) sees who the rules list and why, builds and publishes the
agenda; a police officer accepts the confidentiality statement and adds research; the meeting
records attendance, minutes and an action; the overdue job tells the action's owner, who sees it
under Notifications. Every page is checked with axe (WCAG 2.2 AA)."""

from datetime import date, timedelta

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from safehub.contacts.tests.factories import record
from safehub.core.models import AgencyKind
from safehub.core.roles import Role
from safehub.core.tests.factories import AgencyFactory, UserFactory
from safehub.instruments.services import assessment_create, instruments_load_shipped
from safehub.instruments.tests.helpers import dash_answers
from safehub.meetings.models import Kind, MeetingSeries
from safehub.people.tests.factories import PersonFactory
from tests.system.conftest import axe_check, sign_in, visit

STATEMENT = "Information shared at the Leeds MARAC is confidential and used only to keep the victim safe."


def switch_to(page, user, password):
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, user.username, password)


def fill_date(page, field, day):
    page.locator(f"#id_{field}_0").fill(str(day.day))
    page.locator(f"#id_{field}_1").fill(str(day.month))
    page.locator(f"#id_{field}_2").fill(str(day.year))


def given_a_leeds_marac_and_a_high_risk_victim(districts, agencies, officer):
    idva_agency = AgencyFactory(
        code="west-yorkshire-idva",
        name="West Yorkshire IDVA Service",
        kind=AgencyKind.VOLUNTARY_SECTOR,
        districts=[districts["leeds"]],
    )
    idva = UserFactory(
        username="idva", agency=idva_agency, district=districts["leeds"], roles=[Role.IDVA],
        first_name="Isla", last_name="Advocate",
    )
    series = MeetingSeries.objects.create(
        kind=Kind.MARAC,
        district=districts["leeds"],
        name="Leeds MARAC",
        coordinating_agency=idva_agency,
        confidentiality_statement=STATEMENT,
    )
    series.coordinators.add(idva)
    series.member_agencies.add(agencies["police"], agencies["leeds_csc"])
    victim = PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Vera",
        family_name="Victimson",
        date_of_birth=date(1989, 7, 14),
    )
    for days in (150, 60, 12):
        record(
            officer,
            districts["leeds"],
            category="domestic",
            received_at=timezone.now() - timedelta(days=days),
            people=[{"person": victim, "role": "victim"}],
        )
    instruments_load_shipped()
    assessment_create(
        actor=officer, person=victim, instrument_id="dash", answers=dash_answers(15),
        assessed_at=timezone.now() - timedelta(days=11),
    )
    return idva


def test_marac_from_listing_to_an_overdue_action(page, districts, agencies, officer, password):
    idva = given_a_leeds_marac_and_a_high_risk_victim(districts, agencies, officer)
    yesterday = timezone.localdate() - timedelta(days=1)

    # The coordinator adds a meeting (held yesterday) and lists the victim by rule.
    sign_in(page, idva.username, password)
    visit(page, "/meetings/")
    page.get_by_role("link", name="Leeds MARAC").click()
    axe_check(page)
    page.get_by_role("link", name="Add a meeting").click()
    axe_check(page)
    fill_date(page, "date", yesterday)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Where").fill("Microsoft Teams")
    page.get_by_role("button", name="Add the meeting").click()
    axe_check(page)
    expect(page.locator("h1")).to_contain_text("Meeting on")
    page.get_by_role("link", name="Listing candidates").click()
    axe_check(page)
    card = page.locator(".govuk-summary-card", has_text="Vera Victimson")
    expect(card).to_contain_text("Visible high risk")
    expect(card).to_contain_text("has score 15")
    expect(card).to_contain_text("Potential escalation")
    card.get_by_role("button", name="Add to agenda").click()
    axe_check(page)
    expect(page.locator("body")).to_contain_text("Added to the agenda")
    already = page.locator("ul", has_text="Vera Victimson")  # now under "Already listed"
    expect(already).to_contain_text("Visible high risk")
    page.get_by_role("link", name="Back to the meeting").click()
    axe_check(page)
    page.get_by_role("link", name="Read the confidentiality statement").click()
    axe_check(page)
    expect(page.locator(".govuk-inset-text")).to_contain_text(STATEMENT)
    page.get_by_role("button", name="I accept").click()
    axe_check(page)
    agenda = page.get_by_role("table", name="Cases on the agenda, in order")
    expect(agenda).to_contain_text("Listing rule")
    expect(agenda).to_contain_text("Visible high risk")
    page.get_by_role("button", name="Publish the agenda").click()
    axe_check(page)
    expect(page.locator("body")).to_contain_text("Agenda published")
    case_url = page.get_by_role("link", name="Vera Victimson").get_attribute("href")
    meeting_url = page.url

    # A police officer opens the case: the statement comes first, then research.
    switch_to(page, officer, password)
    visit(page, case_url)
    expect(page.locator("body")).to_contain_text(
        "Accept the meeting's confidentiality statement before you open its cases"
    )
    page.get_by_role("button", name="I accept").click()
    axe_check(page)
    expect(page.locator("h1")).to_contain_text("Vera Victimson")
    expect(page.locator("body")).to_contain_text("Visible high risk")
    page.get_by_label("What your agency knows").fill("Three call-outs this year; the suspect is on bail.")
    page.get_by_label("Risks your agency sees").fill("Bail conditions breached twice.")
    page.get_by_role("button", name="Add research").click()
    axe_check(page)
    expect(page.locator("body")).to_contain_text("Three call-outs this year")

    # Back as the coordinator: the research matrix, attendance, minutes and an action.
    switch_to(page, idva, password)
    visit(page, meeting_url)
    matrix = page.get_by_role("table", name="Which member agencies have added research to each case")
    expect(matrix.get_by_role("row", name="Vera Victimson")).to_contain_text("Added")
    page.get_by_role("link", name="Record attendance").click()
    axe_check(page)
    page.get_by_label(f"{officer} (West Yorkshire Police)").check()
    page.get_by_label(f"{idva} (West Yorkshire IDVA Service)").check()
    page.get_by_role("button", name="Save attendance").click()
    axe_check(page)
    expect(page.locator("body")).to_contain_text("attended")
    visit(page, case_url)
    page.get_by_label("Minutes").fill("Safety plan agreed; police to flag the address.")
    page.get_by_label("Risk level after discussion").select_option(label="High")
    page.get_by_label("Keep on review").check()
    page.get_by_role("button", name="Save the minutes").click()
    axe_check(page)
    expect(page.locator("body")).to_contain_text("Minutes and decision saved")
    page.get_by_label("Action", exact=True).fill("Flag the address for an urgent response")
    page.get_by_label("Owning agency").select_option(label="West Yorkshire Police")
    page.get_by_label("Owner", exact=True).select_option(label=f"{officer} (West Yorkshire Police)")
    fill_date(page, "due_on", yesterday)
    page.get_by_role("button", name="Add the action").click()
    axe_check(page)
    expect(page.locator("body")).to_contain_text("Action added")
    expect(page.locator("table", has_text="Flag the address")).to_contain_text("Overdue")

    # The overdue job tells the owner, who sees it under Notifications and acknowledges it.
    call_command("meeting_actions_overdue")
    switch_to(page, officer, password)
    visit(page, "/notifications/")
    expect(page.locator("body")).to_contain_text("MARAC action overdue")
    row = page.locator("tr", has_text="MARAC action overdue")
    row.get_by_role("button", name="Acknowledge").click()
    axe_check(page)
    visit(page, "/meetings/actions/")
    expect(page.locator("table")).to_contain_text("Flag the address for an urgent response")
    page.get_by_role("link", name="Flag the address for an urgent response").click()
    axe_check(page)
    page.get_by_label("Done").check()
    page.get_by_label("Progress or reason").fill("Address flagged on the command and control system.")
    page.get_by_role("button", name="Save the update").click()
    axe_check(page)
    expect(page.locator("body")).to_contain_text("Action updated")
