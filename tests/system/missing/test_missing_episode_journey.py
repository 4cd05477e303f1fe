"""The missing person coordinator records a child missing from a care home (the Philomena profile is
attached), regrades the risk and records the return; the return home interview becomes due in 72
hours; a third episode within 90 days flags the child and shows the problem profile. Every page is
checked with axe (WCAG 2.2 AA)."""

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.missing import services
from safehub.missing.models import MissingEpisode, ReturnInterview
from safehub.missing.tests.conftest import PNG, share_with_police
from safehub.missing.tests.factories import found, report
from safehub.people.tests.factories import PersonFactory
from tests.system.conftest import axe_check, sign_in, visit


def fill_when(page, prefix, label, moment):
    local = timezone.localtime(moment)
    page.locator(f"#id_{prefix}_date_0").fill(str(local.day))
    page.locator(f"#id_{prefix}_date_1").fill(str(local.month))
    page.locator(f"#id_{prefix}_date_2").fill(str(local.year))
    page.get_by_label(label).fill(local.strftime("%H:%M"))


def when_reporting_from_the_care_home(page, person_name, risk_label):
    visit(page, "/missing/")
    page.get_by_role("link", name="Report a missing person").click()
    axe_check(page)
    page.get_by_label("Name, date of birth, NHS number, other identifier or postcode").fill("Testchild")
    page.get_by_role("button", name="Search").click()
    axe_check(page)
    page.get_by_role("row", name=person_name).get_by_role("link", name="Report missing").click()
    axe_check(page)
    page.get_by_label("Reported by", exact=True).fill("Duty manager, Beechwood House")
    fill_when(page, "reported", "Time reported", timezone.now() - timedelta(hours=2))
    fill_when(page, "last_seen", "Time last seen", timezone.now() - timedelta(hours=3))
    page.get_by_label("Where the person was last seen").fill("Leaving the care home on foot")
    page.get_by_label("Who they were last seen with").fill("Jay (older male)")
    page.get_by_label("Care home or residential placement").check()
    page.get_by_label("Name of the care home, hospital or school").fill("Beechwood House")
    page.get_by_label(risk_label, exact=True).check()
    page.get_by_label("Rationale for the risk grading").fill("Out of character; no phone; cold night")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    axe_check(page)
    return MissingEpisode.objects.order_by("-created_at").first()


def test_care_home_episode_to_return_interview_and_repeat_profile(page, agencies, districts, password):
    coordinator = UserFactory(
        username="missing",
        agency=agencies["police"],
        district=districts["leeds"],
        roles=[Role.MISSING_COORDINATOR],
    )
    social_worker = UserFactory(
        username="socialcare",
        agency=agencies["leeds_csc"],
        district=districts["leeds"],
        roles=[Role.PARTNER_PRACTITIONER],
    )
    child = PersonFactory(
        owning_agency=agencies["leeds_csc"],
        district=districts["leeds"],
        given_name="Kayla",
        family_name="Testchild",
        date_of_birth=date(2011, 3, 14),
    )
    share_with_police(child, agencies, social_worker)
    services.profile_create(
        actor=social_worker,
        person=child,
        kind="philomena",
        description="Slim, 5ft 2in, long dark hair",
        photo=PNG,
        places="Leeds bus station; the retail park",
    )
    earlier = report(coordinator, child, reported_at=timezone.now() - timedelta(days=40))
    found(coordinator, earlier, found_at=earlier.reported_at + timedelta(hours=6))

    # Given the coordinator, when they report the child missing from the care home
    sign_in(page, coordinator.username, password)
    episode = when_reporting_from_the_care_home(page, "Kayla Testchild", "Medium risk")
    expect(page.locator("h1")).to_contain_text(episode.reference)
    expect(page.locator("body")).to_contain_text("Philomena protocol (child in care) attached when reported")
    assert not episode.repeat_missing

    # the profile opens as a briefing sheet
    page.get_by_role("link", name="Open the briefing sheet").click()
    axe_check(page)
    expect(page.locator("body")).to_contain_text("Leeds bus station; the retail park")
    expect(page.get_by_role("img", name="Photo of Kayla Testchild")).to_be_visible()
    page.go_back()

    # they regrade it, with a rationale
    page.get_by_role("link", name="Regrade the risk").click()
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    axe_check(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the risk grading")
    page.get_by_label("High risk", exact=True).check()
    page.get_by_label("Rationale for the new grading").fill("Seen getting into a car with an older male")
    page.get_by_role("button", name="Save").click()
    axe_check(page)
    expect(page.locator("table").first).to_contain_text("Seen getting into a car with an older male")

    # and record the return: the return home interview is due 72 hours after it
    page.get_by_role("link", name="Record the return").click()
    axe_check(page)
    found_at = timezone.now() - timedelta(minutes=10)
    fill_when(page, "found", "Time found", found_at)
    page.get_by_label("Where the person was found").fill("City bus station")
    page.get_by_label("Found by").fill("Police patrol")
    page.get_by_label("Safe and well").check()
    page.get_by_role("button", name="Save").click()
    axe_check(page)
    interview = ReturnInterview.objects.get(episode=episode)
    local_found = timezone.localtime(interview.episode.found_at)
    assert interview.due_at - interview.episode.found_at == timedelta(hours=72)
    assert local_found.minute == timezone.localtime(found_at).minute
    due_text = f"{timezone.localtime(interview.due_at):%-d %b %Y at %H:%M}"
    expect(page.locator(".govuk-notification-banner")).to_contain_text(due_text)
    expect(page.locator("body")).to_contain_text("To be offered")
    page.get_by_role("link", name="Open the interview").click()
    axe_check(page)
    expect(page.locator("body")).to_contain_text(due_text)

    # Then a third episode within 90 days flags the child and shows the problem profile
    third = when_reporting_from_the_care_home(page, "Kayla Testchild", "Low risk")
    assert third.repeat_missing
    expect(page.locator(".govuk-warning-text")).to_contain_text("Repeat missing: 3 missing episodes")
    page.get_by_role("link", name="See the problem profile").click()
    axe_check(page)
    expect(page.locator("h1")).to_contain_text("Kayla Testchild")
    expect(page.locator("body")).to_contain_text("When the person goes missing")
    expect(page.locator("body")).to_contain_text("City bus station")
    visit(page, "/missing/repeat/")
    expect(page.locator("table")).to_contain_text("Kayla Testchild")
