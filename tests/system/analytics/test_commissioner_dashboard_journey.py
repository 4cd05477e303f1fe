"""The commissioner opens the partnership dashboard, filters a district, downloads a chart's CSV and
generates the scrutiny report; the PDF opens (header, trailer and a page tree with pages). Every
page is checked with axe (WCAG 2.2 AA)."""

import re
import zlib
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

from safehub.analytics.models import DistrictPopulation, MonthlyCount
from tests.system.conftest import axe_check, sign_in, visit


def given_two_years_of_recorded_crime():
    start = date(2024, 4, 1)
    for i in range(24):
        month = start + relativedelta(months=i)
        for district, count in (("leeds", 800 + i), ("bradford", 600 - i)):
            MonthlyCount.objects.create(
                series="policeuk.street", month=month, district=district, category="Burglary", count=count
            )
            MonthlyCount.objects.create(
                series="policeuk.street", month=month, district=district, category="Robbery", count=2
            )
    DistrictPopulation.objects.create(
        district="leeds", ons_code="E08000035", population=751485, year=2011, source="test"
    )


def pdf_page_count(data: bytes) -> int:
    """Pages in the PDF's page tree (WeasyPrint compresses objects into streams)."""
    pages = 0
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            text = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        pages += len(re.findall(rb"/Type\s*/Page(?![s\w])", text))
    return pages


def test_commissioner_filters_downloads_and_generates_the_report(page, commissioner, districts, password):
    given_two_years_of_recorded_crime()
    sign_in(page, commissioner.username, password)
    visit(page, "/")
    page.get_by_role("link", name="Dashboard").first.click()
    page.wait_for_url("**/analytics/")
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership performance dashboard")

    page.get_by_label("District", exact=True).select_option(label="Leeds")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url("**district=leeds**")
    axe_check(page)
    expect(page.locator("#policeuk-street-by-category h3")).to_contain_text("(Leeds)")

    with page.expect_download() as download:
        page.locator("#policeuk-street-by-category").get_by_role(
            "link", name=re.compile("^Download CSV")
        ).click()
    text = Path(download.value.path()).read_text()
    assert text.splitlines()[0] == "Category,This period,Year before,Change,Change (%)"
    assert "Burglary,9810,9666,144,+1.5%" in text.replace(
        "'", ""
    )  # Apr 2025 - Mar 2026 against the year before
    assert "Robbery,24,24,0" in text.replace("'", "")

    visit(page, "/analytics/definitions/")
    expect(
        page.get_by_role("heading", name="Crimes and anti-social behaviour recorded (police.uk)")
    ).to_be_visible()
    visit(page, "/analytics/forecasts/")

    page.get_by_role("link", name="Scrutiny report").first.click()
    page.wait_for_url("**/reports/scrutiny/")
    axe_check(page)
    page.get_by_label("Financial year", exact=True).select_option("2025-26")
    page.get_by_label("PDF", exact=True).check()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Generate the report").click()
    assert download.value.suggested_filename == "scrutiny-report-2025-26.pdf"
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    assert pdf_page_count(data) >= 3
