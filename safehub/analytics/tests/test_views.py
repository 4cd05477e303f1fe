"""Dashboard pages: analysts and commissioners only, small numbers suppressed for commissioners,
CSV downloads safe to open in a spreadsheet, bad filters named."""

from datetime import date

import pytest

from safehub.analytics.models import DataImport, MonthlyCount, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts(districts):
    record = DataImport.objects.create(
        source=Source.POLICEUK, file_name="t.csv", sha256="x", imported_by="test"
    )
    cells = [
        (date(2025, 7, 1), "leeds", "Burglary", 120),
        (date(2025, 7, 1), "leeds", "=HYPERLINK(evil)", 3),
        (date(2025, 7, 1), "bradford", "Burglary", 2),
        (date(2024, 7, 1), "leeds", "Burglary", 100),
        (date(2024, 7, 1), "bradford", "Burglary", 9),
    ]
    for month, district, category, count in cells:
        MonthlyCount.objects.create(
            series="policeuk.street",
            month=month,
            district=district,
            category=category,
            count=count,
            data_import=record,
        )


QUERY = "series=policeuk.street&start=2025-07&end=2025-07"


@pytest.mark.parametrize(
    "url",
    [
        "/analytics/",
        "/analytics/definitions/",
        "/analytics/forecasts/",
        "/analytics/charts/policeuk-street-by-district.csv",
    ],
)
@pytest.mark.parametrize("persona", ["owner", "outsider", "mash", "officer", "auditor"])
def test_person_level_and_other_roles_get_403(client, request, counts, url, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403


def test_signed_out_is_sent_to_sign_in(client):
    response = client.get("/analytics/")
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_analyst_sees_every_count_and_the_change(client, analyst, counts):
    client.force_login(analyst)
    response = client.get(f"/analytics/?{QUERY}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "July 2025" in html
    assert '<td class="govuk-table__cell">123</td>' in html  # Leeds: 120 + 3
    assert "+23.0%" in html  # Leeds 123 against 100
    assert ">[c]<" not in html.split("Timeliness against")[0]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart"' in html
    assert 'role="img"' in html


def test_commissioner_sees_1_to_4_suppressed_with_their_change(client, commissioner, counts):
    client.force_login(commissioner)
    response = client.get(f"/analytics/charts/policeuk-street-by-district.csv?{QUERY}")
    rows = [line.split(",") for line in response.content.decode().splitlines()]
    bradford = next(row for row in rows if row[0] == "Bradford")
    assert bradford[1:5] == ["[c]", "9", "n/a", "n/a"]
    assert response["Content-Disposition"] == 'attachment; filename="policeuk-street-by-district.csv"'


def test_csv_cells_cannot_run_as_formulas(client, analyst, counts):
    client.force_login(analyst)
    body = client.get(f"/analytics/charts/policeuk-street-by-category.csv?{QUERY}").content.decode()
    assert "'=HYPERLINK(evil)" in body
    assert "\n=HYPERLINK" not in body


def test_a_bad_month_is_named_and_the_page_still_answers(client, analyst, counts):
    client.force_login(analyst)
    response = client.get("/analytics/?series=policeuk.street&start=2025-13")
    assert response.status_code == 400
    assert "From (YYYY-MM): Enter a month like 2025-04" in response.content.decode()
    future = client.get("/analytics/?series=policeuk.street&end=2999-01")
    assert "The month must not be in the future" in future.content.decode()
    backwards = client.get("/analytics/?series=policeuk.street&start=2025-07&end=2025-01")
    assert "must be the same as or after" in backwards.content.decode()


def test_an_unknown_chart_is_404(client, analyst, counts):
    client.force_login(analyst)
    assert client.get(f"/analytics/charts/no-such-chart.csv?{QUERY}").status_code == 404


def test_a_district_filter_limits_the_figures(client, analyst, counts):
    client.force_login(analyst)
    body = client.get(
        f"/analytics/charts/policeuk-street-by-district.csv?{QUERY}&district=bradford"
    ).content.decode()
    assert "Leeds" not in body and "Bradford,2,9" in body


def test_definitions_page_lists_every_governed_field(client, commissioner, counts):
    client.force_login(commissioner)
    html = client.get("/analytics/definitions/").content.decode()
    for label in ("Source records", "Numerator", "Denominator", "Filters", "Caveats", "Owner"):
        assert label in html
    for metric in (
        "policeuk.street",
        "contacts.demand",
        "derived.rate_per_1000",
        "missing.missing_rhi_within_72_hours",
        "meetings.repeat_marac_rate",
        "referrals.timeliness_by_rag",
        "contacts.by_category",
    ):
        assert f"<code>{metric}</code>" in html


def test_every_clock_appears_under_timeliness(client, analyst, counts):
    from django.utils.html import escape

    from safehub.core.clocks import CLOCKS

    client.force_login(analyst)
    html = client.get("/analytics/").content.decode()
    for clock in CLOCKS.values():
        assert escape(clock.title) in html
