"""Hypothesis against the open-data importers (`safehub import policeuk|homeoffice`,
`safehub.analytics.importers`): a mangled file is imported or refused with `ImportRefused` naming the
line and the problem, never another exception, and never half-saved.

Each example starts from a few real rows (police.uk West Yorkshire July 2017, the Home Office
recorded-crime table 2017/18; read in place from shared/data) and changes some of: cells (months and
years in other formats or in the future, unknown and malformed LSOA, force and offence codes, huge,
negative and non-numeric counts, very long and NUL-holding values), columns (dropped, added,
duplicated, padded names), rows (cut short, given an extra cell, a stray quote), blank lines, CR or
CRLF line ends, byte order marks, undecodable bytes, gzip (whole or truncated).

Every change carries a verdict: `ok` (a reader must take it in its stride), `bad` (the file must be
refused) or `maybe` (either, as long as it is clean). Then, for each file:
- a file with only `ok` changes is imported, every row counted;
- a file with a `bad` change is refused, and nothing changes in the analytics tables;
- a refusal's row problems name lines that were changed (never an innocent line);
- an accepted file's stored counts add up to what the importer reports (and, where the rows are
  known exactly, to the rows and offences in the file), and every stored value fits its column
  (what SQLite keeps, PostgreSQL must accept too).

The file builder (`fuzzed_csv`) is shared with test_extract_fuzz.py (partner extracts).
Derandomized, like test_importers_fuzz.py: the same examples every run.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models, transaction
from hypothesis import event, given, settings
from hypothesis import strategies as st

from safehub.analytics import importers
from safehub.analytics.models import DataImport, MonthlyCount
from safehub.analytics.tests.conftest import (
    HEADER,
    LOOKUP,
    five_districts,  # noqa: F401 - a fixture
    street_row,
    write_street,
)
from tests.security.test_importers_fuzz import FUZZ

pytestmark = pytest.mark.django_db

OPEN_DATA_FUZZ = settings(FUZZ, max_examples=100)
OK, MAYBE, BAD = "ok", "maybe", "bad"
RANK = {OK: 0, MAYBE: 1, BAD: 2}
# Longer than the csv module reads (131,072 characters): a cell no reader of ours can take.
HUGE_CELL = "y" * 140_000
# The physical line breaks a reader sees (newline=""): CRLF, CR or LF.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def worse(a: str, b: str) -> str:
    return a if RANK[a] >= RANK[b] else b


def no_nul(value: str, verdict: str) -> tuple[str, str]:
    """A NUL character is refused wherever it is (PostgreSQL cannot store one)."""
    return value, BAD if "\x00" in value else verdict


def any_cell(verdict_for_text: str) -> st.SearchStrategy[tuple[str, str]]:
    """Values any column may be given: random text (with `verdict_for_text`), or nasty fixed ones."""
    return st.one_of(
        st.text(max_size=20).map(lambda text: no_nul(text, verdict_for_text)),
        st.sampled_from(
            [
                ("", verdict_for_text),
                ('=HYPERLINK("http://example.com")', verdict_for_text),
                ('quote "inside"', verdict_for_text),
                ("line\nbreak", verdict_for_text),
                ("a,b", verdict_for_text),
                ("\u202e\u00e9\u4e2d", verdict_for_text),
                ("nul\x00byte", BAD),
                (HUGE_CELL, BAD),
            ]
        ),
    )


@dataclass
class Fuzzed:
    """A generated CSV file and what a correct importer must make of it."""

    data: bytes
    header: list[str]
    rows: list[list[str]]  # data rows as written, blank lines not counted
    lines: list[tuple[int, int]] = field(default_factory=list)  # first and last physical line of each row
    verdicts: list[str] = field(default_factory=list)  # the worst change to each row
    file_verdict: str = OK  # the worst change to the file as a whole
    exact: bool = True  # header and row shapes untouched: `rows` is what a reader must see
    changes: list[str] = field(default_factory=list)
    any_line: bool = False  # a change that may make any line the first a reader cannot read

    @property
    def verdict(self) -> str:
        worst = self.file_verdict
        for verdict in self.verdicts:
            worst = worse(worst, verdict)
        return worst

    def changed_lines(self) -> set[int]:
        """Lines a refusal may name: those of rows changed in a way that may be refused."""
        return {
            line
            for (first, last), verdict in zip(self.lines, self.verdicts, strict=True)
            if verdict != OK
            for line in range(first, last + 1)
        }


def _serialise(header, rows, terminator, blanks_before) -> tuple[str, list[tuple[int, int]]]:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(header)
    text = out.getvalue()[:-2] + terminator
    lines = []
    for index, row in enumerate(rows):
        text += terminator * blanks_before.get(index, 0)
        first = len(LINE_BREAK.findall(text)) + 1
        out = io.StringIO()
        # Written with CRLF, so a cell holding either CR or LF is quoted, whatever the terminator.
        csv.writer(out, lineterminator="\r\n").writerow(row)
        record = out.getvalue()[:-2] + terminator
        last = first + len(LINE_BREAK.findall(record[: -len(terminator)]))
        text += record
        lines.append((first, last))
    return text, lines


@st.composite
def fuzzed_csv(
    draw,
    *,
    header: list[str],
    base_rows: list[list[str]],
    cells: dict[str, st.SearchStrategy[tuple[str, str]]],
    required: tuple[str, ...],
    extra_cell: str = BAD,
    max_rows: int = 5,
    keep_first: bool = False,
    gzip_allowed: bool = True,
) -> Fuzzed:
    """A file of 1-`max_rows` real rows, then some of the changes the module docstring lists."""
    header = list(header)
    picks = draw(st.lists(st.integers(0, len(base_rows) - 1), min_size=1, max_size=max_rows))
    if keep_first:
        picks[0] = 0  # a row the file must have to be importable at all (the force's, for instance)
    rows = [list(base_rows[i]) for i in picks]
    made = Fuzzed(data=b"", header=header, rows=rows, verdicts=[OK] * len(rows))

    def mark_all(verdict: str) -> None:
        made.verdicts = [worse(v, verdict) for v in made.verdicts]

    # Columns.
    if draw(st.integers(0, 5)) == 0:
        column = draw(st.integers(0, len(header) - 1))
        name = header.pop(column)
        for row in rows:
            row.pop(column)
        made.exact = False
        if name in required:
            made.file_verdict = BAD
        made.changes.append(f"column {name!r} dropped")
    if draw(st.integers(0, 5)) == 0:
        header.append(draw(st.sampled_from(["Extra", "", "Notes (free text)"])))
        for row in rows:
            row.append(draw(st.sampled_from(["x", "", "1"])))
        made.exact = False
        made.changes.append("column added")
    if draw(st.integers(0, 6)) == 0 and len(header) > 1:
        target, source = draw(st.lists(st.integers(0, len(header) - 1), min_size=2, max_size=2, unique=True))
        made.changes.append(f"header {header[target]!r} renamed to a duplicate of {header[source]!r}")
        header[target] = header[source]
        made.exact = False
        made.file_verdict = worse(made.file_verdict, MAYBE)
        mark_all(MAYBE)
    if draw(st.integers(0, 5)) == 0:
        column = draw(st.integers(0, len(header) - 1))
        header[column] = draw(st.sampled_from([" ", "  ", "\t"])) + header[column] + " "
        made.changes.append(f"header {header[column]!r} padded")
    # Rows.
    if draw(st.integers(0, 4)) == 0:
        index = draw(st.integers(0, len(rows) - 1))
        cut = draw(st.integers(1, len(rows[index]) - 1))
        del rows[index][-cut:]
        made.verdicts[index] = worse(made.verdicts[index], MAYBE)
        made.exact = False
        made.changes.append(f"row {index + 1} cut by {cut} cells")
    if draw(st.integers(0, 4)) == 0:
        index = draw(st.integers(0, len(rows) - 1))
        rows[index].append("extra")
        longer = len(rows[index]) > len(header)  # not when it only makes up for a cut
        made.verdicts[index] = worse(made.verdicts[index], extra_cell if longer else MAYBE)
        made.exact = False
        made.changes.append(f"row {index + 1} given an extra cell")
    # Cells (after the columns and rows changed: a changed cell stays in the file).
    cell_verdicts: dict[tuple[int, int], str] = {}  # the last value written to a cell counts
    for _ in range(draw(st.integers(0, 4))):
        index = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, min(len(header), len(rows[index])) - 1))
        name = header[column].strip()
        if name in cells and draw(st.booleans()):
            value, verdict = draw(cells[name])
            if [n.strip() for n in header].count(name) > 1 and verdict == BAD:
                verdict = MAYBE  # the column may be the one a reader ignores
        else:
            value, verdict = draw(any_cell(MAYBE if name in required else OK))
        rows[index][column] = value
        cell_verdicts[(index, column)] = verdict
        made.changes.append(f"row {index + 1} {name}={value[:40]!r} ({verdict})")
    for (index, _column), verdict in cell_verdicts.items():
        made.verdicts[index] = worse(made.verdicts[index], verdict)
    # The text.
    terminator = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    blanks = draw(st.dictionaries(st.integers(0, len(rows) - 1), st.integers(1, 2), max_size=2))
    if blanks:
        made.changes.append(f"blank lines before rows {sorted(blanks)}")
    text, made.lines = _serialise(header, rows, terminator, blanks)
    if draw(st.integers(0, 6)) == 0:
        # A stray quote opening a cell: the rest of the file may read as one cell.
        starts = [m.end() for m in re.finditer(r"(?:^|,)", text, flags=re.M)][1:]
        if starts:
            at = draw(st.sampled_from(starts))
            text = text[:at] + '"' + text[at:]
            made.exact = False
            made.file_verdict = worse(made.file_verdict, MAYBE if text.count('"') > 1 else BAD)
            made.any_line = True
            made.changes.append(f"stray quote at character {at}")
    boms = draw(st.sampled_from([0, 0, 0, 1, 2]))
    if boms:
        made.changes.append(f"{boms} byte order mark(s)")
        if boms > 1:
            made.file_verdict = worse(made.file_verdict, MAYBE)  # the first column's name changes
    data = "\ufeff".encode() * boms + text.encode("utf-8")
    if draw(st.integers(0, 6)) == 0:
        # Bytes that are not UTF-8, inside one row.
        index = draw(st.integers(0, len(rows) - 1))
        line = made.lines[index][0]
        parts = re.split(rb"(\r\n|\r|\n)", data)
        position = 2 * (line - 1)
        parts[position] = parts[position] + draw(st.sampled_from([b"\xff\xfe", b"\xc3", b"\x9c\x80"]))
        data = b"".join(parts)
        made.verdicts[index] = BAD
        made.changes.append(f"undecodable bytes on line {line}")
    if gzip_allowed and draw(st.integers(0, 4)) == 0:
        data = gzip.compress(data, mtime=0)
        made.changes.append("gzip")
        if draw(st.integers(0, 2)) == 0:
            data = data[: draw(st.integers(2, len(data) - 1))]
            made.file_verdict = BAD
            made.changes.append("gzip truncated")
    made.data = data
    made.header = header
    return made


def counts(labels: tuple[str, ...]) -> dict[str, int]:
    return {label: apps.get_model(label)._base_manager.count() for label in labels}


def assert_fits_columns(objects) -> None:
    """Every text value fits its column and holds no NUL: PostgreSQL would refuse it otherwise."""
    for obj in objects:
        for model_field in obj._meta.concrete_fields:
            value = getattr(obj, model_field.attname)
            if isinstance(value, str):
                assert "\x00" not in value, (model_field.name, value[:60])
                if isinstance(model_field, models.CharField) and model_field.max_length:
                    assert len(value) <= model_field.max_length, (model_field.name, len(value))


LINE_PROBLEM = re.compile(r"^line (\d+): \S")
TABLES = ("analytics.DataImport", "analytics.MonthlyCount", "analytics.DistrictPopulation")


def check_refusal(made: Fuzzed, refused: importers.ImportRefused, before: dict[str, int]) -> None:
    assert refused.problems and all(isinstance(p, str) and p.strip() for p in refused.problems)
    assert counts(TABLES) == before, "a refused file saved something"
    named = {int(m[1]) for p in refused.problems if (m := LINE_PROBLEM.match(p))}
    if not made.any_line:
        unchanged = sorted(named - made.changed_lines())
        assert not unchanged, f"names unchanged line(s) {unchanged}: {refused.problems} {made.changes}"


def run_import(made: Fuzzed, do_import):
    """Import `made` and check the outcome against its verdict. Returns the result or None."""
    before = counts(TABLES)
    try:
        result = do_import()
    except importers.ImportRefused as refused:
        event("refused")
        assert made.verdict != OK, f"a good file was refused: {refused.problems} {made.changes}"
        check_refusal(made, refused, before)
        return None
    event("imported")
    assert made.verdict != BAD, f"a bad file was imported: {result} {made.changes}"
    assert not result.already_imported
    record = DataImport.objects.get(file_name=result.file_name)
    stored = list(MonthlyCount.objects.filter(data_import=record))
    assert counts(TABLES)["analytics.DataImport"] == before["analytics.DataImport"] + 1
    assert_fits_columns([record, *stored])
    return result, record, stored


def _write(tmp_path: Path, made: Fuzzed, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(made.data)
    return path


# --- police.uk street-level crime -----------------------------------------------------------------

STREET = (
    importers.shared_data_dir() / "policeuk-west-yorkshire-street" / "2017-07-west-yorkshire-street.csv.gz"
)
HOMEOFFICE = importers.shared_data_dir() / "homeoffice-prc-pfa-2017-18" / "prc-pfa-201718_new.csv.gz"
needs_shared_data = pytest.mark.skipif(
    not (STREET.exists() and HOMEOFFICE.exists() and importers.default_lookup_path().exists()),
    reason=f"shared/data is not at {importers.shared_data_dir()} (set SAFEHUB_SHARED_DATA)",
)


@cache
def street_sample() -> tuple[list[str], list[list[str]]]:
    """The real header, every 4,000th row of July 2017 (one per district and Barnsley) and the
    first row police.uk could not locate."""
    with gzip.open(STREET, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows, unlocated = [], None
        for number, row in enumerate(reader):
            if number % 4000 == 0:
                rows.append(row)
            elif unlocated is None and not row[header.index("LSOA code")]:
                unlocated = row
    return header, [*rows, unlocated]


def _cells(ok: list[str], bad: list[str], maybe: list[str] = ()) -> st.SearchStrategy[tuple[str, str]]:
    return st.sampled_from([(v, OK) for v in ok] + [(v, BAD) for v in bad] + [(v, MAYBE) for v in maybe])


STREET_CELLS = {
    "Month": _cells(
        ok=["2017-07", " 2017-07 ", "2016-12"],
        bad=["2017/07", "07/2017", "July 2017", "2017-7", "2017-13", "", "1989-12", "2999-01", "9999-12"],
        maybe=["\u0662\u0660\u0661\u0667-\u0660\u0667"],  # Arabic-Indic digits
    ),
    "LSOA code": _cells(
        ok=["E01011358", "E01099999", "W01000001", "", " E01011043 "],
        bad=["E0101135", "e01011358", "LEEDS", "E01011358X", "E01 011358"],
    ),
    "Crime type": _cells(
        ok=["Burglary", "Other crime", "A new category \u26a0", "c" * 120],
        bad=["", "   ", "c" * 121, "Burg\x00lary"],
    ),
    "Falls within": _cells(ok=["Unknown Force", "", "Metropolitan Police Service", "f" * 300], bad=[]),
}


@pytest.fixture
def lookup(request):
    request.getfixturevalue("five_districts")
    return importers.load_lsoa_lookup()


@st.composite
def street_files(draw) -> Fuzzed:
    header, rows = street_sample()
    return draw(
        fuzzed_csv(
            header=header, base_rows=rows, cells=STREET_CELLS, required=importers.rules.POLICEUK_REQUIRED
        )
    )


@needs_shared_data
@OPEN_DATA_FUZZ
@given(made=street_files())
def test_mangled_policeuk_files_are_imported_whole_or_refused_naming_the_line(tmp_path, lookup, made):
    path = _write(tmp_path, made, "west-yorkshire-street.csv")
    with transaction.atomic():
        outcome = run_import(made, lambda: importers.import_policeuk(path, actor_label="fuzz", lookup=lookup))
        if outcome is not None:
            result, record, stored = outcome
            assert sum(cell.count for cell in stored) == result.rows_counted == result.rows_read
            assert sum(result.by_district.values()) == result.rows_counted
            assert record.rows_counted == result.rows_counted
            if made.exact:
                assert result.rows_read == len(made.rows), made.changes
        transaction.set_rollback(True)  # the next example starts from the same database


# --- Home Office recorded crime -------------------------------------------------------------------

FORCE = "West Yorkshire"


@cache
def homeoffice_sample() -> tuple[list[str], list[list[str]]]:
    """The real header; West Yorkshire rows of each quarter (with the safeguarding offence codes
    71 and 106) and two rows of other forces."""
    with gzip.open(HOMEOFFICE, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        force, code = header.index("Force_Name"), header.index("Offence_Code")
        rows, others = [], []
        for row in reader:
            if row[force] == FORCE and (row[code] in ("71", "106", "80", "8N") or len(rows) < 2):
                rows.append(row)
            elif row[force] != FORCE and len(others) < 2:
                others.append(row)
    return header, rows[:12] + others


HOMEOFFICE_CELLS = {
    "Financial_Year": _cells(
        ok=["2017/18", "2017-18", " 2017/18 ", "2016/17"],
        bad=["2017/19", "17/18", "2017", "", "FY2017/18", "2999/00", "9999/00"],
    ),
    "Financial_Quarter": _cells(ok=["1", "4", " 2 "], bad=["0", "5", "Q1", "", "1.0"], maybe=["\u0663"]),
    "Force_Name": _cells(ok=[], bad=[], maybe=["Unknown Force", "", "west yorkshire", FORCE]),
    "Offence_Group": _cells(ok=["Sexual offences", "g" * 120], bad=["", "g" * 121, "Sexual\x00offences"]),
    "Offence_Code": _cells(ok=["71", "106", "ZZZ", "", "8N"], bad=[]),
    "Offence_Description": _cells(ok=["d" * 300, "Modern slavery", ""], bad=["Modern\x00slavery"]),
    "Number_of_Offences": _cells(
        ok=["12", " 12 ", "1,234", "0", "2147483"],
        bad=["", "abc", "1.5", "9" * 12, "12e3", "2147483648"],
        maybe=["-5", "-2147483648", "2000000000", "\u0663"],
    ),
}


@st.composite
def homeoffice_files(draw) -> Fuzzed:
    header, rows = homeoffice_sample()
    return draw(
        fuzzed_csv(
            header=header,
            base_rows=rows,
            cells=HOMEOFFICE_CELLS,
            required=importers.rules.HOMEOFFICE_REQUIRED,
            keep_first=True,
        )
    )


def _expected_offences(made: Fuzzed) -> int:
    header = [name.strip() for name in made.header]
    force, number = header.index("Force_Name"), header.index("Number_of_Offences")
    return sum(int(row[number].strip().replace(",", "")) for row in made.rows if row[force].strip() == FORCE)


@needs_shared_data
@pytest.mark.usefixtures("five_districts")
@OPEN_DATA_FUZZ
@given(made=homeoffice_files())
def test_mangled_homeoffice_tables_are_imported_whole_or_refused_naming_the_line(tmp_path, made):
    path = _write(tmp_path, made, "prc-pfa.csv")
    with transaction.atomic():
        outcome = run_import(
            made, lambda: importers.import_homeoffice(path, actor_label="fuzz", force_name=FORCE)
        )
        if outcome is not None:
            result, record, stored = outcome
            groups = [cell for cell in stored if cell.series == importers.HOMEOFFICE_SERIES]
            assert sum(cell.count for cell in groups) == result.rows_counted == record.rows_counted
            if made.exact:
                assert result.rows_read == len(made.rows), made.changes
                assert result.rows_counted == _expected_offences(made), made.changes
        transaction.set_rollback(True)


# --- regressions the fuzzing found (each raised something other than ImportRefused, counted a
# file wrongly, or saved what PostgreSQL refuses) -------------------------------------------------

HO_HEADER = (
    ",Financial_Year,Financial_Quarter,Force_Name,Offence_Description,Offence_Group,Offence_Subgroup,"
    "Offence_Code,Number_of_Offences"
)


def _street(tmp_path, rows, **kwargs):
    return write_street(tmp_path, "street.csv", rows, **kwargs)


def _police(path):
    return importers.import_policeuk(path, actor_label="test", lookup=LOOKUP)


def _ho_row(count="12", group="Sexual offences", year="2017/18", quarter="1", extra=""):
    return f"1,{year},{quarter},{FORCE},Modern slavery,{group},x,106,{count}{extra}"


def _homeoffice(tmp_path, rows, header=HO_HEADER):
    path = tmp_path / "ho.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return importers.import_homeoffice(path, actor_label="test", force_name=FORCE)


def _refused(call) -> list[str]:
    with pytest.raises(importers.ImportRefused) as refused:
        call()
    assert not MonthlyCount.objects.exists() and not DataImport.objects.exists()
    return refused.value.problems


def test_policeuk_header_names_padded_with_spaces_are_read(tmp_path):
    padded = ", ".join(HEADER.split(","))  # "Crime ID, Month, ...": was a KeyError on "Month"
    assert _police(_street(tmp_path, [street_row()], header=padded)).rows_counted == 1


def test_policeuk_extra_cell_on_the_first_row_is_refused_naming_the_line(tmp_path):
    # Was an AttributeError: the header was taken from the first row's keys, None among them.
    problems = _refused(lambda: _police(_street(tmp_path, [street_row() + ",extra"])))
    assert problems[1] == "line 2: more cells than columns"


def test_policeuk_truncated_gzip_is_refused(tmp_path):
    path = tmp_path / "street.csv.gz"
    path.write_bytes(gzip.compress(b"Month,Falls within,LSOA code,Crime type\n2017-07,x,,Burglary\n")[:-6])
    problems = _refused(lambda: _police(path))  # was an EOFError
    assert "not a complete gzip file" in problems[0]


def test_policeuk_cr_line_ends_are_read(tmp_path):
    path = tmp_path / "street.csv"
    path.write_bytes("\r".join([HEADER, street_row(), street_row()]).encode() + b"\r")
    assert _police(path).rows_counted == 2  # was a csv.Error


def test_policeuk_cell_too_long_to_read_is_refused_naming_the_line(tmp_path):
    rows = [street_row(), street_row(crime_id="x" * 140_000)]
    problems = _refused(lambda: _police(_street(tmp_path, rows)))  # was a csv.Error
    assert problems[0].startswith("line 3: cannot be read as CSV (field larger than field limit")


def test_policeuk_stray_quote_refuses_the_file_instead_of_swallowing_the_rows_after_it(tmp_path):
    # The quote opened a cell that ran to the end of the file: one row counted out of three.
    rows = [street_row(), street_row() + '"unclosed', street_row()]
    problems = _refused(lambda: _police(_street(tmp_path, rows)))
    assert "unexpected end of data" in problems[0]


def test_policeuk_bad_row_after_blank_lines_is_named_by_its_own_line(tmp_path):
    rows = [street_row(), "", "", street_row(month="2017-13")]
    problems = _refused(lambda: _police(_street(tmp_path, rows)))
    assert problems[1].startswith("line 5: month '2017-13'")  # was "line 3"


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (dict(crime="c" * 121), "line 2: Crime type is longer than 120 characters"),  # PostgreSQL refused it
        (dict(crime="Burg\x00lary"), "line 2: holds a NUL character"),  # PostgreSQL refused it
        (dict(month="2999-01"), "line 2: month '2999-01' is in the future"),  # was counted
    ],
)
def test_policeuk_values_a_database_or_a_dashboard_cannot_hold_are_refused(tmp_path, row, problem):
    problems = _refused(lambda: _police(_street(tmp_path, [street_row(**row)])))
    assert any(p.startswith(problem) for p in problems), problems


def test_homeoffice_header_names_padded_with_spaces_are_read(tmp_path):
    padded = ", ".join(HO_HEADER.split(","))  # was a KeyError on "Financial_Year"
    assert _homeoffice(tmp_path, [_ho_row()], header=padded).rows_counted == 12


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ([_ho_row(count="9" * 12)], "line 2: Number_of_Offences 999999999999 is too large"),  # OverflowError
        ([_ho_row(count="2000000000"), _ho_row(count="2000000000")], "the offences add up to more than"),
        ([_ho_row(group="g" * 121)], "line 2: Offence_Group is longer than 120 characters"),  # PostgreSQL
        ([_ho_row(extra=",surplus")], "line 2: more cells than columns"),  # was read, cells shifted
        ([_ho_row(count="abc")], "line 2: Number_of_Offences 'abc' is not a whole number"),
        ([_ho_row(year="2999/00")], "line 2: '2999/00' quarter 2999-04 is in the future"),  # was counted
    ],
)
def test_homeoffice_rows_a_database_or_a_dashboard_cannot_hold_are_refused(tmp_path, rows, problem):
    problems = _refused(lambda: _homeoffice(tmp_path, rows))
    assert any(p.startswith(problem) for p in problems), problems
