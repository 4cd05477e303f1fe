"""Server-rendered SVG charts: no script, no CDN, no inline CSS (the CSP allows none), printable
by WeasyPrint. Each chart is an <svg role="img"> with a <title> and a <desc> that states the
figures in words; every page shows the same figures as a table beside it, with a CSV download.

Values of None (suppressed or not available) draw no bar and are labelled "[c]" or "n/a".
Colours are GOV.UK's: blue #1d70b8 (this period), grey #505a5f (the year before), with text in
#0b0c0c; contrast against white is above 4.5:1.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "Arial, Helvetica, sans-serif"
BLUE, GREY, DARK, LIGHT_BLUE, PALE_BLUE = "#1d70b8", "#505a5f", "#0b0c0c", "#5694ca", "#d2e2f1"


def _fmt(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def svg_open(chart_id: str, title: str, desc: str, width: float, height: float) -> list[str]:
    """The opening of an accessible chart: <svg role="img"> labelled by its <title> and <desc>."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def month_axes(
    *,
    left: float,
    top_pad: float,
    plot_w: float,
    plot_h: float,
    top: float,
    labels: list[str],
    x,
    y,
    whole_ticks: bool = True,
) -> list[str]:
    """The x and y axis lines, five y ticks from 0 to `top` (rounded to whole numbers unless
    `whole_ticks` is False), and up to about 8 month labels; `x` and `y` place an index and a value."""
    parts = [
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" y2="{top_pad + plot_h}" '
        f'stroke="{DARK}"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{top_pad + plot_h}" stroke="{DARK}"/>',
    ]
    for tick in range(5):
        value = top * tick / 4
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" fill="{DARK}">'
            f"{escape(_fmt(round(value) if whole_ticks else value))}</text>"
        )
    step = max(1, len(labels) // 8)
    for i in range(0, len(labels), step):
        parts.append(
            f'<text x="{x(i):.1f}" y="{top_pad + plot_h + 16}" font-size="11" text-anchor="middle" '
            f'fill="{DARK}">{escape(labels[i])}</text>'
        )
    return parts


def bar_chart(
    chart_id: str,
    title: str,
    rows: list[tuple[str, object, object]],
    *,
    legend=("This period", "Year before"),
) -> SafeString:
    """Horizontal bars: per row, this period (blue) and the year before (grey), labelled."""
    numbers = [v for _, a, b in rows for v in (a, b) if isinstance(v, int | float)]
    top = max(numbers) if numbers else 1
    top = top or 1
    label_width, bar_width, row_height = 190, 360, 34
    width = label_width + bar_width + 90
    height = 40 + row_height * max(len(rows), 1)
    desc = "; ".join(f"{label}: {_fmt(a)} ({legend[1].lower()}: {_fmt(b)})" for label, a, b in rows)
    parts = svg_open(chart_id, title, desc, width, height)
    parts += [
        f'<rect x="{label_width}" y="6" width="12" height="12" fill="{BLUE}"/>'
        f'<text x="{label_width + 16}" y="17" font-size="12" fill="{DARK}">{escape(legend[0])}</text>'
        f'<rect x="{label_width + 130}" y="6" width="12" height="12" fill="{GREY}"/>'
        f'<text x="{label_width + 146}" y="17" font-size="12" fill="{DARK}">{escape(legend[1])}</text>',
    ]
    for index, (label, current, previous) in enumerate(rows):
        y = 30 + index * row_height
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 16}" font-size="12" text-anchor="end" fill="{DARK}">'
            f"{escape(str(label)[:30])}</text>"
        )
        for offset, value, colour in ((0, current, BLUE), (14, previous, GREY)):
            length = bar_width * value / top if isinstance(value, int | float) and value > 0 else 0
            parts.append(
                f'<rect x="{label_width}" y="{y + offset + 2}" width="{length:.1f}" height="11" '
                f'fill="{colour}"/><text x="{label_width + length + 4:.1f}" y="{y + offset + 12}" '
                f'font-size="11" fill="{DARK}">'
                f"{escape(_fmt(value))}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def line_chart(
    chart_id: str,
    title: str,
    labels: list[str],
    lines: list[tuple[str, list, str]],
    *,
    bands: list[tuple[list, list, str]] = (),
) -> SafeString:
    """Lines over months (`labels`); `bands` are shaded intervals (lower, upper, colour)."""
    numbers = [v for _, values, _ in lines for v in values if isinstance(v, int | float)]
    numbers += [v for lower, upper, _ in bands for v in (*lower, *upper) if isinstance(v, int | float)]
    top = max(numbers) if numbers else 1
    top = top or 1
    left, plot_w, plot_h, top_pad = 60, 560, 200, 30
    width, height = left + plot_w + 45, top_pad + plot_h + 50
    count = max(len(labels), 2)

    def x(i: int) -> float:
        return left + plot_w * i / (count - 1)

    def y(v: float) -> float:
        return top_pad + plot_h - plot_h * v / top

    desc = "; ".join(
        f"{name}: " + ", ".join(f"{labels[i]} {_fmt(v)}" for i, v in enumerate(values) if v is not None)
        for name, values, _ in lines
    )
    parts = svg_open(chart_id, title, desc[:4000], width, height)
    parts += month_axes(
        left=left, top_pad=top_pad, plot_w=plot_w, plot_h=plot_h, top=top, labels=labels, x=x, y=y
    )
    for lower, upper, colour in bands:
        points = [(x(i), y(v)) for i, v in enumerate(upper) if v is not None]
        points += [(x(i), y(v)) for i, v in reversed(list(enumerate(lower))) if v is not None]
        if points:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polygon points="{path}" fill="{colour}" stroke="none"/>')
    legend_x = left
    for name, values, colour in lines:
        segments, current = [], []
        for i, v in enumerate(values):
            if isinstance(v, int | float):
                current.append(f"{x(i):.1f},{y(v):.1f}")
            elif current:
                segments.append(current)
                current = []
        if current:
            segments.append(current)
        for segment in segments:
            if len(segment) == 1:
                cx, cy = segment[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
            else:
                parts.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
        parts.append(
            f'<rect x="{legend_x}" y="8" width="12" height="12" fill="{colour}"/>'
            f'<text x="{legend_x + 16}" y="19" font-size="12" fill="{DARK}">{escape(name)}</text>'
        )
        legend_x += 24 + 7 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
