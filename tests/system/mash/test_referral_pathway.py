"""A school refers a child; the MASH triages it, asks the police and health, who answer from their
own queues; the MASH decides and its manager approves; the school sees the feedback; an outsider
sees none of it. Every page is checked with axe (WCAG 2.2 AA)."""

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from safehub.core.models import AgencyKind
from safehub.core.roles import Role
from safehub.core.tests.factories import AgencyFactory, UserFactory
from safehub.people.tests.factories import PersonFactory
from safehub.referrals.models import Referral
from tests.system.conftest import axe_check, sign_in, visit


def switch_to(page, user, password):
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, user.username, password)


def when_asking(page, agency_name, question):
    page.get_by_role("link", name="Ask a partner agency").click()
    axe_check(page)
    page.get_by_label("Agency to ask").select_option(label=agency_name)
    page.get_by_label("What do you want to know?").fill(question)
    page.get_by_label("Purpose").fill("MASH triage of a neglect referral")
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.locator("#id_due_date_0").fill(str(tomorrow.day))
    page.locator("#id_due_date_1").fill(str(tomorrow.month))
    page.locator("#id_due_date_2").fill(str(tomorrow.year))
    page.get_by_label("Answer due by (time)").fill("16:00")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text(agency_name)


def when_answering(page, user, password, answer):
    switch_to(page, user, password)
    visit(page, "/referrals/information-requests/")
    page.get_by_role("link", name="Answer").first.click()
    axe_check(page)
    page.get_by_label("What your agency knows").fill(answer)
    page.get_by_role("button", name="Send the answer").click()
    axe_check(page)


def test_school_referral_runs_to_approved_feedback(
    page, agencies, districts, partner, mash, officer, outsider, password
):
    health = AgencyFactory(
        code="icb", name="West Yorkshire ICB", kind=AgencyKind.HEALTH, districts=[districts["leeds"]]
    )
    health_user = UserFactory(
        username="healthlead", agency=health, district=districts["leeds"], roles=[Role.PARTNER_PRACTITIONER]
    )
    manager = UserFactory(
        username="manager",
        agency=agencies["leeds_csc"],
        district=districts["leeds"],
        roles=[Role.MASH_MANAGER],
    )
    PersonFactory(
        owning_agency=agencies["leeds_school"],
        district=districts["leeds"],
        given_name="Charlie",
        family_name="Childtest",
        date_of_birth=date(2016, 5, 4),
    )

    sign_in(page, partner.username, password)
    visit(page, "/referrals/mine/")
    page.get_by_role("link", name="Make a referral", exact=True).click()
    axe_check(page)
    page.get_by_label("District where the person lives").select_option(label="Leeds")
    page.get_by_label("School or education").check()
    page.get_by_label("Neglect", exact=True).check()
    page.get_by_label("What happened").fill(
        "Charlie has come to school hungry and in the same clothes all week."
    )
    page.get_by_label("Consent given").check()
    page.get_by_role("group", name="Has the child been seen?").get_by_label("Yes").check()
    page.get_by_role("group", name="Was the child seen alone?").get_by_label("Yes").check()
    page.get_by_label("The child's wishes and feelings, in their words").fill("I want my mum to be OK.")
    page.get_by_role("button", name="Continue").click()
    axe_check(page)
    page.get_by_label("Name, date of birth, NHS number, other identifier or postcode").fill("Childtest")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Add").first.click()
    axe_check(page)
    page.get_by_role("button", name="Send the referral to the MASH").click()
    axe_check(page)
    referral = Referral.objects.get()

    switch_to(page, mash, password)
    visit(page, "/referrals/")
    expect(page.locator("table")).to_contain_text(referral.reference)
    visit(page, f"/referrals/{referral.pk}/")
    page.get_by_role("link", name="Triage").click()
    axe_check(page)
    page.get_by_label("Amber").check()
    page.get_by_label("Reason for the rating").fill("Persistent neglect indicators, no immediate danger")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Amber")
    axe_check(page)
    when_asking(page, "West Yorkshire Police", "Any police contact with this household?")
    when_asking(page, "West Yorkshire ICB", "Any missed health appointments?")

    when_answering(page, officer, password, "Two domestic incidents at the address this year.")
    when_answering(page, health_user, password, "Missed two dental appointments.")

    switch_to(page, mash, password)
    visit(page, f"/referrals/{referral.pk}/")
    expect(page.locator("body")).to_contain_text("Two domestic incidents at the address this year.")
    expect(page.locator("body")).to_contain_text("Missed two dental appointments.")
    page.get_by_role("link", name="Record the decision").click()
    axe_check(page)
    page.get_by_label("Early help").check()
    page.get_by_label("Rationale").fill("Needs met by a family support plan; no significant harm indicated.")
    page.get_by_label("Feedback to the referrer").fill(
        "Early help offered; the family support worker will call."
    )
    page.get_by_role("button", name="Save").click()
    axe_check(page)

    switch_to(page, manager, password)
    visit(page, f"/referrals/{referral.pk}/")
    page.get_by_role("link", name="Approve the decision").click()
    axe_check(page)
    page.get_by_label("Approve the decision").check()
    page.get_by_role("button", name="Save").click()
    axe_check(page)

    switch_to(page, partner, password)
    visit(page, "/referrals/mine/")
    expect(page.locator("body")).to_contain_text("Early help offered; the family support worker will call.")
    expect(page.locator("body")).not_to_contain_text("Two domestic incidents")

    switch_to(page, outsider, password)
    response = visit(page, f"/referrals/{referral.pk}/")
    assert response.status == 404
