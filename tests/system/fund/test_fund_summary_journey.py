"""The partnership manager awards a project from the page (an award larger than the round's
remaining budget is refused); the commissioner reads the fund summary, whose sentence and totals
match the records. Every page is checked with axe."""

from datetime import date
from decimal import Decimal

from django.db.models import Sum
from playwright.sync_api import expect

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.fund import rules, services
from safehub.fund.models import FundAward
from tests.system.conftest import axe_check, sign_in, visit


def test_fund_summary_page_totals_match_the_records(page, agencies, districts, password):
    manager = UserFactory(
        username="partnership",
        agency=agencies["leeds_csc"],
        district=districts["leeds"],
        roles=[Role.PARTNERSHIP_MANAGER],
    )
    UserFactory(username="commissioner", agency=agencies["mayor"], district=None, roles=[Role.COMMISSIONER])
    rounds = [
        services.round_create(
            actor=manager,
            number=n,
            name=f"Round {n}",
            opens_on=date(2024 + n // 3, 1 + n, 1),
            closes_on=date(2024 + n // 3, 1 + n, 28),
            budget="20000.00",
        )
        for n in (1, 2)
    ]
    applications = []
    for n, (fund_round, amount, people, theme) in enumerate(
        [
            (rounds[0], "12345.67", 45_200, "domestic_abuse"),
            (rounds[1], "6000.30", 30_100, "trafficking"),
            (rounds[1], "9000.00", 15_900, "stalking_harassment"),
        ]
    ):
        applications.append(
            services.application_create(
                actor=manager,
                round=fund_round,
                organisation=f"Organisation {n}",
                project=f"Project {n}",
                theme=theme,
                districts=[districts["leeds"]],
                amount_requested=amount,
                projected_people=people,
                submitted_on=fund_round.closes_on,
            )
        )
    for application in applications[:2]:
        services.award_create(
            actor=manager,
            application=application,
            amount=application.amount_requested,
            awarded_on=date(2025, 6, 1),
        )

    # Given the partnership manager, when they try to award more than round 2 has left
    sign_in(page, manager.username, password)
    visit(page, "/fund/")
    page.get_by_role("link", name="Round 2: Round 2").click()
    axe_check(page)
    expect(page.locator("#round-remaining")).to_have_text("£13,999.70")
    page.get_by_role("link", name="Project 2").click()
    axe_check(page)
    page.get_by_role("link", name="Award funding").click()
    axe_check(page)
    page.get_by_label("Amount awarded").fill("£14,000.00")
    page.locator("#id_awarded_on_0").fill("1")
    page.locator("#id_awarded_on_1").fill("7")
    page.locator("#id_awarded_on_2").fill("2025")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("more than the £9,000.00 requested")
    page.get_by_label("Amount awarded").fill("8500.5")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.locator("h1")).to_contain_text("Project 2")
    assert FundAward.objects.count() == 3

    # Then the commissioner reads the summary and its totals are the records'
    page.context.clear_cookies()
    sign_in(page, "commissioner", password)
    visit(page, "/fund/")
    total = FundAward.objects.aggregate(total=Sum("amount"))["total"]
    assert total == Decimal("26846.47")
    people = sum(a.application.projected_people for a in FundAward.objects.select_related("application"))
    expect(page.locator("#fund-awarded")).to_have_text(rules.pounds(total))
    expect(page.locator("#fund-projects")).to_have_text(str(FundAward.objects.count()))
    expect(page.locator("#fund-sentence")).to_have_text(
        f"Rounds 1 and 2 have awarded 3 projects a share of {rules.pounds(total)}; "
        f"we anticipate the projects will impact {rules.people_short(people)} people."
    )
    expect(page.locator("#fund-sentence")).to_contain_text("91k people")
    expect(page.get_by_role("link", name="Add a round")).to_have_count(0)
