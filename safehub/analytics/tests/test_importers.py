"""Open-data import: validated, all or none per file, idempotent, unknown LSOAs reported."""

import csv
import gzip
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehub.analytics import importers
from safehub.analytics.models import DataImport, DistrictPopulation, MonthlyCount
from safehub.analytics.tests.conftest import (
    HAVE_DATA,
    JULY_FILES,
    LOOKUP,
    needs_shared_data,
    street_row,
    write_street,
)

pytestmark = pytest.mark.django_db


def _import(path, lookup=LOOKUP):
    return importers.import_policeuk(path, actor_label="test", lookup=lookup)


def test_a_file_is_counted_by_month_district_and_category(tmp_path):
    path = write_street(
        tmp_path,
        "2026-07.csv",
        [street_row(), street_row(crime="Burglary"), street_row(lsoa="E01099903"), street_row(lsoa="")],
    )
    result = _import(path)
    assert result.rows_counted == 4
    cells = {
        (c.district, c.category): c.count
        for c in MonthlyCount.objects.filter(series=importers.POLICEUK_SERIES)
    }
    assert cells == {
        ("leeds", "Violence and sexual offences"): 1,
        ("leeds", "Burglary"): 1,
        ("bradford", "Violence and sexual offences"): 1,
        ("unknown", "Violence and sexual offences"): 1,
    }
    assert result.rows_no_location == 1


def test_a_second_import_of_the_same_file_counts_nothing_twice(tmp_path):
    path = write_street(tmp_path, "2026-07.csv.gz", [street_row(), street_row()], gz=True)
    _import(path)
    again = _import(path)
    assert again.already_imported
    assert sum(MonthlyCount.objects.values_list("count", flat=True)) == 2
    assert DataImport.objects.count() == 1


def test_a_new_file_for_the_same_month_replaces_the_old_one(tmp_path):
    _import(write_street(tmp_path, "a.csv", [street_row(), street_row()]))
    result = _import(write_street(tmp_path, "b.csv", [street_row(), street_row(), street_row(crime_id="x")]))
    assert result.replaced
    assert sum(MonthlyCount.objects.values_list("count", flat=True)) == 3


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("Crime ID,Month,Reported by,Falls within,LSOA code,Crime type", None),
        ("Crime ID,Reported by,Falls within,LSOA code,Crime type", "Month"),
        ("Crime ID,Month,Reported by,Falls within,LSOA,Crime type", "LSOA code"),
        ("Crime ID,Month,Reported by,Falls within,LSOA code,Crime category", "Crime type"),
    ],
)
def test_missing_or_renamed_columns_are_named_and_nothing_is_saved(tmp_path, header, missing):
    columns = header.split(",")
    row = ",".join(
        {"Month": "2026-07", "LSOA code": "E01099901", "Crime type": "Burglary"}.get(c, "x") for c in columns
    )
    path = write_street(tmp_path, "renamed.csv", [row], header=header)
    if missing is None:
        assert _import(path).rows_counted == 1
        return
    with pytest.raises(importers.ImportRefused) as refused:
        _import(path)
    assert missing in refused.value.problems[0]
    assert not MonthlyCount.objects.exists() and not DataImport.objects.exists()


def test_a_month_that_does_not_parse_refuses_the_whole_file(tmp_path):
    rows = [street_row() for _ in range(5)] + [street_row(month="2026-13"), street_row(month="July")]
    with pytest.raises(importers.ImportRefused) as refused:
        _import(write_street(tmp_path, "bad.csv", rows))
    problems = refused.value.problems
    assert problems[0] == "2 malformed row(s), nothing imported"
    assert problems[1].startswith("line 7: month '2026-13'")
    assert problems[2].startswith("line 8: month 'July'")
    assert not MonthlyCount.objects.exists() and not DataImport.objects.exists()


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (street_row(crime=""), "Crime type is empty"),
        (street_row(lsoa="LEEDS1"), "is not an LSOA code"),
        (street_row() + ",extra", "more cells than columns"),
    ],
)
def test_malformed_rows_are_reported_with_their_line(tmp_path, row, problem):
    with pytest.raises(importers.ImportRefused) as refused:
        _import(write_street(tmp_path, "bad.csv", [street_row(), row]))
    assert problem in refused.value.problems[1] and "line 3" in refused.value.problems[1]
    assert not MonthlyCount.objects.exists()


def test_an_lsoa_outside_the_lookup_counts_under_unknown_district_and_is_reported(tmp_path):
    result = _import(write_street(tmp_path, "2026-07.csv", [street_row(), street_row(lsoa="E01007426")]))
    assert result.unknown_lsoas == ["E01007426"]
    assert result.rows_unknown_district == 1
    assert MonthlyCount.objects.get(district="unknown").count == 1
    assert DataImport.objects.get().unknown_lsoas == ["E01007426"]


def test_a_file_that_is_not_text_is_refused(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00garbage\x9c")
    with pytest.raises(importers.ImportRefused, match="not UTF-8"):
        _import(path)


def test_the_command_reports_refused_files_and_exits_non_zero(tmp_path, five_districts, capsys):
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("LSOA Code,Local authority code\nE01099901,E08000035\n")
    good = write_street(tmp_path, "good.csv", [street_row()])
    bad = write_street(tmp_path, "bad.csv", [street_row(month="2026-99")])
    with pytest.raises(CommandError, match="1 file"):
        call_command("import", "policeuk", str(good), str(bad), "--lookup", str(lookup))
    out, err = capsys.readouterr()
    assert "good.csv: imported 2026-07" in out and "leeds: 1" in out
    assert "Refused" in err and "line 2: month '2026-99'" in err
    assert MonthlyCount.objects.get().count == 1


@needs_shared_data
def test_the_real_july_files_import_with_every_row_counted(five_districts):
    lookup = importers.load_lsoa_lookup()
    assert len(lookup) == 1388  # every West Yorkshire LSOA (PROVENANCE.md)
    results = [importers.import_policeuk(path, actor_label="test", lookup=lookup) for path in JULY_FILES]
    assert [r.rows_counted for r in results] == [27176, 28537]
    assert results[0].by_district["leeds"] == 9243 and results[1].by_district["leeds"] == 9671


@needs_shared_data
def test_census_population_by_district(five_districts):
    importers.import_census(actor_label="test")
    populations = dict(DistrictPopulation.objects.values_list("district", "population"))
    assert populations == {
        "leeds": 751485,
        "bradford": 522452,
        "kirklees": 422458,
        "wakefield": 325837,
        "calderdale": 203826,
    }


@pytest.mark.skipif(not HAVE_DATA, reason="shared/data is absent")
def test_home_office_table_for_the_force(five_districts, db):
    path = importers.shared_data_dir() / "homeoffice-prc-pfa-2017-18" / "prc-pfa-201718_new.csv.gz"
    result = importers.import_homeoffice(path, actor_label="test", force_name="West Yorkshire")
    assert result.rows_counted == 265520  # PROVENANCE.md
    slavery = MonthlyCount.objects.filter(
        series=importers.HOMEOFFICE_OFFENCE_SERIES, category="Modern slavery"
    )
    assert list(slavery.order_by("month").values_list("count", flat=True)) == [42, 32, 58, 95]
    assert importers.import_homeoffice(path, actor_label="test", force_name="West Yorkshire").already_imported


def test_home_office_rows_with_a_bad_quarter_refuse_the_file(tmp_path):
    text = (
        "Financial_Year,Financial_Quarter,Force_Name,Offence_Description,Offence_Group,Offence_Subgroup,"
        "Offence_Code,Number_of_Offences\n"
        "2017/18,1,West Yorkshire,Modern slavery,Miscellaneous crimes,x,106,42\n"
        "2017/18,5,West Yorkshire,Modern slavery,Miscellaneous crimes,x,106,3\n"
    )
    path = tmp_path / "ho.csv"
    path.write_text(text)
    with pytest.raises(importers.ImportRefused) as refused:
        importers.import_homeoffice(path, actor_label="test", force_name="West Yorkshire")
    assert "line 3: financial quarter" in refused.value.problems[1]
    assert not MonthlyCount.objects.exists()


def test_population_breakdown_csv(tmp_path):
    path = tmp_path / "pop.csv"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(
        [
            ("dimension", "group", "district", "population", "source"),
            ("sex", "female", "", "1,130,000", "ONS"),
            ("sex", "male", "", "1,096,058", "ONS"),
        ]
    )
    path.write_text(out.getvalue())
    result = importers.import_population_groups(path, actor_label="test")
    assert result.rows_counted == 2
    bad = tmp_path / "bad.csv"
    bad.write_bytes(gzip.compress(b"dimension,group,district,population,source\nreligion,x,,10,ONS\n"))
    with pytest.raises(importers.ImportRefused, match="religion"):
        importers.import_population_groups(bad, actor_label="test")
