"""Checking a referral CSV: the header, each kind of bad cell (named by row and column), limits.

No database: the districts are passed in. `row()` and `csv_bytes()` are shared by the other
intake tests.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.core.models import District
from safehub.people.tests.factories import synthetic_nhs_number
from safehub.referrals import intake
from safehub.referrals.models import ConcernCategory

NHS = synthetic_nhs_number(7)
DISTRICTS = {
    "leeds": District(code="leeds", name="Leeds"),
    "bradford": District(code="bradford", name="Bradford"),
}


def row(**changes: str) -> dict[str, str]:
    received = timezone.localtime() - timedelta(days=2)
    values = {
        "received_at": received.strftime("%d/%m/%Y %H:%M"),
        "source": "school",
        "categories": "neglect;domestic_abuse",
        "district": "leeds",
        "what_happened": "Child came to school hungry and with bruises on both arms.",
        "risks": "Parent's new partner known to police.",
        "strengths": "Grandmother nearby and involved.",
        "consent_status": "given",
        "consent_note": "",
        "lawful_basis": "gdpr_6_1_e",
        "subject_given_name": "Poppy",
        "subject_family_name": "Intakeson",
        "subject_date_of_birth": "01/03/2016",
        "subject_nhs_number": NHS,
        "subject_postcode": "LS6 2AB",
        "child_seen": "yes",
        "seen_alone": "yes",
    }
    values.update(changes)
    return values


def csv_bytes(rows: list[dict[str, str]], header: list[str] | None = None, bom: bool = False) -> bytes:
    header = header or intake.COLUMN_NAMES
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(name, "") for name in header])
    return (("\ufeff" if bom else "") + stream.getvalue()).encode("utf-8")


def parse(data: bytes) -> intake.ParsedFile:
    return intake.parse_referral_csv(io.BytesIO(data), districts=DISTRICTS)


def only_error(parsed: intake.ParsedFile) -> intake.RowError:
    assert len(parsed.errors) == 1, parsed.errors
    return parsed.errors[0]


def test_a_good_file_gives_one_row_per_referral_and_no_errors():
    parsed = parse(csv_bytes([row(), row(subject_given_name="Jack", categories="NEGLECT")]))
    assert parsed.errors == []
    assert [r.row_number for r in parsed.rows] == [2, 3]
    first = parsed.rows[0]
    assert first.categories == ["neglect", "domestic_abuse"]
    assert first.district is DISTRICTS["leeds"]
    assert first.subject["nhs_number"] == NHS
    assert first.subject["postcode"] == "LS6 2AB"
    assert first.received_at.tzinfo is not None
    assert parsed.rows[1].categories == ["neglect"]


def test_a_utf8_file_with_a_byte_order_mark_is_read():
    parsed = parse(csv_bytes([row(subject_given_name="Zoë")], bom=True))
    assert parsed.errors == []
    assert parsed.rows[0].subject["given_name"] == "Zoë"


def test_iso_date_times_are_accepted():
    when = (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    assert parse(csv_bytes([row(received_at=when)])).errors == []


def test_a_file_that_is_not_utf8_is_one_clear_error():
    error = only_error(parse("received_at,source\n01/01/2026,Café\n".encode("cp1252")))
    assert error.row_number == 0
    assert "not UTF-8" in error.message


def test_a_binary_file_is_refused_as_not_csv():
    error = only_error(parse(b"PK\x03\x04\x00\x00binary"))
    assert "not a CSV" in error.message


def test_missing_and_unknown_columns_are_named():
    header = [name for name in intake.COLUMN_NAMES if name not in ("district", "lawful_basis")] + ["colour"]
    parsed = parse(csv_bytes([row()], header=header))
    messages = " ".join(e.message for e in parsed.errors)
    assert parsed.rows == []
    assert "Missing columns: district, lawful_basis" in messages
    assert "Unknown columns: 'colour'" in messages
    assert all(e.row_number == 1 for e in parsed.errors)


def test_optional_columns_may_be_left_out_of_the_header():
    header = [n for n in intake.COLUMN_NAMES if n not in ("risks", "strengths", "subject_nhs_number")]
    parsed = parse(csv_bytes([row()], header=header))
    assert parsed.errors == []
    assert parsed.rows[0].subject["nhs_number"] == ""


def test_an_empty_file_and_a_header_only_file_are_errors():
    assert "empty" in only_error(parse(b"")).message
    assert "no referrals" in only_error(parse(csv_bytes([]))).message


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("received_at", "31/02/2026 10:00", "Enter a date and time"),
        ("received_at", "yesterday", "Enter a date and time"),
        ("source", "carrier pigeon", "Unknown source 'carrier pigeon'"),
        ("district", "york", "Unknown district 'york'. Use one of: bradford, leeds"),
        ("consent_status", "maybe", "Unknown consent status 'maybe'"),
        ("lawful_basis", "because", "Unknown lawful basis 'because'"),
        ("child_seen", "perhaps", "Unknown value 'perhaps'"),
        ("seen_alone", "sometimes", "Unknown value 'sometimes'"),
        ("subject_date_of_birth", "2016-13-01", "Enter a date of birth"),
        ("subject_date_of_birth", "01/01/1850", "after 1900"),
        ("subject_nhs_number", "12345", "10 digits"),
        ("subject_nhs_number", NHS[:9] + str((int(NHS[9]) + 1) % 10), "check digit"),
        ("subject_postcode", "NOT A CODE", "Enter a real postcode"),
        ("what_happened", "", "Enter what_happened"),
        ("subject_family_name", "", "Enter subject_family_name"),
    ],
)
def test_each_bad_cell_is_named_by_row_and_column(column, value, expected):
    rows = [row(), row(), row(**{column: value})]
    parsed = parse(csv_bytes(rows))
    error = only_error(parsed)
    assert (error.row_number, error.column) == (4, column)
    assert expected in error.message
    assert len(parsed.rows) == 2


def test_a_date_received_in_the_future_is_refused():
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%d/%m/%Y %H:%M")
    error = only_error(parse(csv_bytes([row(received_at=tomorrow)])))
    assert (error.row_number, error.column) == (2, "received_at")
    assert "not the future" in error.message


def test_a_date_of_birth_in_the_future_is_refused():
    future = (timezone.localdate() + timedelta(days=10)).isoformat()
    error = only_error(parse(csv_bytes([row(subject_date_of_birth=future)])))
    assert error.column == "subject_date_of_birth"
    assert "today or in the past" in error.message


def test_an_unknown_category_is_named_and_the_allowed_ones_are_listed():
    error = only_error(parse(csv_bytes([row(categories="neglect;wizardry")])))
    assert (error.row_number, error.column, error.value_shown) == (2, "categories", "neglect;wizardry")
    assert "Unknown category 'wizardry'" in error.message
    for allowed in ConcernCategory.values:
        assert allowed in error.message


def test_cross_field_rules_are_checked_per_row():
    parsed = parse(
        csv_bytes(
            [
                row(consent_status="refused", consent_note=""),
                row(consent_status="sought", lawful_basis="gdpr_6_1_a"),
                row(child_seen="yes", seen_alone=""),
            ]
        )
    )
    assert [(e.row_number, e.column) for e in parsed.errors] == [
        (2, "consent_note"),
        (3, "lawful_basis"),
        (4, "seen_alone"),
    ]


def test_personal_details_are_never_repeated_in_errors():
    parsed = parse(csv_bytes([row(subject_nhs_number="99912345", subject_given_name="")]))
    shown = {e.column: e.value_shown for e in parsed.errors}
    assert shown["subject_nhs_number"] == "(not shown)"
    assert "99912345" not in " ".join(e.message for e in parsed.errors)


def test_a_row_with_the_wrong_number_of_cells_is_an_error():
    data = csv_bytes([row()]) + b"too,few,cells\n"
    error = only_error(parse(data))
    assert error.row_number == 3
    assert "3 cells" in error.message


def test_blank_lines_are_skipped():
    parsed = parse(csv_bytes([row()]) + b"\n,,,,,,,,,,,,,,,,\n")
    assert parsed.errors == []
    assert len(parsed.rows) == 1


def test_more_rows_than_the_limit_is_an_error(monkeypatch):
    monkeypatch.setattr(intake, "MAX_ROWS", 3)
    parsed = parse(csv_bytes([row()] * 4))
    assert "more than 3 referrals" in parsed.errors[-1].message


def test_a_file_over_the_size_limit_is_refused_before_reading():
    data = csv_bytes([row()] * 5)
    parsed = intake.parse_referral_csv(io.BytesIO(data), districts=DISTRICTS, max_bytes=len(data) - 1)
    assert "larger than" in only_error(parsed).message


def test_the_error_report_is_formula_safe():
    parsed = parse(csv_bytes([row(source='=HYPERLINK("http://evil.example","Click me")')]))
    report = list(csv.reader(io.StringIO(intake.error_report_csv(parsed.errors))))
    assert report[0] == intake.REPORT_HEADER
    assert report[1][:3] == ["2", "source", '\'=HYPERLINK("http://evil.example","Click me")']
