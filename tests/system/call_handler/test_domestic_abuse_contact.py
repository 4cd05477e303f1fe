"""A call handler records a domestic abuse contact, grades it with THRIVE, completes DASH, and
sees the repeat-victim flag, the PPN and the Operation Encompass notification it produced; the
school then acknowledges the notification. Every page is checked with axe (WCAG 2.2 AA)."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from safehub.contacts.models import EncompassNotification, PublicProtectionNotice
from safehub.contacts.tests.factories import child_at_school, record
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.people.tests.factories import PersonFactory
from tests.system.conftest import axe_check, sign_in, visit


def given_a_repeat_victim_and_a_child_at_school(agencies, districts, callhandler):
    victim = PersonFactory(
        owning_agency=agencies["police"],
        district=districts["leeds"],
        given_name="Vera",
        family_name="Victimson",
    )
    for days in (200, 40):
        record(
            callhandler,
            districts["leeds"],
            category="domestic",
            received_at=timezone.now() - timedelta(days=days),
            people=[{"person": victim, "role": "victim"}],
        )
    child = child_at_school(
        owner=agencies["police"],
        district=districts["leeds"],
        school=agencies["leeds_school"],
        dob=timezone.localdate() - timedelta(days=8 * 365),
        given_name="Kit",
        family_name="Victimson",
    )
    return victim, child


def when_adding(page, name, role):
    page.get_by_label("Name, date of birth, NHS number, other identifier or postcode").fill(name)
    page.get_by_role("button", name="Search").click()
    axe_check(page)
    row = page.locator("tr", has_text=name)
    row.get_by_label(f"Role of {name}").select_option(label=role)
    row.get_by_role("button", name=f"Add {name}").click()
    axe_check(page)


def test_call_handler_records_grades_and_assesses_a_domestic_abuse_contact(
    page, agencies, districts, partner, password
):
    callhandler = UserFactory(
        username="handler", agency=agencies["police"], district=districts["leeds"], roles=[Role.CALL_HANDLER]
    )
    victim, child = given_a_repeat_victim_and_a_child_at_school(agencies, districts, callhandler)
    sign_in(page, "handler", password)

    visit(page, "/contacts/")
    page.get_by_role("link", name="Record a contact").click()
    axe_check(page)
    page.get_by_label("District of the incident").select_option(label="Leeds")
    page.get_by_label("999 emergency call").check()
    page.get_by_label("Domestic abuse").check()
    page.get_by_label("Postcode").fill("LS9 8AB")
    page.get_by_label("What happened").fill(
        "Caller reports her partner shouting and throwing objects (synthetic)."
    )
    page.get_by_role("button", name="Save and add people").click()
    axe_check(page)
    when_adding(page, "Vera Victimson", "Victim")
    when_adding(page, "Kit Victimson", "Child present")
    page.get_by_role("link", name="Finish and view the contact").click()

    expect(page.locator(".app-flag").first).to_contain_text("Vera Victimson")
    expect(page.locator(".app-flag").first).to_contain_text("3")
    axe_check(page)

    page.get_by_role("link", name="Grade with THRIVE").click()
    for element, level in [
        ("Threat", "High"),
        ("Harm", "High"),
        ("Risk", "High"),
        ("Investigation", "Medium"),
        ("Vulnerability", "High"),
        ("Engagement", "Medium"),
    ]:
        page.get_by_role("group", name=f"{element} level").get_by_label(level).check()
        page.get_by_label(f"{element}: rationale").fill(f"{element}: assessed on the call (synthetic)")
    page.get_by_role("button", name="Save grading").click()
    expect(page.locator(".govuk-summary-list").first).to_be_visible()
    expect(page.get_by_text("Immediate").first).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Complete DASH for Vera Victimson").click()
    axe_check(page)
    for number in range(1, 28):
        page.locator(f"input[name='q{number}'][value='{'yes' if number <= 15 else 'no'}']").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contact")
    expect(page.locator("body")).to_contain_text("high")
    axe_check(page)

    page.get_by_role("link", name="Raise a PPN about Vera Victimson").click()
    axe_check(page)
    page.get_by_role("group", name="Concern").get_by_label("Domestic abuse").check()
    page.get_by_label("Red").check()
    page.get_by_label("Summary for the MASH").fill(
        "Third domestic abuse call this year; DASH high (synthetic)."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Awaiting the MASH")
    expect(page.locator("body")).to_contain_text("Aire Valley Primary School")
    axe_check(page)
    assert PublicProtectionNotice.objects.filter(person=victim, status="awaiting_mash").count() == 1
    notice = EncompassNotification.objects.get(person=child)
    assert notice.due_at > timezone.now()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, partner.username, password)
    visit(page, "/contacts/encompass/")
    expect(page.locator("body")).to_contain_text(notice.police_reference)
    page.get_by_role("button", name="Acknowledge").first.click()
    expect(page.locator("body")).to_contain_text("Acknowledged")
    axe_check(page)
    notice.notification.refresh_from_db()
    assert notice.notification.acknowledged_at is not None
