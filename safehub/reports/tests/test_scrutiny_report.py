"""The scrutiny report: built from the analytics store, written as PDF, DOCX and HTML by the command
and from the commissioner's page; small numbers suppressed; definitions appendix; reproducibility."""

import io
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehub.analytics.models import MonthlyCount
from safehub.reports import builder, render

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts(districts):
    for month in range(1, 13):
        for year, leeds in ((2024, 100), (2025, 107)):
            when = date(year + (month < 4), month, 1)
            MonthlyCount.objects.create(
                series="policeuk.street", month=when, district="leeds", category="Burglary", count=leeds
            )
            MonthlyCount.objects.create(
                series="policeuk.street", month=when, district="bradford", category="Burglary", count=3
            )


def test_the_report_says_what_changed_in_the_seeds_words(counts):
    report = builder.build(2025)
    key = next(s for s in report.sections if s.title == "Key information")
    assert key.paragraphs[0] == (
        "Recorded crimes and ASB incidents increased by 6.8% in 2025-26 compared with 2024-25 "
        "(1,320 against 1,236, 84 more)."
    )
    titles = [s.title for s in report.sections]
    assert titles[:3] == ["Purpose of the report", "Recommendation", "Key information"]
    assert {
        "Forecast demand",
        "Timeliness against the statutory clocks",
        "Equality",
        "Partnership contribution",
    } <= set(titles)
    assert {d.id for d in report.definitions} >= {"policeuk.street", "derived.rate_per_1000"}
    assert len(report.stamp["data_snapshot_sha256"]) == 64


def test_the_report_suppresses_small_numbers(counts):
    report = builder.build(2025)
    figures = next(s for s in report.sections if s.title.startswith("Figures"))
    by_district = next(c for c in figures.charts if c.id.endswith("by-district"))
    bradford = next(r for r in by_district.rows if r[0] == "Bradford")
    assert bradford[1] == 36  # 3 a month: the year's total is not small
    by_month = next(c for c in figures.charts if c.id.endswith("by-month"))
    assert all(row[1] != 3 for row in by_month.rows)


def test_same_data_same_stamp(counts):
    assert (
        builder.build(2025).stamp["data_snapshot_sha256"] == builder.build(2025).stamp["data_snapshot_sha256"]
    )


def test_the_default_period_is_the_latest_complete_year_with_data(counts):
    assert builder.default_period(date(2026, 12, 2)) == 2025


def test_no_data_is_a_clear_error(districts):
    with pytest.raises(builder.NoData, match="no data"):
        builder.default_period()


def test_command_writes_a_pdf_that_opens(counts, tmp_path):
    out = io.StringIO()
    path = tmp_path / "report.pdf"
    call_command(
        "report", "scrutiny", "--period", "2025-26", "--format", "pdf", "--output", str(path), stdout=out
    )
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"%%EOF" in data[-1024:]
    assert "data_snapshot_sha256" in out.getvalue()
    # Progress: each stage of the build, then the rendering, in order.
    stages = [
        line.split("] ", 1)[1].split(" (")[0] for line in out.getvalue().splitlines() if line.startswith("[")
    ]
    assert stages == [*builder.STAGES, "Rendering the pdf"]
    assert "[1/5] Taking every measure over the year" in out.getvalue()
    from weasyprint import HTML

    document = HTML(string=render.to_html(builder.build(2025))).render()
    assert len(document.pages) >= 3


def test_command_writes_docx_and_html(counts, tmp_path):
    call_command(
        "report",
        "scrutiny",
        "--period",
        "2025-26",
        "--format",
        "docx",
        "--output",
        str(tmp_path / "r.docx"),
        stdout=io.StringIO(),
    )
    from docx import Document

    document = Document(str(tmp_path / "r.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        "PURPOSE OF THE REPORT" in text
        and "APPENDIX A: METRIC DEFINITIONS" in text
        and "data snapshot sha256" in text
    )
    assert document.tables and zipfile.is_zipfile(tmp_path / "r.docx")
    assert any(name.startswith("word/media/") for name in zipfile.ZipFile(tmp_path / "r.docx").namelist())
    call_command(
        "report",
        "scrutiny",
        "--period",
        "2025-26",
        "--format",
        "html",
        "--output",
        str(tmp_path / "r.html"),
        stdout=io.StringIO(),
    )
    html = (tmp_path / "r.html").read_text()
    assert "Appendix A: metric definitions" in html and "<svg" in html


@pytest.mark.parametrize(
    ("period", "message"),
    [("2025/27", "financial year"), ("2099-00", "not started"), ("2010-11", "No figures")],
)
def test_bad_periods_are_refused(counts, period, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", "scrutiny", "--period", period, stdout=io.StringIO())


def test_commissioner_downloads_the_pdf_from_the_page(client, commissioner, counts):
    client.force_login(commissioner)
    page = client.get("/reports/scrutiny/")
    assert page.status_code == 200 and "2025-26 (April 2025 to March 2026)" in page.content.decode()
    response = client.post("/reports/scrutiny/", {"period": "2025-26", "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="scrutiny-report-2025-26.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_the_page_names_a_bad_choice(client, commissioner, counts):
    client.force_login(commissioner)
    response = client.post("/reports/scrutiny/", {"period": "1999-00", "format": "exe"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select a valid choice" in body


@pytest.mark.parametrize("persona", ["owner", "outsider", "mash", "auditor"])
def test_other_roles_get_403(client, request, persona, counts):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/reports/scrutiny/").status_code == 403
    assert client.post("/reports/scrutiny/", {"period": "2025-26", "format": "pdf"}).status_code == 403


def test_the_developments_lines_hide_a_rate_beside_a_suppressed_count_never_a_rate_alone(districts):
    from django.utils import timezone

    from safehub.analytics.models import MeasureSnapshot

    def snap(measure, result):
        MeasureSnapshot.objects.create(
            measure=measure,
            period="2025-26",
            period_start=date(2025, 4, 1),
            period_end=date(2026, 4, 1),
            result=result,
            computed_at=timezone.now(),
        )

    snap("missing.missing_repeat_rate", {"people": 3, "repeat_percent": 33.3})
    snap("missing.missing_median_duration", {"episodes": 40, "median_hours": 4})
    lines = builder._developments("2025-26")
    assert any("people [c], repeat percent [c]" in line for line in lines)
    assert any("episodes 40, median hours 4." in line for line in lines)
