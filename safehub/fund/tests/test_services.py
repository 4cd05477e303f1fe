"""Fund services: awards within budget, no negative or over-precise money, returns within the award."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safehub.core.models import AuditEvent
from safehub.fund import selectors, services
from safehub.fund.models import FundApplication, FundAward, FundRound, MonitoringReturn
from safehub.fund.tests.conftest import apply, award

pytestmark = pytest.mark.django_db


def test_an_award_within_budget_is_made_and_audited(manager, fund_round, districts):
    application = apply(manager, fund_round, districts)
    made = award(manager, application, amount="3999.99")
    application.refresh_from_db()
    assert made.amount == Decimal("3999.99") and application.status == "awarded"
    assert selectors.awarded_in(fund_round) == Decimal("3999.99")
    assert AuditEvent.objects.filter(object_type="fund.fundaward", action="create").count() == 1


def test_an_award_larger_than_the_remaining_budget_is_refused(manager, fund_round, districts):
    award(manager, apply(manager, fund_round, districts, amount="7000.00"))
    second = apply(manager, fund_round, districts, amount="3500.00", organisation="Calder Youth Project")
    with pytest.raises(ValidationError) as exc:
        award(manager, second)
    assert "larger than the £3,000.00 left" in exc.value.message_dict["amount"][0]
    second.refresh_from_db()
    assert second.status == "submitted" and FundAward.objects.count() == 1
    award(manager, second, amount="3000.00")  # exactly what is left
    assert selectors.awarded_in(fund_round) == fund_round.budget


@pytest.mark.parametrize(
    ("amount", "field_message"), [("-5.00", "negative"), ("0", "£0.01"), ("1.005", "penny")]
)
def test_negative_zero_and_fractional_penny_awards_are_refused(
    manager, fund_round, districts, amount, field_message
):
    application = apply(manager, fund_round, districts)
    with pytest.raises(ValidationError) as exc:
        award(manager, application, amount=amount)
    assert field_message in exc.value.message_dict["amount"][0]
    assert not FundAward.objects.exists()


def test_negative_budget_and_request_are_refused(manager, fund_round, districts):
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            actor=manager,
            number=2,
            name="R2",
            opens_on=date(2025, 1, 1),
            closes_on=date(2025, 2, 1),
            budget="-1",
        )
    assert "negative" in exc.value.message_dict["budget"][0]
    with pytest.raises(ValidationError) as exc:
        apply(manager, fund_round, districts, amount="-100")
    assert "negative" in exc.value.message_dict["amount_requested"][0]
    assert FundRound.objects.count() == 1 and not FundApplication.objects.exists()


def test_duplicate_round_and_reversed_dates_are_refused(manager, fund_round):
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            actor=manager,
            number=1,
            name="Again",
            opens_on=date(2025, 3, 1),
            closes_on=date(2025, 2, 1),
            budget="5",
        )
    assert set(exc.value.message_dict) == {"number", "closes_on"}


def test_the_budget_cannot_fall_below_what_is_awarded(manager, fund_round, districts):
    award(manager, apply(manager, fund_round, districts, amount="6000.00"))
    with pytest.raises(ValidationError) as exc:
        services.round_update(actor=manager, round=fund_round, budget="5999.99")
    assert "already awarded" in exc.value.message_dict["budget"][0]
    updated = services.round_update(actor=manager, round=fund_round, budget="6000.00", name="Round one")
    assert updated.budget == Decimal("6000.00") and updated.name == "Round one"


def test_an_application_is_awarded_once(manager, fund_round, districts):
    application = apply(manager, fund_round, districts)
    award(manager, application, amount="10.00")
    with pytest.raises(ValidationError):
        award(manager, application, amount="10.00")


def test_decline_and_future_dates(manager, fund_round, districts):
    application = apply(manager, fund_round, districts)
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=manager,
            application=application,
            status="declined",
            decided_on=timezone.localdate() + timedelta(1),
        )
    services.application_decide(
        actor=manager, application=application, status="declined", decided_on=date(2025, 6, 1)
    )
    with pytest.raises(ValidationError):
        award(manager, application)


def test_monitoring_returns_add_up_and_never_exceed_the_award(manager, fund_round, districts):
    made = award(manager, apply(manager, fund_round, districts, amount="1000.00"))
    services.return_create(
        actor=manager, award=made, period_end=date(2025, 9, 30), people_reached=80, spend="600.00"
    )
    with pytest.raises(ValidationError) as exc:
        services.return_create(
            actor=manager, award=made, period_end=date(2025, 12, 31), people_reached=50, spend="400.01"
        )
    assert "more than the £1,000.00 awarded" in exc.value.message_dict["spend"][0]
    with pytest.raises(ValidationError) as exc:
        services.return_create(
            actor=manager, award=made, period_end=date(2025, 9, 30), people_reached=1, spend="1"
        )
    assert "already recorded" in exc.value.message_dict["period_end"][0]
    services.return_create(
        actor=manager, award=made, period_end=date(2025, 12, 31), people_reached=50, spend="400.00"
    )
    assert MonitoringReturn.objects.count() == 2
    assert selectors.award_for(manager, made.pk).reported_people == 130


def test_only_the_partnership_manager_manages_the_fund(commissioner, analyst, officer, fund_round, districts):
    for user in (commissioner, analyst, officer):
        with pytest.raises(PermissionDenied):
            apply(user, fund_round, districts)
    assert services.may_read(commissioner) and services.may_read(analyst) and not services.may_read(officer)


def test_summary_totals_match_the_records(manager, fund_round, districts):
    round2 = services.round_create(
        actor=manager,
        number=2,
        name="Round 2",
        opens_on=date(2025, 7, 1),
        closes_on=date(2025, 8, 1),
        budget="5000",
    )
    award(manager, apply(manager, fund_round, districts, amount="1234.56", people=300))
    award(
        manager,
        apply(
            manager,
            round2,
            districts,
            amount="2000.01",
            people=700,
            theme="fraud_cyber",
            district_list=[districts["leeds"], districts["bradford"]],
        ),
    )
    apply(manager, round2, districts, amount="50.00", people=10_000)  # not awarded: not counted
    data = selectors.summary(fund_round.force)
    assert data["projects"] == FundAward.objects.count() == 2
    assert data["awarded"] == sum(a.amount for a in FundAward.objects.all()) == Decimal("3234.57")
    assert data["projected_people"] == 1000
    assert data["sentence"] == (
        "Rounds 1 and 2 have awarded 2 projects a share of £3,234.57; "
        "we anticipate the projects will impact 1k people."
    )
    assert {row["district"]: row["projects"] for row in data["by_district"]} == {"bradford": 1, "leeds": 2}
    only2 = selectors.summary(fund_round.force, round_numbers=[2])
    assert only2["projects"] == 1 and only2["sentence"].startswith("Round 2 has awarded 1 project £2,000.01")
