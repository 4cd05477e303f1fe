"""Outputs: an analyst reads the MARAC data return (counts only, small numbers suppressed); the
coordinator downloads the meeting's agenda as a PDF; a member who has not accepted the
confidentiality statement cannot. Every page is checked with axe (WCAG 2.2 AA).

The agenda is downloaded by its URL (`meetings:agenda_pdf`): the meeting page's link to it is
the workflow pages' to add."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from safehub.meetings.returns import quarter_of
from safehub.meetings.tests.test_exports import build_world
from tests.system.conftest import sign_in, visit


def test_analyst_reads_the_marac_return(page, districts, agencies, analyst, password):
    yesterday = timezone.now() - timedelta(days=1)
    build_world(districts, agencies, starts_at=yesterday)
    quarter = quarter_of(timezone.localtime(yesterday).date())
    sign_in(page, analyst.username, password)
    visit(page, f"{reverse('meetings:marac_return')}?quarter={quarter.code}")
    page.get_by_label("Leeds").check()
    page.get_by_role("button", name="Show the return").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=2).first).to_contain_text(f"{quarter.label}: Leeds")
    table = page.locator("#marac-return")
    expect(table).to_contain_text("Cases discussed")
    expect(table).to_contain_text("fewer than 5")
    assert "Victimson" not in page.content()
    visit(page, page.url)  # the result page passes axe too


def test_coordinator_downloads_the_agenda_pdf_and_a_member_cannot(page, districts, agencies, password):
    world = build_world(districts, agencies)  # a Leeds MARAC on 23 November 2026
    url = reverse("meetings:agenda_pdf", args=[world.meeting.pk])
    sign_in(page, world.coordinator.username, password)
    response = page.request.get(url)
    assert response.status == 200
    assert response.body().startswith(b"%PDF")
    assert 'filename="leeds-marac-2026-11-23-agenda.pdf"' in response.headers["content-disposition"]
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, world.member.username, password)
    refused = page.request.get(url)
    assert refused.status == 403
