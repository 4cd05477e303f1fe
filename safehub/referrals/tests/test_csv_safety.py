"""Formula injection: every cell that a spreadsheet would run as a formula is quoted."""

import csv
import io

import pytest

from safehub.core.csv_safety import safe_cell, write_csv


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ('=HYPERLINK("http://evil.example","Click")', '\'=HYPERLINK("http://evil.example","Click")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("-3", "'-3"),  # strict: plain negative numbers are quoted too (documented)
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
    ],
)
def test_hostile_cells_are_quoted(hostile, expected):
    assert safe_cell(hostile) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Amelia", "Amelia"), ("a=b", "a=b"), ("", ""), (None, ""), (42, "42"), ("Row 3 - bad", "Row 3 - bad")],
)
def test_ordinary_cells_are_unchanged(value, expected):
    assert safe_cell(value) == expected


def test_write_csv_quotes_every_cell_including_the_header():
    stream = io.StringIO()
    count = write_csv([["=1+1", "ok"], ["@x", "-y"]], ["=head", "plain"], stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert count == 2
    assert rows == [["'=head", "plain"], ["'=1+1", "ok"], ["'@x", "'-y"]]
