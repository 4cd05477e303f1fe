"""Issue 12's journey: the partnership manager records a campaign against domestic abuse reports
and sees its impact chart; an overdue HMICFRS area for improvement appears on its owner's list and,
by name, in the commissioner's scrutiny report (with the campaign in "Key information"). Every page
is checked with axe (WCAG 2.2 AA)."""

import math
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from safehub.activities.models import Activity
from safehub.analytics import campaigns
from safehub.analytics.models import MonthlyCount
from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.recommendations import services as recommendations
from safehub.recommendations.models import Recommendation
from tests.system.conftest import axe_check, sign_in, visit

STEP = 40


def given_domestic_abuse_reports_with_a_step_in_january_2026():
    """32 months of domestic abuse contacts in Leeds: trend, season, and +STEP a month from 2026-01."""
    first = date(2024, 4, 1)
    for i in range(32):
        month = first + relativedelta(months=i)
        count = (
            200
            + i
            + 15 * math.sin(2 * math.pi * month.month / 12)
            + (STEP if month >= date(2026, 1, 1) else 0)
        )
        count += (-3, 2, 4, -1, 0, -2, 3)[i % 7]  # a little fixed noise
        MonthlyCount.objects.create(
            series="contacts.demand", month=month, district="leeds", category="domestic", count=round(count)
        )


def test_campaign_impact_and_an_overdue_recommendation_in_the_report(
    page, agencies, districts, officer, commissioner, password
):
    manager = UserFactory(
        username="partnership",
        agency=agencies["leeds_csc"],
        district=districts["leeds"],
        roles=[Role.PARTNERSHIP_MANAGER],
    )
    given_domestic_abuse_reports_with_a_step_in_january_2026()
    overdue = recommendations.recommendation_create(
        actor=manager,
        source_kind="hmicfrs",
        source_reference="PEEL 2025 AFI 3",
        finding="area_for_improvement",
        text="Improve how quickly officers share domestic abuse risk information with partners.",
        owning_agency=officer.agency,
        owner=officer,
        due_on=date(2026, 1, 31),
    )
    Recommendation.objects.filter(pk=overdue.pk).update(created_at=timezone.now() - timedelta(days=400))

    # The partnership manager records the campaign
    sign_in(page, manager.username, password)
    visit(page, "/activities/")
    page.get_by_role("link", name="Record an activity").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label("Campaign", exact=True).check()
    page.get_by_label("Title").fill("Know your right to ask")
    page.get_by_label("Domestic abuse", exact=True).check()
    page.locator("#id_starts_on_0").fill("1")
    page.locator("#id_starts_on_1").fill("1")
    page.locator("#id_starts_on_2").fill("2026")
    page.get_by_label("Lead organisation").fill("West Yorkshire Police")
    page.get_by_label("Partner organisations").fill("Leeds Children's Social Care\nLeeds Women's Aid")
    page.get_by_label("People reached").fill("52000")
    page.get_by_label("Measure the campaign set out to change").select_option("contacts.demand")
    page.get_by_label("Category of the measure").select_option("domestic")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.locator("h1")).to_contain_text("Know your right to ask")
    campaign = Activity.objects.get(title="Know your right to ask")
    assert campaign.target_series == "contacts.demand" and campaign.starts_on == date(2026, 1, 1)

    # ... and sees its impact: the estimate recovers the step, with the caveat and the chart
    page.get_by_role("link", name="See the campaign's impact on its target measure").click()
    page.wait_for_load_state()
    axe_check(page)
    result = campaigns.evaluate(campaign)
    assert result.average_change.low <= STEP <= result.average_change.high
    assert result.average_change.low > 0
    expect(page.locator("#impact-sentence")).to_have_text(result.sentence)
    expect(page.locator("#impact-caveat")).to_contain_text("association")
    expect(page.locator(".app-chart-figure svg")).to_have_count(1)
    expect(page.locator("#impact-table tbody tr")).to_have_count(32)

    # The owner sees the overdue area for improvement on their list
    page.context.clear_cookies()
    sign_in(page, officer.username, password)
    visit(page, "/recommendations/?view=overdue")
    row = page.locator("tr", has_text="Improve how quickly officers share")
    expect(row).to_contain_text("PEEL 2025 AFI 3")
    expect(row).to_contain_text("overdue")

    # The commissioner's report names it, and the campaign is in "Key information"
    page.context.clear_cookies()
    sign_in(page, commissioner.username, password)
    visit(page, "/reports/scrutiny/")
    page.get_by_label("Financial year").select_option("2025-26")
    page.get_by_label("Web page (HTML)").check()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Generate the report").click()
    report = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Overdue area for improvement: HMICFRS inspection, PEEL 2025 AFI 3" in report
    assert "Know your right to ask" in report and "52,000" in report
