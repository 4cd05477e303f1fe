"""An analyst changes MARAC's potential escalation to 3 in 6 months, tests it on examples, saves it."""

from playwright.sync_api import expect

from safehub.core.models import RulesetVersion
from tests.system.conftest import axe_check, sign_in, visit

EXACT = "3 domestic abuse incidents, the oldest exactly 12 months before"


def continue_and_check(page, button: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    axe_check(page)


def test_analyst_proposes_tests_and_saves_a_new_marac_version(page, analyst, password):
    sign_in(page, analyst.username, password)
    page.get_by_role("link", name="Listing rules").click()
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Listing rules")

    # Given the MARAC rules in force
    page.get_by_role("link", name="MARAC referral criteria").click()
    axe_check(page)
    expect(page.get_by_text("Version 1 is in force")).to_be_visible()
    page.get_by_role("button", name="Propose a new version").click()
    axe_check(page)

    # When the analyst sets potential escalation to 3 in 182 days but keeps the old words
    escalation = page.get_by_role("group", name="Potential escalation")
    expect(escalation.get_by_label("Minimum count")).to_have_value("3")
    escalation.get_by_label("Window in days").fill("182")
    page.get_by_label("Who agreed this change, and why").fill("MARAC steering group, 12 November 2026")
    continue_and_check(page, "Continue to testing")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Potential escalation, description: it still describes the old numbers"
    )
    escalation.get_by_label("Description").fill("3 or more domestic abuse incidents in 6 months.")
    continue_and_check(page, "Continue to testing")

    # Then the built-in examples show the outcome that changes, side by side
    expect(page.get_by_role("heading", level=1)).to_have_text("Test version 2 of MARAC referral criteria")
    expect(page.get_by_role("table", name="What changes")).to_contain_text("in 182 days")
    exact = page.locator(".govuk-summary-card", has_text=EXACT)
    expect(exact).to_contain_text("Outcome changes")
    row = exact.get_by_role("row", name="Potential escalation")
    expect(row.get_by_role("cell").nth(0)).to_contain_text("Fires")
    expect(row.get_by_role("cell").nth(0)).to_contain_text("events[0]")
    expect(row.get_by_role("cell").nth(1)).to_contain_text("Does not fire")
    recent = page.locator(".govuk-summary-card", has_text="3 domestic abuse incidents in 5 months")
    expect(recent).not_to_contain_text("Outcome changes")

    # And the analyst's own history is checked like `safehub rules evaluate`
    page.get_by_label("Your own example history (JSON)").fill('{"events": [{"type": "dash", "at": "soon"}]}')
    continue_and_check(page, "Test this history")
    expect(page.locator(".govuk-error-summary")).to_contain_text("events[0].at: 'soon' is not an ISO 8601")
    page.get_by_label("Your own example history (JSON)").fill(
        '{"as_of": "2026-11-23T12:00", "events": [{"type": "dash", "at": "2026-11-20T22:30", "score": 14}]}'
    )
    continue_and_check(page, "Test this history")
    own = page.locator(".govuk-summary-card", has_text="Your example history")
    visible = own.get_by_role("row", name="Visible high risk")
    expect(visible).to_contain_text("has score 14 (rule: score at least 14)")
    assert not RulesetVersion.objects.exists()

    # When it is saved, version 2 is in force
    continue_and_check(page, "Save as version 2")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Version 2 of MARAC referral criteria saved"
    )
    expect(page.get_by_text("Version 2 is in force")).to_be_visible()
    expect(page.get_by_role("table", name="Version history")).to_contain_text(
        "MARAC steering group, 12 November 2026"
    )
    visit(page, "/rules/")
    expect(page.locator("main")).to_contain_text("At least 3 domestic abuse incidents as a victim in 182")
    stored = RulesetVersion.objects.get().definition["rules"]
    (rule,) = [r for r in stored if r["id"] == "potential_escalation"]
    assert rule["window_days"] == 182


def test_a_practitioner_reads_the_rules_but_cannot_propose(page, owner, password):
    sign_in(page, owner.username, password)
    expect(page.locator(".govuk-service-navigation")).not_to_contain_text("Listing rules")
    visit(page, "/rules/mace/")
    expect(page.get_by_role("table", name="Rules in force")).to_contain_text("Practitioner referral")
    expect(page.get_by_role("button", name="Propose a new version")).to_have_count(0)
    assert visit(page, "/rules/mace/new/").status == 403
