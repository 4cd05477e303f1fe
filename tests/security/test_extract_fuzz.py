"""Hypothesis against the partner-extract import of the linkage app (`safehub.linkage.services.
extract_check`, behind `safehub linkage import`, the extracts page and `POST /api/v1/linkage/extracts/`).

An extract is checked row by row: good rows are kept (nothing is linked until someone accepts), bad
rows are reported by row number, field and reason; a file that cannot be read as a whole (no
required column, not CSV) is refused with a `ValidationError`, and then nothing is saved.

Each example starts from a few real rows of Splink's fake_1000 (synthetic people; read in place from
shared/data) with a postcode column added, and changes them as test_open_data_fuzz.py describes
(`fuzzed_csv`): names empty or too long, dates of birth in other formats, impossible or in the
future, long fields, NUL and undecodable bytes, columns dropped, added, duplicated and padded,
rows cut short or given an extra cell, blank lines, CR or CRLF, byte order marks, stray quotes.
Then:
- no exception but `ValidationError`; a refusal saves nothing (extract, record or audit event);
- a file whose changes are all `ok` or row-level is checked, not refused;
- every problem names a changed row and a known field; a `bad` row is never kept;
- an untouched row is kept, under its own row number, with its own name;
- total rows = kept rows + rows with problems, and every kept value fits its column.
"""

from __future__ import annotations

import csv
from functools import cache

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import event, given, settings
from hypothesis import strategies as st

from safehub.linkage import rules, services
from safehub.linkage.datasets import shared_data
from safehub.linkage.models import ExtractRecord
from tests.security.test_importers_fuzz import FUZZ
from tests.security.test_open_data_fuzz import (
    BAD,
    OK,
    Fuzzed,
    _cells,
    assert_fits_columns,
    counts,
    fuzzed_csv,
)

pytestmark = pytest.mark.django_db

EXTRACT_FUZZ = settings(FUZZ, max_examples=100)
FAKE_1000 = shared_data() / "splink-datasets" / "fake_1000.csv"
needs_shared_data = pytest.mark.skipif(
    not FAKE_1000.exists(), reason=f"{FAKE_1000} is absent (set SAFEHUB_SHARED_DATA)"
)
TABLES = ("linkage.PartnerExtract", "linkage.ExtractRecord", "core.AuditEvent")
FIELDS = {"row", *rules.EXTRACT_COLUMNS, *rules.OPTIONAL_COLUMNS}


@cache
def fake_sample() -> tuple[list[str], list[list[str]]]:
    """The real header (unique_id, first_name, surname, dob, city, email, cluster) plus a postcode
    column, and every 50th row with a name and date of birth."""
    with FAKE_1000.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        wanted = [header.index(name) for name in rules.EXTRACT_COLUMNS]
        complete = [row for row in reader if all(row[i] for i in wanted)]
    postcodes = ["LS1 4AP", "", "BD7 1AA", "ls61ab"]
    rows = [[*row, postcodes[n % len(postcodes)]] for n, row in enumerate(complete[::50][:12])]
    return [*header, "postcode"], rows


NAME = _cells(ok=["Robert", " Rob ", "O'Brien", "Zo\u00eb", "n" * 100], bad=["", " ", "n" * 101, "Ro\x00b"])
EXTRACT_CELLS = {
    "first_name": NAME,
    "surname": NAME,
    "dob": _cells(
        ok=["1971-06-24", "24/06/1971", "24-06-1971", "24.06.1971", "19710624", " 1971-06-24 "],
        bad=[
            "",
            "1971-06-24T00:00",
            "24 June 1971",
            "31/02/1971",
            "06/24/1971",
            "2999-01-01",
            "1850-01-01",
        ],
        maybe=["\u0661\u0669\u0667\u0661-06-24"],  # Arabic-Indic digits: read as 1971-06-24
    ),
    "city": _cells(ok=["London", "c" * 80, ""], bad=["c" * 81]),
    "email": _cells(ok=["a@example.org", "", "e" * 200], bad=["e" * 201]),
    "postcode": _cells(ok=["LS1 4AP", "ls14ap", "", "  LS1   4AP "], bad=["p" * 11, "ABCDEFGHIJ"]),
    "unique_id": _cells(ok=["", "u" * 500, "=1+1"], bad=[]),
    "cluster": _cells(ok=["", "-1", "x"], bad=[]),
}


@st.composite
def extract_files(draw) -> Fuzzed:
    header, rows = fake_sample()
    return draw(
        fuzzed_csv(
            header=header,
            base_rows=rows,
            cells=EXTRACT_CELLS,
            required=rules.EXTRACT_COLUMNS,
            gzip_allowed=False,
        )
    )


def _check(mash, district, made: Fuzzed):
    return services.extract_check(
        actor=mash,
        district=district,
        partner_name="Leeds health",
        partner_kind="health",
        filename="extract.csv",
        content=made.data,
    )


@needs_shared_data
@EXTRACT_FUZZ
@given(made=extract_files())
def test_mangled_extracts_keep_good_rows_report_bad_ones_or_are_refused_whole(mash, districts, made):
    with transaction.atomic():
        before = counts(TABLES)
        try:
            extract = _check(mash, districts["leeds"], made)
        except ValidationError as refused:
            event("refused")
            assert made.verdict != OK, f"a good file was refused: {refused.messages} {made.changes}"
            assert refused.messages and all(m.strip() for m in refused.messages)
            assert counts(TABLES) == before, "a refused extract saved something"
        else:
            event("checked")
            _check_report(made, extract, before)
        transaction.set_rollback(True)


def _check_report(made: Fuzzed, extract, before) -> None:
    assert made.file_verdict != BAD, f"a bad file was checked: {extract.problems} {made.changes}"
    kept = list(ExtractRecord.objects.filter(extract=extract))
    after = counts(TABLES)
    assert after["linkage.PartnerExtract"] == before["linkage.PartnerExtract"] + 1
    assert (
        after["linkage.ExtractRecord"]
        == before["linkage.ExtractRecord"] + len(kept)
        == (before["linkage.ExtractRecord"] + extract.good_rows)
    )
    assert after["core.AuditEvent"] == before["core.AuditEvent"] + 1
    assert_fits_columns([extract, *kept])
    problem_rows = {p["row"] for p in extract.problems}
    for problem in extract.problems:
        assert problem["field"] in FIELDS and problem["problem"].strip(), problem
    assert extract.total_rows == extract.good_rows + len(problem_rows), (extract.problems, made.changes)
    kept_rows = {record.row_number: record for record in kept}
    assert not problem_rows & set(kept_rows), "a row is both kept and reported"
    if made.any_line:
        return  # a stray quote: which rows a reader sees is anyone's guess, as long as it is clean
    changed = {n for n, verdict in enumerate(made.verdicts, start=1) if verdict != OK}
    assert problem_rows <= changed, f"problems for unchanged rows: {extract.problems} {made.changes}"
    bad = {n for n, verdict in enumerate(made.verdicts, start=1) if verdict == BAD}
    assert not bad & set(kept_rows), f"bad rows kept: {sorted(bad & set(kept_rows))} {made.changes}"
    if made.exact and made.file_verdict == OK:
        assert extract.total_rows == len(made.rows), made.changes
        first_name = [name.strip() for name in made.header].index("first_name")
        for number, (row, verdict) in enumerate(zip(made.rows, made.verdicts, strict=True), start=1):
            if verdict == OK:
                assert number in kept_rows, f"good row {number} not kept: {extract.problems} {made.changes}"
                assert kept_rows[number].first_name == row[first_name].strip()


# --- regressions the fuzzing found ---------------------------------------------------------------


def _extract(mash, districts, content: bytes):
    return services.extract_check(
        actor=mash,
        district=districts["leeds"],
        partner_name="Leeds health",
        partner_kind="health",
        filename="extract.csv",
        content=content,
    )


def _kept(extract) -> dict[int, str]:
    return dict(extract.records.values_list("row_number", "first_name"))


def test_a_value_too_long_to_read_refuses_the_extract_naming_the_row(mash, districts):
    content = b"first_name,surname,dob\nAnn,Good,2001-02-03\nBen," + b"x" * 140_000 + b",2001-02-03\n"
    with pytest.raises(ValidationError) as refused:  # was a csv.Error
        _extract(mash, districts, content)
    assert refused.value.message_dict["file"][0].startswith("Row 2 cannot be read as CSV")
    assert not ExtractRecord.objects.exists()


@pytest.mark.parametrize(
    "before",
    [b"\n\n", b'Cat,"Two\nlines",2001-02-03\n'],
    ids=["blank lines", "a quoted line break"],
)
def test_an_unreadable_row_is_reported_by_its_own_number_after_blank_lines_or_line_breaks(
    mash, districts, before
):
    # Undecodable lines were numbered by physical line, rows by the csv reader: the wrong row was
    # dropped (reported as unreadable) and the unreadable one checked as a row of its own.
    content = (
        b"first_name,surname,dob\nAnn,Good,2001-02-03\n"
        + before
        + b"Bad\xff,Text,2001-02-03\nDan,Fine,2001-02-03\n"
    )
    extract = _extract(mash, districts, content)
    unreadable = 3 if before.startswith(b"Cat") else 2
    assert [(p["row"], p["field"]) for p in extract.problems] == [(unreadable, "row")]
    assert _kept(extract)[unreadable + 1] == "Dan"
    assert extract.total_rows == extract.good_rows + 1


def test_a_stray_quote_refuses_the_extract_instead_of_swallowing_the_rows_after_it(mash, districts):
    content = b'first_name,surname,dob,city\nAnn,Good,2001-02-03,"Leeds\nBen,Lost,2001-02-03,York\n'
    with pytest.raises(ValidationError) as refused:  # was checked: one row kept, Ben's row in a city
        _extract(mash, districts, content)
    assert "unexpected end of data" in refused.value.message_dict["file"][0]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (b"Ro\x00b,Nul,2001-02-03,LS1 4AP", "row"),  # PostgreSQL refused the NUL
        (b"Rob,Long,2001-02-03,ABCDEFGHIJ", "postcode"),  # stored as "ABCDEFG HIJ": 11 characters
    ],
)
def test_values_no_database_column_can_hold_are_reported_not_kept(mash, districts, row, field):
    extract = _extract(
        mash, districts, b"first_name,surname,dob,postcode\nAnn,Good,2001-02-03,LS1 4AP\n" + row + b"\n"
    )
    assert [(p["row"], p["field"]) for p in extract.problems] == [(2, field)]
    assert list(_kept(extract)) == [1]
