"""The target provider analytics registers with the activity register, and a campaign's series:
which measures a campaign may target, what is wrong with a target, the counts a campaign is
evaluated on, and the evaluation."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from safehub.activities import targets
from safehub.analytics import campaigns, impact
from safehub.analytics.models import MonthlyCount
from safehub.analytics.tests.campaign_data import FIRST, START, campaign, contacts, manager, store, synthetic

pytestmark = pytest.mark.django_db
__all__ = ["contacts", "manager"]  # fixtures

TODAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_analytics_registers_itself_as_the_target_provider():
    assert targets._choices is campaigns.target_choices
    assert targets._check is campaigns.check_target
    assert targets._categories is campaigns.target_categories


def test_categories_are_listed_under_each_series_that_holds_them(contacts):
    MonthlyCount.objects.create(series="missing.episodes", month=FIRST, district="leeds", count=7)
    grouped = campaigns.target_categories()
    assert [title for title, _ in grouped] == ["Contacts received"]  # missing episodes: no categories
    codes = [code for code, _ in grouped[0][1]]
    assert sorted(codes) == ["concern_for_welfare", "domestic_abuse"]
    assert all(label and label != code for code, label in grouped[0][1])
    assert targets.categories() == grouped


def test_choices_are_monthly_demand_series_with_data(contacts):
    MonthlyCount.objects.create(series="missing.episodes", month=FIRST, district="leeds", count=7)
    MonthlyCount.objects.create(
        series="homeoffice.recorded_crime", month=FIRST, category="Burglary", count=70
    )
    assert campaigns.target_choices() == [
        ("contacts.demand", "Contacts received"),
        ("missing.episodes", "Missing person episodes reported"),
    ]
    assert targets.choices() == campaigns.target_choices()


def test_no_data_no_choices(db):
    assert campaigns.target_choices() == []


def test_a_target_with_data_either_side_has_no_errors(contacts):
    assert campaigns.check_target("contacts.demand", "", "", START) == {}
    assert campaigns.check_target("contacts.demand", "domestic_abuse", "leeds", START) == {}
    assert targets.check("contacts.demand", "", "leeds", START) == {}


def test_an_unknown_series_is_named(contacts):
    errors = campaigns.check_target("contacts.nonsense", "", "", START)
    assert errors == {
        "target_series": "Choose a listed measure: 'contacts.nonsense' is not a monthly series with data"
    }


def test_an_unknown_district_for_the_series_is_named(contacts):
    errors = campaigns.check_target("contacts.demand", "", "wakefield", START)
    assert errors == {"target_district": "Contacts received has no figures for the district 'wakefield'"}


def test_an_unknown_category_for_the_series_is_named(contacts):
    errors = campaigns.check_target("contacts.demand", "burglary", "", START)
    assert errors == {"target_category": "Contacts received has no figures for the category 'burglary'"}


def test_a_category_not_held_in_that_district_is_named(contacts):
    MonthlyCount.objects.create(
        series="contacts.demand", month=FIRST, district="bradford", category="fraud", count=3
    )
    assert campaigns.check_target("contacts.demand", "fraud", "", START) == {}
    errors = campaigns.check_target("contacts.demand", "fraud", "leeds", START)
    assert errors == {
        "target_category": "Contacts received has no figures for the category 'fraud' in that district"
    }


def test_a_series_without_districts_refuses_a_district(districts):
    months, counts, _ = synthetic(1)
    MonthlyCount.objects.bulk_create(
        MonthlyCount(series="policeuk.street", month=m, category="Burglary", count=int(n))
        for m, n in zip(months, counts, strict=True)
    )
    errors = campaigns.check_target("policeuk.street", "", "leeds", START)
    assert errors == {
        "target_district": (
            "Crimes and anti-social behaviour recorded (police.uk) has no district breakdown: "
            "leave the district blank"
        )
    }


@pytest.mark.parametrize("starts_on", [date(2023, 10, 1), date(2026, 9, 1), date(2027, 1, 1)])
def test_a_start_without_12_months_before_and_3_after_is_refused_with_the_data_range(contacts, starts_on):
    errors = campaigns.check_target("contacts.demand", "", "", starts_on)
    assert errors == {
        "starts_on": (
            f"The campaign started on {starts_on:%-d %b %Y}; Contacts received has data from Nov 2022 to "
            "Oct 2026: an evaluation needs 12 months before the start and 3 after"
        )
    }


def test_the_edges_of_the_window_are_allowed(contacts):
    assert campaigns.check_target("contacts.demand", "", "", date(2023, 11, 1)) == {}
    assert campaigns.check_target("contacts.demand", "", "", date(2026, 8, 1)) == {}


def test_no_start_date_leaves_that_check_to_the_activity(contacts):
    assert campaigns.check_target("contacts.demand", "", "", None) == {}


def test_campaign_series_sums_every_district_and_category(contacts, manager):
    months, counts, _ = contacts
    got_months, got_counts = campaigns.campaign_series(campaign(manager))
    assert got_months == months
    assert got_counts == [int(n) for n in counts]


def test_campaign_series_for_a_district_and_a_category(contacts, manager):
    months, counts, _ = contacts
    leeds = campaigns.campaign_series(campaign(manager, target_district="leeds"))[1]
    assert leeds[0] == round(int(counts[0]) * 0.6)
    da = campaigns.campaign_series(campaign(manager, target_category="domestic_abuse"))[1]
    leeds_part = round(int(counts[0]) * 0.6)
    assert da[0] == leeds_part // 2 + (int(counts[0]) - leeds_part) // 2
    leeds_da = campaigns.campaign_series(
        campaign(manager, target_district="leeds", target_category="domestic_abuse")
    )[1]
    assert leeds_da[0] == leeds_part // 2


def test_campaign_series_leaves_out_the_month_in_progress_and_counts_a_held_empty_month_as_0(
    contacts, manager
):
    MonthlyCount.objects.create(series="contacts.demand", month=date(2026, 11, 1), district="leeds", count=9)
    MonthlyCount.objects.create(series="contacts.demand", month=date(2026, 12, 1), district="leeds", count=4)
    months, counts = campaigns.campaign_series(campaign(manager, target_category="domestic_abuse"))
    assert months[-1] == date(2026, 11, 1)  # December 2026 is in progress
    assert counts[-1] == 0  # the source holds November, with no domestic-abuse row


def test_campaign_series_stops_at_a_month_the_source_does_not_hold(districts, manager):
    months, counts, _ = synthetic(1)
    store("contacts.demand", months[:10], counts[:10])
    store("contacts.demand", months[11:], counts[11:])
    got_months, _ = campaigns.campaign_series(campaign(manager))
    assert got_months[0] == months[11]


def test_evaluate_finds_the_step(contacts, manager):
    result = campaigns.evaluate(campaign(manager))
    assert result.level_change.contains(20.0) and result.level_change.excludes_zero
    assert result.n_before == 36 and result.n_after == 12
    assert "contacts received were on average" in result.sentence


def test_evaluate_names_the_subject_with_its_category_and_district(contacts, manager):
    activity = campaign(manager, target_district="leeds", target_category="domestic_abuse")
    assert campaigns.subject(activity) == "Contacts received (domestic abuse, Leeds)"


def test_evaluate_refuses_too_little_data_by_name(contacts, manager):
    with pytest.raises(impact.NotEvaluable, match="Only 10 months of data before the start"):
        campaigns.evaluate(campaign(manager, starts_on=date(2023, 9, 1)))


def test_evaluate_refuses_a_target_with_no_data(contacts, manager):
    with pytest.raises(impact.NotEvaluable, match="Missing person episodes reported has no complete months"):
        campaigns.evaluate(campaign(manager, series="missing.episodes"))


def test_evaluate_refuses_an_activity_that_is_not_a_campaign(contacts, manager):
    with pytest.raises(impact.NotEvaluable, match="Only a campaign"):
        campaigns.evaluate(campaign(manager, kind="conference", series=""))
