"""The IDVA records an IDVA car deployment from the police reference and contacts the victim of a
shared DVPN; the officer draws a scrutiny panel sample, reads an anonymised case pack and records
the panel's findings; the commissioner reads the evaluation and the findings, never a person.
Every page is checked with axe (WCAG 2.2 AA)."""

import re
from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from safehub.core.models import AgencyKind
from safehub.core.roles import Role
from safehub.core.tests.factories import AgencyFactory, UserFactory
from safehub.people.tests.factories import PersonFactory
from safehub.protection import services
from safehub.protection.models import IdvaDeployment, ScrutinyCase
from safehub.protection.tests.conftest import da_contact, outcome
from tests.system.conftest import axe_check, sign_in, visit


def fill_when(page, prefix, moment):
    local = timezone.localtime(moment)
    page.locator(f"#id_{prefix}_date_0").fill(str(local.day))
    page.locator(f"#id_{prefix}_date_1").fill(str(local.month))
    page.locator(f"#id_{prefix}_date_2").fill(str(local.year))
    page.locator(f"#id_{prefix}_time").fill(local.strftime("%H:%M"))


def fill_date(page, prefix, day):
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def save(page, name="Save"):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    axe_check(page)


def sign_out(page):
    page.context.clear_cookies()


def test_idva_car_victim_contact_and_the_scrutiny_panel(page, agencies, districts, password):
    leeds = districts["leeds"]
    service = AgencyFactory(
        code="idva-service", name="IDVA Service", kind=AgencyKind.IDVA_SERVICE, districts=[leeds]
    )
    officer = UserFactory(username="officer", agency=agencies["police"], district=leeds, roles=[Role.OFFICER])
    idva = UserFactory(username="idva", agency=service, district=leeds, roles=[Role.IDVA])
    commissioner = UserFactory(username="commissioner", agency=agencies["mayor"], roles=[Role.COMMISSIONER])
    victim = PersonFactory(
        owning_agency=agencies["police"],
        district=leeds,
        given_name="Imogen",
        family_name="Panelvictim",
        date_of_birth=date(1992, 4, 1),
    )
    suspect = PersonFactory(
        owning_agency=agencies["police"],
        district=leeds,
        given_name="Derek",
        family_name="Panelsuspect",
        date_of_birth=date(1985, 9, 9),
    )
    attended = da_contact(
        officer,
        leeds,
        victim=victim,
        suspect=suspect,
        received_at=timezone.now() - timedelta(days=3),
        narrative="Imogen Panelvictim says Derek Panelsuspect threw a mug at her.",
    )
    outcome(attended, "charge", officer, days=1)
    served = timezone.now() - timedelta(days=2)
    order = services.order_create(
        actor=officer,
        victim=victim,
        subject=suspect,
        district=leeds,
        contact=attended,
        authorised_at=served - timedelta(minutes=20),
        authorised_by_name="Supt Example",
        authorised_by_rank="superintendent",
        grounds="Threats",
        notice_conditions="No contact",
        served_at=served,
    )

    # Given the IDVA, when they record the car's deployment from the police reference
    sign_in(page, idva.username, password)
    visit(page, "/protection/")
    page.get_by_role("link", name="IDVA car deployments").click()
    axe_check(page)
    page.get_by_role("link", name="Record a deployment").click()
    axe_check(page)
    page.get_by_label("Police reference").fill(attended.reference)
    fill_date(page, "incident_on", timezone.localtime(attended.received_at).date() - timedelta(days=1))
    fill_when(page, "deployed", attended.received_at + timedelta(minutes=25))
    page.get_by_role("group", name="Did the victim engage with the IDVA?").get_by_label("Yes").check()
    page.get_by_role("group", name="Did the victim accept IDVA support?").get_by_label("Yes").check()
    page.get_by_role("group", name="Was a safety plan started?").get_by_label("Yes").check()
    save(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "No domestic abuse contact has that police reference"
    )
    fill_date(page, "incident_on", timezone.localtime(attended.received_at).date())
    save(page)
    expect(page.locator("h1")).to_contain_text(attended.reference)
    assert IdvaDeployment.objects.get().contact == attended

    # and contact the victim of the notice the police shared with them
    visit(page, f"/protection/orders/{order.pk}/")
    page.get_by_role("link", name="Record contact with the victim").click()
    axe_check(page)
    fill_when(page, "contacted", timezone.now() - timedelta(hours=1))
    page.get_by_label("In person").check()
    page.get_by_role("group", name="Did the victim accept support?").get_by_label("Yes").check()
    save(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the safety plan agreed with the victim"
    )
    page.get_by_label("Safety plan").fill("Code word with a neighbour; locks changed")
    save(page)
    expect(page.locator("body")).to_contain_text("Code word with a neighbour; locks changed")

    # When the officer draws a scrutiny panel sample and reads the case pack
    sign_out(page)
    sign_in(page, officer.username, password)
    visit(page, "/protection/scrutiny/")
    page.get_by_role("link", name="Draw a sample").click()
    axe_check(page)
    page.get_by_label("Title of the panel round").fill("Panel, December")
    fill_date(page, "period_start", timezone.localdate() - timedelta(days=30))
    fill_date(page, "period_end", timezone.localdate())
    page.get_by_label("Sample size").fill("2")
    page.get_by_label("Seed").fill("2026")
    save(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("larger than the 1 eligible")
    page.get_by_label("Sample size").fill("1")
    save(page)
    page.get_by_role("link", name="Case 1").click()
    axe_check(page)
    body = page.locator("main")
    expect(body).to_contain_text("Victim A says Suspect B threw a mug at her.")
    expect(body).not_to_contain_text("Panelvictim")
    expect(body).not_to_contain_text("Panelsuspect")
    expect(body).to_contain_text("Day 0")
    page.get_by_label("Good practice").fill("IDVA at the scene; victim supported to give a statement")
    page.get_by_label("Areas for development").fill("No record of checks on children")
    page.get_by_label("Children in the household").check()
    save(page, "Save findings")
    assert ScrutinyCase.objects.get().reviewed_at is not None
    page.get_by_role("link", name="Findings report").click()
    axe_check(page)
    expect(page.locator("main")).to_contain_text("IDVA at the scene")

    # Then the commissioner sees the evaluation and the findings, and no person
    sign_out(page)
    sign_in(page, commissioner.username, password)
    visit(page, "/protection/idva/evaluation/")
    expect(page.locator("[data-testid=headline]")).to_contain_text("100.0% with the IDVA car")
    visit(page, "/protection/scrutiny/findings/")
    expect(page.locator("main")).to_contain_text("No record of checks on children")
    expect(page.locator("main")).not_to_contain_text(re.compile("Panelvictim|Panelsuspect"))
    assert page.goto(f"/protection/orders/{order.pk}/").status == 403
