"""Pure validation rules for the person index: identifiers, dates of birth, postcodes."""

from __future__ import annotations

import re
from datetime import date

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S
_POSTCODE = re.compile(r"^(GIR 0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? [0-9][ABD-HJLNP-UW-Z]{2})$")


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def nhs_number_problem(value: str) -> str | None:
    """None when `value` is a valid NHS number (10 digits, modulus 11 check digit), else why not."""
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        return "Enter an NHS number of 10 digits, like 999 123 4560"
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        return "Enter a valid NHS number: the check digit does not match"
    return None


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None where no valid NHS number starts with them."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return 0 if check == 11 else (None if check == 10 else check)


def normalise_upn(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def upn_check_letter(last_twelve: str) -> str:
    """The DfE unique pupil number check letter for characters 2 to 13."""
    total = 0
    for position, char in enumerate(last_twelve, start=2):
        digit = int(char) if char.isdigit() else _UPN_LETTERS.index(char)
        total += digit * position
    return _UPN_LETTERS[total % 23]


def upn_problem(value: str) -> str | None:
    upn = normalise_upn(value)
    if not re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", upn):
        return "Enter a unique pupil number of 13 characters: a letter, 11 digits and a digit or letter"
    if upn[12].isalpha() and upn[12] not in _UPN_LETTERS:
        return "Enter a valid unique pupil number: the last character is not allowed"
    if upn_check_letter(upn[1:]) != upn[0]:
        return "Enter a valid unique pupil number: the check letter does not match"
    return None


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s", "", (value or "").upper())
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def postcode_problem(value: str) -> str | None:
    if not _POSTCODE.match(normalise_postcode(value)):
        return "Enter a real postcode, like LS1 4AP"
    return None


def date_of_birth_problem(dob: date | None, today: date) -> str | None:
    if dob is None:
        return None
    if dob > today:
        return "Date of birth must be today or in the past"
    if dob.year < 1900:
        return "Date of birth must be after 1900"
    return None


def age_on(dob: date | None, on: date) -> int | None:
    if dob is None:
        return None
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
