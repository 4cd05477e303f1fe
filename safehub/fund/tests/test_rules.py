"""Money, the award checks and the summary sentence (no database)."""

from decimal import Decimal

import pytest

from safehub.fund import rules


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1234.5", "1234.50"), ("£1,234.56", "1234.56"), (" 10 ", "10.00"), (Decimal("0.01"), "0.01")],
)
def test_parse_money(text, amount):
    assert rules.parse_money(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["12.345", "ten pounds", "", "NaN", "Infinity", 12.5])
def test_parse_money_refuses_what_is_not_pounds_and_pence(text):
    with pytest.raises(ValueError):
        rules.parse_money(text)


@pytest.mark.parametrize(
    ("amount", "requested", "remaining", "message"),
    [
        ("-1.00", "100.00", "100.00", "cannot be negative"),
        ("0.00", "100.00", "100.00", "£0.01 or more"),
        ("100.01", "100.00", "500.00", "more than the £100.00 requested"),
        ("100.00", "200.00", "99.99", "larger than the £99.99 left"),
        ("99.99", "200.00", "99.99", None),
        ("0.01", "0.01", "0.01", None),
    ],
)
def test_award_errors(amount, requested, remaining, message):
    errors = rules.award_errors(
        amount=Decimal(amount),
        requested=Decimal(requested),
        remaining=Decimal(remaining),
        round_name="round 1",
    )
    if message is None:
        assert errors == {}
    else:
        assert message in errors["amount"]


@pytest.mark.parametrize(
    ("n", "text"),
    [(91_234, "91k"), (91_500, "92k"), (999, "999"), (1000, "1k"), (0, "0"), (1_250_000, "1.2m")],
)
def test_people_short(n, text):
    assert rules.people_short(n) == text


def test_the_seed_sentence_is_reproduced_from_its_totals():
    sentence = rules.summary_sentence(
        round_numbers=[1, 2, 3, 4, 5], projects=289, awarded=Decimal("2459441.97"), people=91_000
    )
    assert sentence == (
        "Rounds 1 to 5 have awarded 289 projects a share of £2,459,441.97; "
        "we anticipate the projects will impact 91k people."
    )


def test_sentence_for_one_round_and_one_project_and_a_gap():
    assert rules.summary_sentence(round_numbers=[3], projects=1, awarded=Decimal("500"), people=40) == (
        "Round 3 has awarded 1 project £500.00; we anticipate the project will impact 40 people."
    )
    assert rules.rounds_phrase([1, 2, 4]) == "Rounds 1, 2 and 4"
