"""Done when: after importing the two real July police.uk files, the dashboard shows their counts by
district and category with the year-on-year change, matching an independent count made here
straight from the files (csv module, LSOA → local authority name)."""

import csv
import gzip
import io
from collections import Counter

import pytest
from django.core.management import call_command

from safehub.analytics import importers
from safehub.analytics.tests.conftest import JULY_FILES, needs_shared_data

pytestmark = [pytest.mark.django_db, needs_shared_data]
QUERY = "series=policeuk.street&start=2017-07&end=2017-07"


def _independent_counts(path):
    """(by district name, by crime type) counted from the raw file, independently of the importer."""
    with gzip.open(importers.default_lookup_path(), "rt", encoding="utf-8") as handle:
        names = {row["LSOA Code"]: row["Local authority name"] for row in csv.DictReader(handle)}
    wanted = {"Leeds", "Bradford", "Kirklees", "Wakefield", "Calderdale"}
    districts, categories = Counter(), Counter()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = names.get(row["LSOA code"], "")
            districts[name if name in wanted else "Unknown district"] += 1
            categories[row["Crime type"]] += 1
    return districts, categories


def _csv(client, chart_id, query=QUERY):
    response = client.get(f"/analytics/charts/{chart_id}.csv?{query}")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def _number(cell: str) -> int:
    return int(cell.lstrip("'"))


def _percent(now: int, before: int) -> str:
    return f"{100 * (now - before) / before:+.1f}%"


def test_the_dashboard_shows_the_july_files_by_district_and_category_with_the_change(
    client, analyst, five_districts
):
    call_command("import", "policeuk", *map(str, JULY_FILES), stdout=io.StringIO())
    call_command("import", "census", stdout=io.StringIO())
    districts_2016, categories_2016 = _independent_counts(JULY_FILES[0])
    districts_2017, categories_2017 = _independent_counts(JULY_FILES[1])
    client.force_login(analyst)

    page = client.get(f"/analytics/?{QUERY}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "July 2017" in html
    for name, count in districts_2017.items():
        assert (
            f'<th scope="row" class="govuk-table__header">{name}</th>'
            f'<td class="govuk-table__cell">{count}</td>' in html
        )

    rows = _csv(client, "policeuk-street-by-district")
    assert rows[0][:5] == ["District", "This period", "Year before", "Change", "Change (%)"]
    shown = {row[0]: row for row in rows[1:]}
    assert set(shown) == set(districts_2017) | set(districts_2016)
    for name in shown:
        now, before = districts_2017[name], districts_2016[name]
        assert _number(shown[name][1]) == now
        assert _number(shown[name][2]) == before
        assert _number(shown[name][3]) == now - before
        assert shown[name][4].lstrip("'") == _percent(now, before)
    assert shown["Leeds"][6] == f"{1000 * 9671 / 751485:.2f}".rstrip("0").rstrip(".")  # rate per 1,000

    rows = _csv(client, "policeuk-street-by-category")
    shown = {row[0]: row for row in rows[1:]}
    assert set(shown) == set(categories_2017)
    for name, now in categories_2017.items():
        assert _number(shown[name][1]) == now
        assert _number(shown[name][2]) == categories_2016[name]
        assert shown[name][4].lstrip("'") == _percent(now, categories_2016[name])


def test_the_district_filter_shows_one_districts_categories(client, commissioner, five_districts):
    call_command("import", "policeuk", *map(str, JULY_FILES), stdout=io.StringIO())
    client.force_login(commissioner)
    rows = _csv(client, "policeuk-street-by-category", QUERY + "&district=calderdale")
    total_now = sum(_number(r[1]) for r in rows[1:] if r[1] != "[c]")
    assert total_now <= 2345
    suppressed = [r for r in rows[1:] if r[1] == "[c]"]
    # Commissioners never see a count of 1 to 4, nor the change built on it.
    for row in rows[1:]:
        assert row[1] == "[c]" or _number(row[1]) == 0 or _number(row[1]) >= 5
    for row in suppressed:
        assert row[3] == "n/a" and row[4] == "n/a"
    response = client.get("/api/v1/metrics/policeuk.street/?from=2017-07&to=2017-07&by=district")
    body = response.json()
    assert body["total"]["value"] == 28537 and body["total"]["previous_year"] == 27176
    assert body["total"]["change_percent"] == round(100 * (28537 - 27176) / 27176, 1)
