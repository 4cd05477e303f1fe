"""Open-data imports into the analytics store: police.uk street-level crime, Home Office recorded
crime, the ONS LSOA lookup and 2011 Census population.

Each file is validated whole before anything is written, then written in one transaction: a file
with missing or renamed columns, or any malformed row, is refused with every problem listed, and
nothing of it is saved. A second import of the same bytes changes nothing (`DataImport` holds the
file's SHA-256); a different file for a month (or financial year) already imported replaces that
month's counts, so nothing is ever counted twice.

LSOAs map to districts through the ONS lookup (LSOA → local authority code → `District.ons_code`).
Rows whose LSOA is outside the lookup or outside the five districts count under "unknown district"
and are reported; rows police.uk could not locate ("No location") count there too, separately.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
import re
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safehub.analytics import rules
from safehub.analytics.models import (
    UNKNOWN_DISTRICT,
    DataImport,
    DistrictPopulation,
    MonthlyCount,
    PopulationGroup,
    Source,
)
from safehub.core.models import District

Progress = Callable[[str, int, int], None]
MAX_REPORTED = 20
# The most a count may be: MonthlyCount.count is a PositiveIntegerField on every database.
MAX_COUNT = 2_147_483_647
# MonthlyCount.category's length.
MAX_CATEGORY = 120
POLICEUK_SERIES = "policeuk.street"
HOMEOFFICE_SERIES = "homeoffice.recorded_crime"
HOMEOFFICE_OFFENCE_SERIES = "homeoffice.safeguarding_offences"
# Home Office offence codes the safeguarding reports quote (modern slavery, child sexual exploitation,
# exploitation of prostitution, trafficking for sexual exploitation).
SAFEGUARDING_OFFENCE_CODES = {"106", "71", "72", "24"}


def shared_data_dir() -> Path:
    """shared/data beside the checkout (read in place, never copied); SAFEHUB_SHARED_DATA overrides."""
    default = Path(settings.BASE_DIR).parent / "shared" / "data"
    return Path(os.environ.get("SAFEHUB_SHARED_DATA", str(default)))


def default_lookup_path() -> Path:
    return shared_data_dir() / "ons-lsoa2011-lookup-census2011-population" / "PoliceforceLSOA.csv.gz"


def default_census_path() -> Path:
    return (
        shared_data_dir() / "ons-lsoa2011-lookup-census2011-population" / "census_2011_population_hh.csv.gz"
    )


class ImportRefused(Exception):
    """The file was refused: nothing of it was saved. `problems` lists what is wrong."""

    def __init__(self, file_name: str, problems: list[str]):
        self.file_name = file_name
        self.problems = problems
        super().__init__(f"{file_name}: " + "; ".join(problems))


@dataclass
class ImportResult:
    file_name: str
    already_imported: bool = False
    replaced: bool = False
    rows_read: int = 0
    rows_counted: int = 0
    periods: list[str] = field(default_factory=list)
    by_district: dict[str, int] = field(default_factory=dict)
    rows_unknown_district: int = 0
    rows_no_location: int = 0
    unknown_lsoas: list[str] = field(default_factory=list)


def _read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ImportRefused(str(path), [f"cannot read the file ({exc.strerror})"]) from exc


def _text(path: Path, raw: bytes) -> str:
    try:
        data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    except (OSError, EOFError, zlib.error) as exc:
        raise ImportRefused(path.name, [f"the file is not a complete gzip file ({exc})"]) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = len(re.findall(rb"\r\n|\r|\n", data[: exc.start])) + 1
        raise ImportRefused(
            path.name, [f"the file is not UTF-8 text (line {line}, byte {exc.start})"]
        ) from exc
    if "\x00" in text:
        line = len(re.findall(r"\r\n|\r|\n", text[: text.index("\x00")])) + 1
        raise ImportRefused(path.name, [f"line {line}: holds a NUL character; is this a CSV text file?"])
    return text


def _csv_rows(name: str, text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header (names stripped) and every row with the line it ends on. Quoting is strict: a
    stray quote or a cell too long to read refuses the file, naming the line."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [(column or "").strip() for column in reader.fieldnames or []]
        reader.fieldnames = header
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        # The csv reader's own count: the line it stopped on (DictReader's is the last good row's).
        raise ImportRefused(name, [f"line {reader.reader.line_num}: cannot be read as CSV ({exc})"]) from exc
    return header, rows


def _check_columns(name: str, header: Sequence[str] | None, required: tuple[str, ...]) -> None:
    header = [column.strip() for column in header or []]
    missing = [column for column in required if column not in header]
    if missing:
        found = ", ".join(header) if header else "no header row"
        raise ImportRefused(
            name, [f"missing column(s) {', '.join(missing)} (found: {found}); was a column renamed?"]
        )


# --- the LSOA lookup ---------------------------------------------------------------------------


def load_lsoa_lookup(path: Path | None = None) -> dict[str, str]:
    """LSOA code → district code for LSOAs in a district Safehub knows (by its ONS code)."""
    path = Path(path) if path else default_lookup_path()
    if not path.exists():
        raise ImportRefused(
            str(path), ["the ONS LSOA lookup is not there: pass --lookup FILE (PoliceforceLSOA.csv)"]
        )
    by_ons = dict(District.objects.exclude(ons_code="").values_list("ons_code", "code"))
    reader = csv.DictReader(io.StringIO(_text(path, _read_bytes(path))))
    _check_columns(path.name, reader.fieldnames, ("LSOA Code", "Local authority code"))
    lookup = {}
    for row in reader:
        district = by_ons.get((row["Local authority code"] or "").strip())
        if district:
            lookup[row["LSOA Code"].strip()] = district
    return lookup


# --- police.uk ---------------------------------------------------------------------------------


def _noop(stage: str, done: int, total: int) -> None:
    return None


def import_policeuk(
    path: Path, *, actor_label: str, lookup: dict[str, str], progress: Progress = _noop
) -> ImportResult:
    """Import one police.uk street-level crime CSV (plain or gzip). All or none."""
    path = Path(path)
    raw = _read_bytes(path)
    digest = hashlib.sha256(raw).hexdigest()
    result = ImportResult(file_name=path.name)
    previous = DataImport.objects.filter(source=Source.POLICEUK, sha256=digest).first()
    if previous:
        result.already_imported = True
        result.periods = previous.periods
        result.rows_read = previous.rows_read
        return result
    header, rows = _csv_rows(path.name, _text(path, raw))
    _check_columns(path.name, header, rules.POLICEUK_REQUIRED)
    if not rows:
        raise ImportRefused(path.name, ["the file has a header but no rows"])
    cells: Counter[tuple[date, str, str]] = Counter()
    problems: list[str] = []
    unknown: Counter[str] = Counter()
    total = len(rows)
    this_month = timezone.localdate().replace(day=1)
    for done, (number, row) in enumerate(rows, start=1):  # number: the line the row ends on
        if None in row:
            problems.append(f"line {number}: more cells than columns")
            continue
        try:
            month = rules.parse_month(row["Month"])
        except ValueError as exc:
            problems.append(f"line {number}: {exc}")
            continue
        if month > this_month:
            problems.append(f"line {number}: month {row['Month']!r} is in the future")
            continue
        crime_type = (row["Crime type"] or "").strip()
        if not crime_type:
            problems.append(f"line {number}: Crime type is empty")
            continue
        if len(crime_type) > MAX_CATEGORY:
            problems.append(f"line {number}: Crime type is longer than {MAX_CATEGORY} characters")
            continue
        lsoa = (row["LSOA code"] or "").strip()
        if lsoa and not rules.LSOA_PATTERN.match(lsoa):
            problems.append(f"line {number}: LSOA code {lsoa!r} is not an LSOA code")
            continue
        if not lsoa:
            district = UNKNOWN_DISTRICT
            result.rows_no_location += 1
        else:
            district = lookup.get(lsoa, UNKNOWN_DISTRICT)
            if district == UNKNOWN_DISTRICT:
                unknown[lsoa] += 1
        cells[(month, district, crime_type)] += 1
        if done % 5000 == 0:
            progress("checked", done, total)
    if problems:
        shown = problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            shown.append(f"... and {len(problems) - MAX_REPORTED} more malformed rows")
        raise ImportRefused(path.name, [f"{len(problems)} malformed row(s), nothing imported", *shown])
    progress("checked", total, total)
    months = sorted({month for month, _, _ in cells})
    result.rows_read = total
    result.rows_counted = sum(cells.values())
    result.periods = [f"{m:%Y-%m}" for m in months]
    result.rows_unknown_district = sum(unknown.values()) + result.rows_no_location
    result.unknown_lsoas = sorted(unknown)
    by_district: Counter[str] = Counter()
    for (_, district, _), count in cells.items():
        by_district[district] += count
    result.by_district = dict(sorted(by_district.items()))
    with transaction.atomic():
        existing = MonthlyCount.objects.filter(series=POLICEUK_SERIES, month__in=months)
        result.replaced = existing.exists()
        existing.delete()
        record = DataImport.objects.create(
            source=Source.POLICEUK,
            file_name=path.name[:255],
            sha256=digest,
            periods=result.periods,
            rows_read=result.rows_read,
            rows_counted=result.rows_counted,
            rows_unknown_district=result.rows_unknown_district,
            rows_no_location=result.rows_no_location,
            unknown_lsoas=result.unknown_lsoas,
            replaced=result.replaced,
            imported_by=actor_label[:150],
        )
        MonthlyCount.objects.bulk_create(
            [
                MonthlyCount(
                    series=POLICEUK_SERIES,
                    month=month,
                    district=district,
                    category=category,
                    count=count,
                    data_import=record,
                )
                for (month, district, category), count in sorted(cells.items())
            ]
        )
    progress("saved", total, total)
    return result


# --- Home Office -------------------------------------------------------------------------------


def import_homeoffice(
    path: Path, *, actor_label: str, force_name: str, progress: Progress = _noop
) -> ImportResult:
    """Import the Home Office recorded-crime table (force × offence × quarter) for `force_name`.

    Counts go in force-wide (no district: the table has none), by offence group, at the first
    month of each financial quarter; the safeguarding offence codes also by offence.
    """
    path = Path(path)
    raw = _read_bytes(path)
    digest = hashlib.sha256(raw).hexdigest()
    result = ImportResult(file_name=path.name)
    previous = DataImport.objects.filter(source=Source.HOMEOFFICE, sha256=digest).first()
    if previous:
        result.already_imported = True
        result.periods = previous.periods
        result.rows_read = previous.rows_read
        return result
    header, rows = _csv_rows(path.name, _text(path, raw))
    _check_columns(path.name, header, rules.HOMEOFFICE_REQUIRED)
    today = timezone.localdate()
    groups: Counter[tuple[date, str]] = Counter()
    offences: Counter[tuple[date, str]] = Counter()
    problems: list[str] = []
    years: set[int] = set()
    forces: set[str] = set()
    rows_read = 0
    for number, row in rows:  # number: the line the row ends on
        rows_read += 1
        if None in row:
            problems.append(f"line {number}: more cells than columns")
            continue
        force = (row["Force_Name"] or "").strip()
        forces.add(force)
        try:
            year = rules.parse_financial_year(row["Financial_Year"])
            quarter = rules.quarter_start(year, _whole_number(row, "Financial_Quarter"))
            # Negative figures are real: the Home Office publishes reclassification adjustments.
            count = _whole_number(row, "Number_of_Offences")
        except (ValueError, OverflowError) as exc:
            problems.append(f"line {number}: {exc}")
            continue
        if quarter > today:
            problems.append(
                f"line {number}: {row['Financial_Year']!r} quarter {quarter:%Y-%m} is in the future"
            )
            continue
        if abs(count) > MAX_COUNT:
            problems.append(f"line {number}: Number_of_Offences {count} is too large")
            continue
        group = (row["Offence_Group"] or "").strip()
        if not group:
            problems.append(f"line {number}: Offence_Group is empty")
            continue
        if len(group) > MAX_CATEGORY:
            problems.append(f"line {number}: Offence_Group is longer than {MAX_CATEGORY} characters")
            continue
        if force != force_name:
            continue
        years.add(year)
        groups[(quarter, group)] += count
        code = (row["Offence_Code"] or "").strip()
        if code in SAFEGUARDING_OFFENCE_CODES:
            offences[(quarter, (row["Offence_Description"] or code).strip()[:120])] += count
        if rows_read % 5000 == 0:
            progress("checked", rows_read, 0)
    if problems:
        shown = problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            shown.append(f"... and {len(problems) - MAX_REPORTED} more malformed rows")
        raise ImportRefused(path.name, [f"{len(problems)} malformed row(s), nothing imported", *shown])
    negative = [f"{quarter:%Y-%m} {group}" for (quarter, group), n in {**groups, **offences}.items() if n < 0]
    if negative:
        raise ImportRefused(
            path.name, [f"the offences add up to less than zero for {', '.join(negative[:5])}"]
        )
    too_many = [
        f"{quarter:%Y-%m} {group}" for (quarter, group), n in {**groups, **offences}.items() if n > MAX_COUNT
    ]
    if too_many:
        raise ImportRefused(
            path.name, [f"the offences add up to more than {MAX_COUNT:,} for {', '.join(too_many[:5])}"]
        )
    if not groups:
        known = ", ".join(sorted(forces)[:10]) or "none"
        raise ImportRefused(
            path.name, [f"no rows for force {force_name!r} (forces in the file: {known} ...)"]
        )
    result.rows_read = rows_read
    result.rows_counted = sum(groups.values())
    result.periods = [rules.financial_year_label(year) for year in sorted(years)]
    quarters = sorted({quarter for quarter, _ in groups})
    with transaction.atomic():
        existing = MonthlyCount.objects.filter(
            series__in=(HOMEOFFICE_SERIES, HOMEOFFICE_OFFENCE_SERIES), month__in=quarters
        )
        result.replaced = existing.exists()
        existing.delete()
        record = DataImport.objects.create(
            source=Source.HOMEOFFICE,
            file_name=path.name[:255],
            sha256=digest,
            periods=result.periods,
            rows_read=rows_read,
            rows_counted=result.rows_counted,
            replaced=result.replaced,
            imported_by=actor_label[:150],
        )
        MonthlyCount.objects.bulk_create(
            [
                MonthlyCount(series=series, month=month, category=category, count=count, data_import=record)
                for series, cells in ((HOMEOFFICE_SERIES, groups), (HOMEOFFICE_OFFENCE_SERIES, offences))
                for (month, category), count in sorted(cells.items())
            ]
        )
    progress("saved", rows_read, rows_read)
    return result


def _whole_number(row: dict, column: str) -> int:
    text = (row[column] or "").strip().replace(",", "")
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{column} {row[column]!r} is not a whole number") from None


# --- population ---------------------------------------------------------------------------------


def import_census(path: Path | None = None, *, actor_label: str) -> ImportResult:
    """2011 Census usual residents by district (the sum over the district's LSOAs). Replaces."""
    path = Path(path) if path else default_census_path()
    raw = _read_bytes(path)
    digest = hashlib.sha256(raw).hexdigest()
    result = ImportResult(file_name=path.name)
    rows = list(csv.reader(io.StringIO(_text(path, raw))))
    header = [cell.strip() for cell in rows[0]] if rows else []
    _check_columns(path.name, header, ("Local authority code", "LSOA Code", "Persons"))
    la_index, persons_index = header.index("Local authority code"), header.index("Persons")
    districts = dict(District.objects.exclude(ons_code="").values_list("ons_code", "code"))
    totals: Counter[str] = Counter()
    problems = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) <= persons_index:
            problems.append(f"line {number}: too few cells")
            continue
        code = districts.get(row[la_index].strip())
        if not code:
            continue
        try:
            totals[code] += int(row[persons_index].replace(",", "").strip())
        except ValueError:
            problems.append(f"line {number}: Persons {row[persons_index]!r} is not a number")
    if problems:
        raise ImportRefused(
            path.name, [f"{len(problems)} malformed row(s), nothing imported", *problems[:20]]
        )
    if not totals:
        raise ImportRefused(path.name, ["no LSOA in the file belongs to a district Safehub knows"])
    result.rows_read = len(rows) - 1
    result.rows_counted = sum(totals.values())
    result.by_district = dict(sorted(totals.items()))
    with transaction.atomic():
        record, created = DataImport.objects.get_or_create(
            source=Source.CENSUS,
            sha256=digest,
            defaults={
                "file_name": path.name[:255],
                "periods": ["2011"],
                "rows_read": result.rows_read,
                "rows_counted": sum(totals.values()),
                "imported_by": actor_label[:150],
            },
        )
        result.already_imported = not created
        ons = {code: ons_code for ons_code, code in districts.items()}
        for code, population in totals.items():
            DistrictPopulation.objects.update_or_create(
                district=code,
                defaults={
                    "ons_code": ons[code],
                    "population": population,
                    "year": 2011,
                    "source": "ONS 2011 Census, usual residents (table PHP01), summed over LSOAs",
                    "data_import": record,
                },
            )
    return result


POPULATION_COLUMNS = ("dimension", "group", "district", "population", "source")


def import_population_groups(path: Path, *, actor_label: str) -> ImportResult:
    """A population breakdown CSV (dimension, group, district, population, source) for equality
    monitoring, e.g. the ONS Census 2021 ethnic group table for each district. Replaces the
    dimensions the file holds."""
    path = Path(path)
    raw = _read_bytes(path)
    reader = csv.DictReader(io.StringIO(_text(path, raw)))
    _check_columns(path.name, reader.fieldnames, POPULATION_COLUMNS)
    rows, problems = [], []
    for number, row in enumerate(reader, start=2):
        dimension = (row["dimension"] or "").strip()
        if dimension not in ("ethnicity", "sex", "age_band"):
            problems.append(f"line {number}: dimension {dimension!r} is not ethnicity, sex or age_band")
            continue
        try:
            population = int((row["population"] or "").replace(",", "").strip())
        except ValueError:
            problems.append(f"line {number}: population {row['population']!r} is not a number")
            continue
        rows.append(
            PopulationGroup(
                dimension=dimension,
                group=(row["group"] or "").strip()[:60],
                district=(row["district"] or "").strip()[:40],
                population=population,
                source=(row["source"] or "").strip()[:200],
            )
        )
    if problems:
        raise ImportRefused(
            path.name, [f"{len(problems)} malformed row(s), nothing imported", *problems[:20]]
        )
    with transaction.atomic():
        PopulationGroup.objects.filter(dimension__in={row.dimension for row in rows}).delete()
        PopulationGroup.objects.bulk_create(rows)
    return ImportResult(file_name=path.name, rows_read=len(rows), rows_counted=len(rows))
