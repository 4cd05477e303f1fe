"""Safer Communities Fund rules as pure functions: money in pounds and pence, what an award may
be, and the summary sentence. No ORM, no request."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
MAX_AMOUNT = Decimal("99999999.99")

THEMES = (
    ("csae", "Child sexual abuse and exploitation"),
    ("domestic_abuse", "Domestic abuse"),
    ("fraud_cyber", "Fraud and cyber crime"),
    ("trafficking", "Human trafficking and modern slavery"),
    ("honour_based_abuse", "So-called honour-based abuse"),
    ("stalking_harassment", "Stalking and harassment"),
    ("rape_sexual_offences", "Rape and sexual offences"),
    ("youth_violence", "Serious violence and young people"),
    ("hate_crime", "Hate crime"),
    ("other", "Other"),
)
THEME_LABELS = dict(THEMES)


def parse_money(value: object) -> Decimal:
    """Pounds and pence from '1234.5', '£1,234.50' or a Decimal; ValueError with a clear message.

    Never a float: a float cannot hold pence exactly."""
    if isinstance(value, float):
        raise ValueError("Enter the amount as pounds and pence, like 1234.56 (not a floating-point number)")
    text = str(value).strip().replace(",", "").removeprefix("£").strip()
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError("Enter an amount in pounds and pence, like 1234.56") from None
    if not amount.is_finite():
        raise ValueError("Enter an amount in pounds and pence, like 1234.56")
    if amount != amount.quantize(PENNY):
        raise ValueError("Enter the amount to the nearest penny (at most 2 decimal places)")
    return amount.quantize(PENNY)


def amount_errors(
    amount: Decimal | None, *, field: str = "amount", allow_zero: bool = False
) -> dict[str, str]:
    if amount is None:
        return {field: "Enter the amount in pounds and pence"}
    if amount < 0:
        return {field: "The amount cannot be negative"}
    if amount == 0 and not allow_zero:
        return {field: "Enter an amount of £0.01 or more"}
    if amount > MAX_AMOUNT:
        return {field: "The amount is too large"}
    if amount != amount.quantize(PENNY):
        return {field: "Enter the amount to the nearest penny (at most 2 decimal places)"}
    return {}


def award_errors(
    *, amount: Decimal | None, requested: Decimal, remaining: Decimal, round_name: str
) -> dict[str, str]:
    """An award is positive, at most what was asked for, and at most what is left in the round."""
    errors = amount_errors(amount)
    if errors:
        return errors
    assert amount is not None
    if amount > requested:
        return {"amount": f"The award cannot be more than the {pounds(requested)} requested"}
    if amount > remaining:
        return {
            "amount": f"The award is larger than the {pounds(remaining)} left in the budget of {round_name}"
        }
    return {}


def pounds(amount: Decimal) -> str:
    """£2,459,441.97 (always two decimal places)."""
    return f"£{Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP):,.2f}"


def people_short(n: int) -> str:
    """91k for 91,234 (nearest thousand); the number itself under 1,000; 1.2m from a million."""
    if n >= 1_000_000:
        return f"{Decimal(n) / 1_000_000:.1f}m".replace(".0m", "m")
    if n >= 1000:
        return f"{(Decimal(n) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP)}k"
    return f"{n:,}"


def rounds_phrase(numbers: list[int]) -> str:
    """'Rounds 1 to 5' for a run, 'Round 3' for one, 'Rounds 1, 2 and 4' otherwise."""
    numbers = sorted(set(numbers))
    if not numbers:
        return "No rounds"
    if len(numbers) == 1:
        return f"Round {numbers[0]}"
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"Rounds {numbers[0]} to {numbers[-1]}"
    return f"Rounds {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


def summary_sentence(*, round_numbers: list[int], projects: int, awarded: Decimal, people: int) -> str:
    """'Rounds 1 to 5 have awarded 289 projects a share of £2,459,441.97; we anticipate the projects
    will impact 91k people.' from the totals."""
    rounds = rounds_phrase(round_numbers)
    verb = "has" if len(set(round_numbers)) == 1 else "have"
    project_word = "project" if projects == 1 else "projects"
    share = "a share of " if projects != 1 else ""
    impact = "the project" if projects == 1 else "the projects"
    return (
        f"{rounds} {verb} awarded {projects:,} {project_word} {share}{pounds(awarded)}; "
        f"we anticipate {impact} will impact {people_short(people)} people."
    )
