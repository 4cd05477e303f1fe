"""The scrutiny report as HTML, PDF (WeasyPrint, from the same HTML) or DOCX (python-docx).

The HTML and PDF carry the SVG charts; the DOCX carries the same charts drawn as PNG (Pillow) for
the demand figures, and every chart's table.
"""

from __future__ import annotations

import io
import logging

from django.template.loader import render_to_string

from safehub.reports.builder import Report

FORMATS = ("pdf", "docx", "html")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def to_html(report: Report) -> str:
    return render_to_string("reports/scrutiny_document.html", {"report": report})


def to_pdf(report: Report) -> bytes:
    # WeasyPrint logs every step (from its import on) at INFO: keep the job's output to what it did.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    return HTML(string=to_html(report)).write_pdf()


def _bar_png(chart) -> bytes | None:
    """A PNG of a demand chart's 'This period' and 'Year before' columns, or None."""
    if len(chart.columns) < 3 or chart.columns[1] != "This period" or not chart.rows:
        return None
    from PIL import Image, ImageDraw

    rows = chart.rows[:24]
    values = [
        (str(r[0])[:28], r[1] if isinstance(r[1], int) else 0, r[2] if isinstance(r[2], int) else 0)
        for r in rows
    ]
    top = max([max(a, b) for _, a, b in values] + [1])
    width, label_w, row_h = 900, 260, 30
    image = Image.new("RGB", (width, 40 + row_h * len(values)), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((label_w, 8, label_w + 12, 20), fill="#1d70b8")
    draw.text((label_w + 18, 8), "This period", fill="#0b0c0c")
    draw.rectangle((label_w + 130, 8, label_w + 142, 20), fill="#505a5f")
    draw.text((label_w + 148, 8), "Year before", fill="#0b0c0c")
    for i, (label, current, previous) in enumerate(values):
        y = 32 + i * row_h
        draw.text((8, y + 6), label, fill="#0b0c0c")
        for offset, value, colour in ((0, current, "#1d70b8"), (13, previous, "#505a5f")):
            length = int((width - label_w - 90) * value / top)
            draw.rectangle((label_w, y + offset, label_w + max(length, 0), y + offset + 10), fill=colour)
            draw.text((label_w + length + 6, y + offset), f"{value:,}", fill="#0b0c0c")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def to_docx(report: Report) -> bytes:
    from docx import Document
    from docx.shared import Cm

    document = Document()
    document.add_paragraph(report.meeting.upper())
    document.add_heading(report.subject, level=0)
    document.add_paragraph(f"Financial year {report.period_label}")
    number = 1
    for section in report.sections:
        document.add_heading(section.title.upper(), level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(f"{number}. {paragraph}")
            number += 1
        for chart in section.charts:
            document.add_heading(chart.title, level=3)
            if chart.unavailable:
                document.add_paragraph(chart.unavailable)
                continue
            png = _bar_png(chart)
            if png:
                document.add_picture(io.BytesIO(png), width=Cm(16))
            if chart.columns and chart.rows:
                table = document.add_table(rows=1, cols=len(chart.columns))
                table.style = "Table Grid"
                for cell, column in zip(table.rows[0].cells, chart.columns, strict=True):
                    cell.text = str(column)
                for row in chart.rows:
                    cells = table.add_row().cells
                    for cell, value in zip(cells, row, strict=False):
                        cell.text = "" if value is None else str(value)
            for caveat in chart.caveats:
                document.add_paragraph(caveat)
    document.add_heading("APPENDIX A: METRIC DEFINITIONS", level=1)
    for definition in report.definitions:
        document.add_heading(f"{definition.title} ({definition.id}, version {definition.version})", level=3)
        for label, value in (
            ("Description", definition.description),
            ("Source records", definition.source_records),
            ("Numerator", definition.numerator),
            ("Denominator", definition.denominator),
            ("Filters", definition.filters),
            ("Caveats", " ".join(definition.caveats) or "None"),
            ("Owner", definition.owner),
        ):
            document.add_paragraph(f"{label}: {value}")
    document.add_heading("REPRODUCIBILITY", level=1)
    for key, value in report.stamp.items():
        document.add_paragraph(f"{key.replace('_', ' ')}: {value}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render(report: Report, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "pdf":
        return to_pdf(report)
    if fmt == "docx":
        return to_docx(report)
    return to_html(report).encode("utf-8")


def file_name(report: Report, fmt: str) -> str:
    return f"scrutiny-report-{report.period_label}.{fmt}"
