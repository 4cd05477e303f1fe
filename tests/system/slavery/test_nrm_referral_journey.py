"""A police officer refers a child to the National Referral Mechanism, sees the reasonable grounds
clock, is refused a conclusive decision before the reasonable grounds one, records both decisions
and the outcome; an adult without consent is notified on an anonymous MS1, and a phone number in
it is refused. The commissioner sees the figures only. Every page is checked with axe."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.people.tests.factories import PersonFactory
from safehub.slavery.models import NrmReferral
from tests.system.conftest import axe_check, sign_in, visit


def fill_date(page, prefix, moment):
    local = timezone.localtime(moment)
    page.locator(f"#id_{prefix}_0").fill(str(local.day))
    page.locator(f"#id_{prefix}_1").fill(str(local.month))
    page.locator(f"#id_{prefix}_2").fill(str(local.year))


def fill_when(page, prefix, label, moment):
    fill_date(page, f"{prefix}_date", moment)
    page.get_by_label(label).fill(timezone.localtime(moment).strftime("%H:%M"))


def save(page):
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    axe_check(page)


def test_nrm_referral_to_its_conclusive_decision(page, agencies, districts, password):
    officer = UserFactory(
        username="officer", agency=agencies["police"], district=districts["leeds"], roles=[Role.OFFICER]
    )
    UserFactory(username="commissioner", agency=agencies["mayor"], district=None, roles=[Role.COMMISSIONER])
    PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Tyler",
        family_name="Testchild",
        date_of_birth=timezone.localdate() - timedelta(days=15 * 365 + 100),
    )
    referred_at = timezone.now() - timedelta(days=60)

    # Given the officer, when they find the child and refer him
    sign_in(page, officer.username, password)
    visit(page, "/slavery/")
    page.get_by_role("link", name="Record a referral or MS1").click()
    axe_check(page)
    page.get_by_label("Name, date of birth, NHS number, other identifier or postcode").fill("Testchild")
    page.get_by_role("button", name="Search").click()
    axe_check(page)
    page.get_by_role("row", name="Tyler Testchild").get_by_role("link", name="Refer to the NRM").click()
    axe_check(page)
    page.get_by_label("Criminal exploitation", exact=True).check()
    page.get_by_label("Criminal exploitation through county lines").check()
    page.get_by_label("Nationality").fill("British")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Age when the exploitation began").fill("14")
    page.get_by_label("Yes, in the UK").check()
    page.get_by_label("Not needed: a child").check()
    page.get_by_label("Single Competent Authority (SCA)").check()
    page.get_by_label("What indicates exploitation").fill("Found in a property far from home, holding drugs.")
    fill_when(page, "referred", "Time submitted", referred_at)
    save(page)
    referral = NrmReferral.objects.get()
    expect(page.locator("h1")).to_contain_text(f"{referral.reference}: Tyler Testchild")
    expect(page.locator("body")).to_contain_text("Overdue since")  # 60 days ago, no decision yet

    # the conclusive decision cannot come before the reasonable grounds decision
    page.goto(f"/slavery/{referral.pk}/conclusive-grounds/")
    axe_check(page)
    page.get_by_label("Positive", exact=True).check()
    fill_when(page, "decided", "Time of the decision", timezone.now() - timedelta(days=1))
    save(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Record the reasonable grounds decision before the conclusive grounds decision"
    )

    # the reasonable grounds decision, within 5 working days
    visit(page, f"/slavery/{referral.pk}/")
    page.get_by_role("link", name="Record the reasonable grounds decision").click()
    axe_check(page)
    page.get_by_label("Positive", exact=True).check()
    fill_when(page, "decided", "Time of the decision", referred_at + timedelta(days=1))
    save(page)
    expect(page.locator("body")).to_contain_text("Decided within 5 working days")
    expect(page.locator("body")).to_contain_text("Recovery period (at least 30 days) ends")

    # then the conclusive grounds decision after the recovery period, and the outcome
    page.get_by_role("link", name="Record the conclusive grounds decision").click()
    axe_check(page)
    page.get_by_label("Positive", exact=True).check()
    fill_when(page, "decided", "Time of the decision", referred_at + timedelta(days=45))
    save(page)
    expect(page.locator("body")).to_contain_text("Positive conclusive grounds")
    page.get_by_role("link", name="Record the outcome").click()
    axe_check(page)
    page.get_by_label("Move-on support after a positive conclusive decision").check()
    fill_date(page, "outcome_date", timezone.now() - timedelta(days=2))
    save(page)
    referral.refresh_from_db()
    assert referral.status == "positive_cg" and referral.outcome == "move_on_support"
    assert referral.rg_on_time is True

    # An adult who does not consent: an anonymous MS1, refused with a phone number in it
    visit(page, "/slavery/new/")
    page.get_by_role("link", name="Record an anonymous Duty to Notify (MS1)").click()
    axe_check(page)
    expect(page.get_by_label("District where the exploitation was identified")).to_have_value(
        str(districts["leeds"].pk)
    )
    page.get_by_label("Labour exploitation").check()
    page.get_by_label("Nationality").fill("Romanian")
    page.get_by_label("Female", exact=True).check()
    page.get_by_label("Age at referral").fill("29")
    page.get_by_label("Yes, in the UK").check()
    page.get_by_label("What indicates exploitation").fill("Working in a nail bar; call her on 07700 900123")
    fill_when(page, "referred", "Time the MS1 was sent", timezone.now() - timedelta(hours=1))
    save(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("anonymous: remove a phone number")
    assert NrmReferral.objects.count() == 1
    page.get_by_label("What indicates exploitation").fill("Working in a nail bar, not allowed to leave")
    save(page)
    expect(page.locator("h1")).to_contain_text("Anonymous (MS1)")

    # Then the commissioner sees the statistics, never the people
    page.context.clear_cookies()
    sign_in(page, "commissioner", password)
    visit(page, "/slavery/statistics/")
    expect(page.locator("#nrm-total")).to_have_text("1")
    expect(page.locator("#dtn-total")).to_have_text("1")
    expect(page.locator("body")).not_to_contain_text("Tyler")
    response = page.goto(f"/slavery/{referral.pk}/")
    assert response.status == 403
