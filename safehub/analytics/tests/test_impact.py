"""Interrupted time series (pure, no database): a known step is found, no step is not, the intervals
hold the truth as often as they should, and a series that cannot be evaluated is refused by name."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from safehub.analytics import impact
from safehub.analytics.tests.campaign_data import synthetic

SEED = 1  # any seed will do for a step; with no step, about 1 seed in 20 shows a change by chance


def test_a_known_step_lies_within_the_interval_which_excludes_zero():
    months, counts, start = synthetic(SEED, step=20.0)
    result = impact.interrupted_time_series(months, counts, start, subject="Contacts received")
    assert result.level_change.contains(20.0)
    assert result.level_change.excludes_zero
    assert result.level_change.low > 5
    assert result.average_change.excludes_zero and result.significant
    assert result.level_change.p_value is not None and result.level_change.p_value < 0.01
    assert result.n_before == 36 and result.n_after == 12
    assert result.seasonality == impact.MONTH_DUMMIES
    assert "contacts received were on average" in result.sentence
    assert "higher than the trend and season before it predict" in result.sentence
    assert "does not include zero" in result.sentence


def test_no_step_gives_an_interval_that_contains_zero():
    months, counts, start = synthetic(SEED, step=0.0)
    result = impact.interrupted_time_series(months, counts, start)
    assert result.level_change.contains(0.0)
    assert result.average_change.contains(0.0)
    assert not result.significant
    assert "the data do not show a clear change" in result.sentence


def test_a_fall_is_reported_as_lower():
    months, counts, start = synthetic(SEED, step=-25.0)
    result = impact.interrupted_time_series(months, counts, start, subject="MASH referrals")
    assert result.level_change.high < 0 and result.level_change.contains(-25.0)
    assert "MASH referrals were on average" in result.sentence and "lower" in result.sentence
    assert result.average_change_percent is not None and result.average_change_percent.value < 0


def test_a_known_change_of_trend_lies_within_its_interval():
    months, counts, start = synthetic(SEED, step=0.0, trend_change=2.0)
    result = impact.interrupted_time_series(months, counts, start)
    assert result.trend_change.contains(2.0) and result.trend_change.low > 0


@pytest.mark.parametrize(
    ("n_before", "n_after", "step"),
    [(36, 12, 20.0), (36, 12, 0.0), (24, 9, 20.0), (18, 6, 0.0), (12, 3, 20.0)],
)
def test_the_95_percent_interval_holds_the_true_step_in_at_least_85_percent_of_50_series(
    n_before, n_after, step
):
    held = 0
    for seed in range(50):
        months, counts, start = synthetic(seed, n_before=n_before, n_after=n_after, step=step)
        held += impact.interrupted_time_series(months, counts, start).level_change.contains(step)
    assert held >= 43  # 85% of 50


def test_with_no_step_at_most_15_percent_of_50_series_show_a_change():
    shown = sum(
        impact.interrupted_time_series(*synthetic(seed, step=0.0)).average_change.excludes_zero
        for seed in range(50)
    )
    assert shown <= 7


def test_a_clear_step_is_found_in_most_series():
    found = sum(
        impact.interrupted_time_series(*synthetic(seed, step=20.0)).level_change.excludes_zero
        for seed in range(50)
    )
    assert found >= 45


def test_fewer_than_36_months_use_one_fourier_pair():
    months, counts, start = synthetic(SEED, n_before=24, n_after=9)
    result = impact.interrupted_time_series(months, counts, start)
    assert result.seasonality == impact.FOURIER
    assert "Fourier" in result.model and "Newey-West (HAC)" in result.model
    assert result.level_change.contains(20.0)


def test_month_dummies_need_enough_months_left_over():
    # 36 months with 4 + 11 parameters leaves 21: dummies; the threshold is what the module says.
    months, counts, start = synthetic(SEED, n_before=30, n_after=6)
    assert impact.interrupted_time_series(months, counts, start).seasonality == impact.MONTH_DUMMIES
    months, counts, start = synthetic(SEED, n_before=30, n_after=5)
    assert impact.interrupted_time_series(months, counts, start).seasonality == impact.FOURIER


def test_counterfactual_follows_the_fit_before_and_the_average_change_is_observed_minus_counterfactual():
    months, counts, start = synthetic(SEED)
    result = impact.interrupted_time_series(months, counts, start)
    before = [i for i, p in enumerate(result.periods) if p == "before"]
    after = [i for i, p in enumerate(result.periods) if p == "after"]
    assert len(before) == 36 and len(after) == 12
    assert all(result.fitted[i] == pytest.approx(result.counterfactual[i]) for i in before)
    gap = np.mean([result.observed[i] - result.counterfactual[i] for i in after])
    assert result.average_change.value == pytest.approx(gap, abs=0.01)
    expected = np.mean([result.counterfactual[i] for i in after])
    assert result.average_change_percent.value == pytest.approx(100 * gap / expected, abs=0.05)


def test_a_start_part_way_through_a_month_leaves_that_month_out():
    months, counts, _ = synthetic(SEED)
    start = date(2025, 10, 15)
    result = impact.interrupted_time_series(months, counts, start)
    assert result.excluded == date(2025, 10, 1)
    assert result.first_after == date(2025, 11, 1)
    index = months.index(date(2025, 10, 1))
    assert result.periods[index] == "excluded" and result.fitted[index] is None
    assert result.n_before == 35 and result.n_after == 12
    assert "October 2025" in result.model and "left out of the fit" in result.model


def test_the_caveat_says_association_not_proof():
    result = impact.interrupted_time_series(*synthetic(SEED))
    assert "association" in result.caveat and "not proof" in result.caveat
    assert "recording practice" in result.caveat and "other campaigns" in result.caveat


def test_twelve_months_before_and_three_after_is_enough():
    months, counts, start = synthetic(SEED, n_before=12, n_after=3)
    result = impact.interrupted_time_series(months, counts, start)
    assert (result.n_before, result.n_after) == (12, 3)


@pytest.mark.parametrize(
    ("n_before", "n_after", "message"),
    [
        (
            11,
            12,
            "Only 11 months of data before the start (1 Oct 2023; data from Nov 2022): an evaluation "
            "needs at least 12",
        ),
        (
            24,
            2,
            "Only 2 complete months of data after the start (1 Nov 2024; data to Dec 2024): an evaluation "
            "needs at least 3",
        ),
    ],
)
def test_too_few_months_are_refused_by_name(n_before, n_after, message):
    months, counts, start = synthetic(SEED, n_before=n_before, n_after=n_after)
    with pytest.raises(impact.NotEvaluable) as caught:
        impact.interrupted_time_series(months, counts, start)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


def test_a_part_month_start_needs_three_whole_months_after():
    months, counts, _ = synthetic(SEED, n_before=24, n_after=3)
    with pytest.raises(impact.NotEvaluable, match="Only 2 complete months of data after the start"):
        impact.interrupted_time_series(months, counts, date(2024, 11, 2))


@pytest.mark.parametrize("start", [date(2022, 10, 31), date(2026, 11, 1)])
def test_a_start_outside_the_data_is_refused(start):
    months, counts, _ = synthetic(SEED)
    with pytest.raises(
        impact.NotEvaluable, match="is outside the data, which runs from Nov 2022 to Oct 2026"
    ):
        impact.interrupted_time_series(months, counts, start)


def test_a_negative_count_is_refused_naming_the_month():
    months, counts, start = synthetic(SEED)
    counts[5] = -3
    with pytest.raises(impact.NotEvaluable, match="The count for Apr 2023 is negative"):
        impact.interrupted_time_series(months, counts, start)


def test_months_with_a_gap_are_refused():
    months, counts, start = synthetic(SEED)
    del months[10], counts[10]
    with pytest.raises(impact.NotEvaluable, match="not consecutive: Aug 2023 is followed by Oct 2023"):
        impact.interrupted_time_series(months, counts, start)


def test_counts_and_months_must_pair_up():
    months, counts, start = synthetic(SEED)
    with pytest.raises(impact.NotEvaluable, match="48 months but 47 counts"):
        impact.interrupted_time_series(months, counts[:-1], start)


def test_window_problem_matches_the_refusal():
    assert impact.window_problem(date(2025, 1, 1), date(2026, 10, 1), date(2026, 1, 1)) is None
    assert impact.window_problem(date(2025, 1, 1), date(2026, 10, 1), date(2026, 8, 1)) is None
    assert "Only 2 complete months" in impact.window_problem(
        date(2025, 1, 1), date(2026, 10, 1), date(2026, 9, 1)
    )
    assert "Only 11 months" in impact.window_problem(date(2025, 1, 1), date(2026, 10, 1), date(2025, 12, 1))
