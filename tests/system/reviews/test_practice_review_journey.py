"""The safeguarding partnership manager takes a serious incident from the notification to the
national panel, through the rapid review and the decision, to a published local child safeguarding
practice review, adding a recommendation owned by a police officer; the officer then finds it on
their recommendations tracker. Every page is checked with axe (WCAG 2.2 AA)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.people.tests.factories import PersonFactory
from safehub.reviews.models import PracticeReview
from tests.system.conftest import axe_check, sign_in, visit


def fill_date(page, name: str, day: date) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def save(page, button: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    axe_check(page)


def test_rapid_review_to_published_lcspr_and_the_owners_tracker(page, agencies, districts, password):
    manager = UserFactory(
        username="partnership",
        agency=agencies["leeds_csc"],
        district=districts["leeds"],
        roles=[Role.PARTNERSHIP_MANAGER],
        job_title="Safeguarding partnership business manager",
    )
    officer = UserFactory(
        username="officer",
        agency=agencies["police"],
        district=districts["leeds"],
        roles=[Role.OFFICER],
        job_title="Detective constable",
    )
    PersonFactory(
        owning_agency=agencies["leeds_csc"],
        district=districts["leeds"],
        given_name="Tia",
        family_name="Testchild",
        date_of_birth=date(2025, 6, 1),
    )
    today = timezone.localdate()
    learned = today - timedelta(days=240)

    # Given the partnership manager, when they record a serious incident for the child
    sign_in(page, manager.username, password)
    visit(page, "/reviews/")
    page.get_by_role("link", name="Record a serious incident").click()
    axe_check(page)
    page.get_by_label("Name, date of birth, NHS number, other identifier or postcode").fill("Testchild")
    page.get_by_role("button", name="Search").click()
    axe_check(page)
    page.get_by_role("link", name="Record a serious incident for Tia Testchild").click()
    axe_check(page)
    page.get_by_label("Review name").fill("Child T")
    page.get_by_label("The child was seriously harmed").check()
    fill_date(page, "incident_on", learned - timedelta(days=1))
    page.get_by_label("What happened", exact=True).fill("Unexplained fractures; neglect suspected")
    fill_date(page, "learned_date", learned)
    page.get_by_label("Time the partnership learned of it").fill("10:30")
    save(page, "Save the serious incident")
    # then the notification to the national panel is overdue (5 working days long past)
    expect(page.locator("h1")).to_contain_text("Notification to the panel due")
    expect(page.locator(".govuk-inset-text")).to_contain_text("overdue")

    # When they record the notification, the rapid review and the decision
    page.get_by_role("link", name="Record the notification").click()
    axe_check(page)
    fill_date(page, "notified_date", learned + timedelta(days=2))
    page.get_by_label("Time the notification was sent").fill("16:00")
    page.get_by_label("Panel's reference (optional)").fill("SIN-2026-0042")
    save(page, "Save the notification")
    expect(page.locator("h1")).to_contain_text("Rapid review due")

    page.get_by_role("link", name="Record the rapid review").click()
    axe_check(page)
    fill_date(page, "held_on", learned + timedelta(days=14))
    page.get_by_label("Findings and immediate actions").fill("Information about bruising was not shared")
    save(page, "Save the rapid review")

    page.get_by_role("link", name="Record the decision").click()
    axe_check(page)
    page.get_by_label("Hold a local child safeguarding practice review").check()
    page.get_by_label("Rationale").fill("The criteria for a local review are met")
    fill_date(page, "decided_on", learned + timedelta(days=14))
    fill_date(page, "started_on", learned + timedelta(days=21))
    save(page, "Save the decision")
    expect(page.locator("h1")).to_contain_text("Local review in progress")

    # and add a recommendation owned by the police officer
    page.get_by_role("link", name="Add a recommendation").click()
    axe_check(page)
    page.get_by_label("Recommendation or action").fill("Check for babies in the household at every call")
    page.get_by_label("Owning agency").select_option(label="West Yorkshire Police")
    page.get_by_label("Owner", exact=True).select_option(value=str(officer.pk))
    fill_date(page, "due_on", today + timedelta(days=90))
    save(page, "Add the recommendation")
    expect(page.locator("table").last).to_contain_text("Check for babies in the household")

    # and record the learning themes and the publication
    page.get_by_role("link", name="Change the learning themes").click()
    axe_check(page)
    page.get_by_label("Escalation and challenge").check()
    page.get_by_label("Information sharing").check()
    save(page, "Save the learning themes")
    page.get_by_role("link", name="Record the publication").click()
    axe_check(page)
    fill_date(page, "sent_to_panel_on", today - timedelta(days=7))
    fill_date(page, "published_on", today)
    page.get_by_label("Web address of the published report (optional)").fill("https://example.com/child-t")
    save(page, "Save the publication")

    # then the review is published, on time, and off the due list
    expect(page.locator("h1")).to_contain_text("Published")
    review = PracticeReview.objects.get()
    assert review.published_on == today and review.learning_themes == ["information_sharing", "escalation"]
    visit(page, "/reviews/due/")
    expect(page.locator("main")).to_contain_text("Nothing is due.")

    # Given the officer, then the recommendation is on their tracker list
    page.context.clear_cookies()
    sign_in(page, officer.username, password)
    visit(page, "/recommendations/")
    row = page.get_by_role("row", name="Check for babies in the household")
    expect(row).to_contain_text("Practice review Child T (local review)")
    row.get_by_role("link").click()
    axe_check(page)
    page.get_by_label("In progress").check()
    page.get_by_label("Evidence or progress note").fill("Briefing issued to all response officers")
    save(page, "Save the update")
    expect(page.locator(".govuk-inset-text").last).to_contain_text("Briefing issued")
